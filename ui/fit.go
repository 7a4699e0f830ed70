package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Fitting text to cells: widths, padding and cutting to the window, with no
// state of the UI (the ground floor: they call nothing else of the package).

// fitLines pads or cuts lines to exactly w columns and h lines.
func fitLines(lines []string, w, h int) []string {
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fitWidth(l, w)
	}
	return lines
}

// fitWidth pads or cuts one line to exactly w columns.
func fitWidth(s string, w int) string {
	sw := lineWidth(s)
	switch {
	case sw == w:
		return s
	case sw < w:
		return s + strings.Repeat(" ", w-sw)
	}
	return ansi.Truncate(s, w, "")
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// lineWidth is the display width of a rendered line. It reads SGR sequences
// and the narrow characters this UI draws (Latin, punctuation, arrows, box
// drawing, braille spinners) itself, and leaves anything else to
// ansi.StringWidth, whose grapheme segmentation is many times slower: a frame
// measures every line of the screen.
func lineWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			if i+1 >= len(s) || s[i+1] != '[' {
				return ansi.StringWidth(s)
			}
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j + 1
			continue
		case c < 0x20 || c == 0x7f:
			i++
			continue
		case c < 0x80:
			w++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrowRune(r) {
			return ansi.StringWidth(s)
		}
		w++
		i += size
	}
	return w
}

func narrowRune(r rune) bool {
	switch {
	case r >= 0xa0 && r < 0x300, // Latin-1 and Latin Extended
		r >= 0x2010 && r <= 0x2027, // dashes, quotes, bullet, ellipsis
		r == 0x2039 || r == 0x203a, // ‹ ›
		r >= 0x2190 && r <= 0x21ff, // arrows
		r >= 0x2500 && r <= 0x25ff, // box drawing, blocks, geometric shapes
		r == 0x2713 || r == 0x2717, // ✓ ✗
		r >= 0x2800 && r <= 0x28ff: // braille (spinners)
		return true
	}
	return false
}

// padRight pads s with spaces to w columns.
func padRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
