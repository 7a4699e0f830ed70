package model

import (
	"bytes"
	"slices"
	"strings"
)

// keyPattern is one literal prefix FindKeys looks for and what may follow it.
type keyPattern struct {
	prefix []byte
	kind   KeyKind
	// min and max bound the characters after the prefix.
	min, max int
	// base64 says the rest is [A-Za-z0-9+/] then "="s; otherwise [A-Z0-9].
	base64 bool
}

// keyPatterns: the long-term minimum is the shortest alias ("a-at-" and 12
// digits), a colon and a secret of 4 characters, in base64; real keys are
// 113-275 characters [3P scanner regex]. Short-term keys hold a whole URL.
var keyPatterns = []keyPattern{
	{[]byte(prefixBedrockLong), KeyBedrockLong, 32, maxKeyLen, true},
	{[]byte(prefixClaudeLong), KeyClaudePlatform, 32, maxKeyLen, true},
	{[]byte(prefixBedrockShort), KeyBedrockShort, 100, maxKeyLen, true},
	{[]byte(prefixClaudeShort), KeyClaudePlatformShort, 100, maxKeyLen, true},
	{[]byte(prefixAccessKeyLong), KeyAccessKeyID, 16, 16, false},
	{[]byte(prefixAccessKeyTemp), KeyAccessKeyID, 16, 16, false},
}

// FindKeys returns the byte spans of key-shaped strings in b (for scan): offsets into b.
//
// A span is a known prefix not glued to a word before it, then a run of the
// prefix's alphabet within its length bounds, not glued to a word after it;
// ABSK, AEAA and short-term spans must also decode (DecodeKey), so a span is a
// key of its kind, not merely text that begins like one. Spans are sorted and
// do not overlap.
//
// Two passes, no regexp: every "A" (bytes.IndexByte, vectorised) is checked
// against ABSK, AEAA, AKIA and ASIA by its next three bytes, and every
// "-api-key-" (bytes.Index) against the two short-term prefixes that end in it.
func FindKeys(b []byte) [][2]int {
	var spans [][2]int
	for off := 0; off+4 <= len(b); {
		j := bytes.IndexByte(b[off:len(b)-3], 'A')
		if j < 0 {
			break
		}
		i := off + j
		off = i + 1
		p := aPattern(b[i+1], b[i+2], b[i+3])
		if p == nil {
			continue
		}
		if end, ok := p.match(b, i); ok {
			spans = append(spans, [2]int{i, end})
			off = end
		}
	}
	sep := []byte(apiKeySep)
	for off := 0; off < len(b); {
		j := bytes.Index(b[off:], sep)
		if j < 0 {
			break
		}
		at := off + j + len(sep)
		off = at
		for _, p := range shortPatterns {
			start := at - len(p.prefix)
			if start < 0 || !bytes.Equal(b[start:at], p.prefix) {
				continue
			}
			if end, ok := p.match(b, start); ok {
				spans = append(spans, [2]int{start, end})
				off = end
			}
		}
	}
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(x, y [2]int) int { return x[0] - y[0] })
	out := spans[:1]
	for _, s := range spans[1:] {
		if s[0] >= out[len(out)-1][1] {
			out = append(out, s)
		}
	}
	return out
}

// apiKeySep ends both short-term prefixes.
const apiKeySep = "-api-key-"

var (
	shortPatterns = []*keyPattern{&keyPatterns[2], &keyPatterns[3]}
)

// aPattern is the pattern "A" followed by c1 c2 c3 begins, if any.
func aPattern(c1, c2, c3 byte) *keyPattern {
	switch {
	case c1 == 'B' && c2 == 'S' && c3 == 'K':
		return &keyPatterns[0]
	case c1 == 'E' && c2 == 'A' && c3 == 'A':
		return &keyPatterns[1]
	case c1 == 'K' && c2 == 'I' && c3 == 'A':
		return &keyPatterns[4]
	case c1 == 'S' && c2 == 'I' && c3 == 'A':
		return &keyPatterns[5]
	}
	return nil
}

// match reports where the key starting at start ends, if it is one.
func (p *keyPattern) match(b []byte, start int) (int, bool) {
	if start > 0 && gluedBefore(b[start-1], p) {
		return 0, false
	}
	i := start + len(p.prefix)
	limit := min(len(b), i+p.max)
	n := i
	if p.base64 {
		for n < limit && isBase64Char(b[n]) {
			n++
		}
		if n-i < p.min {
			return 0, false
		}
		for k := 0; k < 2 && n < len(b) && b[n] == '='; k++ {
			n++
		}
	} else {
		for n < limit && (b[n] >= 'A' && b[n] <= 'Z' || b[n] >= '0' && b[n] <= '9') {
			n++
		}
		if n-i != p.min {
			return 0, false
		}
	}
	if n < len(b) && gluedAfter(b[n], p) {
		return 0, false
	}
	if p.kind != KeyAccessKeyID {
		if _, err := DecodeKey(string(b[start:n])); err != nil {
			return 0, false
		}
	}
	return n, true
}

// gluedBefore: the prefix is inside a longer word (base64 run, identifier).
// "=" is allowed before (KEY=ABSK…), as are quotes, spaces and punctuation.
func gluedBefore(c byte, p *keyPattern) bool {
	if p.base64 && (c == '+' || c == '/') {
		return true
	}
	return isAlnum(c) || c == '_' || (c == '-' && !p.base64)
}

// gluedAfter: the run stopped at a character that continues a word.
func gluedAfter(c byte, p *keyPattern) bool {
	if p.base64 {
		return c == '=' || c == '_' || c == '-'
	}
	return isAlnum(c) || c == '_'
}

func isBase64Char(c byte) bool { return isAlnum(c) || c == '+' || c == '/' }

// LooksLikeKey reports whether s is, or contains, something key-shaped: for
// refusing keys as command-line arguments (shell history, ps). It errs on the
// side of refusing: a known prefix followed by 12 or more key characters is
// enough, decoded or not.
func LooksLikeKey(s string) bool {
	if len(FindKeys([]byte(s))) > 0 {
		return true
	}
	for i := range keyPatterns {
		p := &keyPatterns[i]
		for off := 0; off < len(s); {
			j := bytes.Index([]byte(s[off:]), p.prefix)
			if j < 0 {
				break
			}
			k := off + j + len(p.prefix)
			n := k
			for n < len(s) && isBase64Char(s[n]) {
				n++
			}
			if n-k >= 12 {
				return true
			}
			off = k
		}
	}
	return false
}

// RedactKeys replaces every key-shaped run in s (LooksLikeKey's rule: a known
// prefix and 12 or more key characters) by its prefix and "…[redacted]": for
// messages that may quote what a person typed, such as an unknown flag.
func RedactKeys(s string) string {
	if !LooksLikeKey(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		p, n := keyRunAt(s, i)
		if n == 0 {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(p)
		b.WriteString("…[redacted]")
		i += n
	}
	return b.String()
}

// keyRunAt is the prefix and length of a key-shaped run starting at s[i], if any.
func keyRunAt(s string, i int) (string, int) {
	for k := range keyPatterns {
		p := string(keyPatterns[k].prefix)
		if !strings.HasPrefix(s[i:], p) {
			continue
		}
		n := i + len(p)
		for n < len(s) && (isBase64Char(s[n]) || s[n] == '=') {
			n++
		}
		if n-i-len(p) >= 12 {
			return p, n - i
		}
	}
	return "", 0
}
