package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/cellbuf"
)

// tabWidth is the terminal default tab stop interval.
const tabWidth = 8

// parse lays screen out on a cols×rows cell buffer, clipping what falls outside.
func parse(screen string, cols, rows int) *cellbuf.Buffer {
	buf := cellbuf.NewBuffer(cols, rows)
	walk(screen, func(x, y int, c *cellbuf.Cell) {
		if x+c.Width <= cols { // a wide rune cut by the right edge is dropped, not half drawn
			buf.SetCell(x, y, c)
		}
	})
	return buf
}

// contentSize is the smallest grid holding every line and printed cell.
func contentSize(screen string) (cols, rows int) {
	rows = strings.Count(strings.TrimSuffix(screen, "\n"), "\n") + 1
	walk(screen, func(x, _ int, c *cellbuf.Cell) { cols = max(cols, x+c.Width) })
	return cols, rows
}

// walk calls put with each printable grapheme cell at its cursor position.
//
// We drive the ansi decoder ourselves rather than calling cellbuf.SetContent,
// which glues tabs and non-SGR escapes (cursor hides, erase-line…) onto the
// runes of the next cell.
func walk(screen string, put func(x, y int, c *cellbuf.Cell)) {
	p := ansi.GetParser()
	defer ansi.PutParser(p)
	var (
		style cellbuf.Style
		state byte
		x, y  int
	)
	for len(screen) > 0 {
		seq, width, n, next := ansi.DecodeSequence(screen, state, p)
		state, screen = next, screen[n:]
		switch {
		case width > 0:
			c := cellbuf.Cell{Style: style, Width: width}
			c.Append([]rune(seq)...)
			put(x, y, &c)
			x += width
		case seq == "\n":
			x, y = 0, y+1
		case seq == "\r":
			x = 0
		case seq == "\t":
			x = (x/tabWidth + 1) * tabWidth
		case ansi.HasCsiPrefix(seq) && p.Command() == 'm':
			cellbuf.ReadStyle(p.Params(), &style)
		}
	}
}
