package clipboard

import (
	"io"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
)

// oscVia names the multiplexer an OSC 52 sequence is wrapped for, or "".
func (c *Clipboard) oscVia() string {
	switch {
	case c.getenv("TMUX") != "":
		return "tmux"
	case c.getenv("STY") != "" || strings.HasPrefix(c.getenv("TERM"), "screen"):
		return "screen"
	}
	return ""
}

// oscSequence returns the bytes that set the terminal clipboard to text;
// "" gives an empty payload, which terminals treat as clearing it.
func (c *Clipboard) oscSequence(text string) string {
	seq := osc52.New(text)
	switch c.oscVia() {
	case "tmux":
		// Plain for `set-clipboard on`, wrapped for `allow-passthrough on`.
		return seq.String() + seq.Tmux().String()
	case "screen":
		// GNU screen passes a sequence on only inside its DCS passthrough. Its
		// own paste register (readbuf) takes a file, which would put the secret
		// on disk.
		return seq.Screen().String()
	}
	return seq.String()
}

// writeOSC sends the sequence in one Write, so a concurrent render (which
// also writes whole frames) cannot land in the middle of it.
func (c *Clipboard) writeOSC(text string) error {
	b := []byte(c.oscSequence(text))
	n, err := c.out.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return err
}
