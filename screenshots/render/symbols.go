package render

import "image"

// Common TUI status symbols that Go Mono lacks are drawn as shapes, so a
// screenshot shows ✓ rather than a placeholder box.

// drawSymbol renders r into m if it is one of the drawn symbols; bold thickens strokes.
func drawSymbol(m *image.Alpha, r rune, mt metrics, bold bool) bool {
	w := m.Rect.Dx() * unit
	top, bottom := mt.capTop*unit, mt.baseline*unit
	hw := max(ss, (w*3+20)/40) // half of a regular Go Mono stem, about 0.15 of the cell width
	if bold || r == '✔' || r == '✘' {
		hw = hw * 3 / 2
	}
	x := func(f int) int { return w * f / 100 }              // f per cent across the cell
	y := func(f int) int { return top + (bottom-top)*f/100 } // f per cent down the cap height
	switch r {
	case '✓', '✔':
		cover(m, func(px, py int) bool {
			return nearSegment(px, py, x(12), y(55), x(40), y(90), hw) ||
				nearSegment(px, py, x(40), y(90), x(88), y(8), hw)
		})
	case '✗', '✘':
		cover(m, func(px, py int) bool {
			return nearSegment(px, py, x(18), y(12), x(82), y(92), hw) ||
				nearSegment(px, py, x(82), y(12), x(18), y(92), hw)
		})
	case '▶', '◀', '▸', '◂':
		t, l, rt := top, x(15), x(85)
		if r == '▸' || r == '◂' { // small triangles sit in the x-height
			t, l, rt = mt.xTop*unit, x(25), x(75)
		}
		mid := (t + bottom) / 2
		if r == '◀' || r == '◂' {
			l, rt = rt, l
		}
		cover(m, func(px, py int) bool { return inTriangle(px, py, l, t, l, bottom, rt, mid) })
	default:
		return false
	}
	return true
}

// drawMissing outlines a small box for glyphs no font or shape covers, as terminals do.
func drawMissing(m *image.Alpha, mt metrics) {
	w := m.Rect.Dx()
	x0, x1 := 1, w-1
	y0, y1 := mt.capTop, mt.baseline
	fill(m, x0, y0, x1, y0+1, 0xff)
	fill(m, x0, y1-1, x1, y1, 0xff)
	fill(m, x0, y0, x0+1, y1, 0xff)
	fill(m, x1-1, y0, x1, y1, 0xff)
}
