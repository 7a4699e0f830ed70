package render

import "image"

// Block elements (U+2580–U+259F) are drawn as exact rectangles so bars,
// progress meters and half-block pixel art tile without seams.

// quadrants maps U+2596+i to its filled quarters: 1 upper-left, 2 upper-right, 4 lower-left, 8 lower-right.
var quadrants = [10]uint8{4, 8, 1, 1 | 4 | 8, 1 | 8, 1 | 2 | 4, 1 | 2 | 8, 2, 2 | 4, 2 | 4 | 8}

// eighth is k eighths of n pixels, rounded.
func eighth(n, k int) int { return (n*k + 4) / 8 }

// drawBlock renders r into m if it is a block element.
func drawBlock(m *image.Alpha, r rune) bool {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	switch {
	case r == '▀':
		fill(m, 0, 0, w, eighth(h, 4), 0xff)
	case r >= '▁' && r <= '█': // lower k eighths
		fill(m, 0, h-eighth(h, int(r-'▀')), w, h, 0xff)
	case r >= '▉' && r <= '▏': // left k eighths, from 7/8 down to 1/8
		fill(m, 0, 0, eighth(w, int('▐'-r)), h, 0xff)
	case r == '▐':
		fill(m, eighth(w, 4), 0, w, h, 0xff)
	case r >= '░' && r <= '▓': // shades: flat alpha reads smoother than a dither at small sizes
		fill(m, 0, 0, w, h, uint8(64*(r-'░'+1)))
	case r == '▔':
		fill(m, 0, 0, w, eighth(h, 1), 0xff)
	case r == '▕':
		fill(m, w-eighth(w, 1), 0, w, h, 0xff)
	case r >= '▖' && r <= '▟':
		q := quadrants[r-'▖']
		mx, my := eighth(w, 4), eighth(h, 4)
		if q&1 != 0 {
			fill(m, 0, 0, mx, my, 0xff)
		}
		if q&2 != 0 {
			fill(m, mx, 0, w, my, 0xff)
		}
		if q&4 != 0 {
			fill(m, 0, my, mx, h, 0xff)
		}
		if q&8 != 0 {
			fill(m, mx, my, w, h, 0xff)
		}
	default:
		return false
	}
	return true
}

// brailleDots gives the column and row of each bit of a braille pattern (U+2800 + bits).
var brailleDots = [8][2]int{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {0, 3}, {1, 3}}

// drawBraille renders braille patterns as round dots; Go Mono has none, and
// spinners are built from them.
func drawBraille(m *image.Alpha, r rune) bool {
	if r < 0x2800 || r > 0x28FF {
		return false
	}
	w, h := m.Rect.Dx()*unit, m.Rect.Dy()*unit
	rad := min(w/4, h/8) * 3 / 4
	bits := int(r - 0x2800)
	cover(m, func(x, y int) bool {
		for i, d := range brailleDots {
			if bits&(1<<i) == 0 {
				continue
			}
			dx, dy := x-w*(2*d[0]+1)/4, y-h*(2*d[1]+1)/8
			if dx*dx+dy*dy <= rad*rad {
				return true
			}
		}
		return false
	})
	return true
}
