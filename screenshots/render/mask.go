package render

import "image"

// Shapes are drawn into an alpha mask the size of the cell, then composited
// in the cell's foreground colour. Anti-aliased shapes are supersampled with
// integer tests only, so the result is bit-identical on every machine.

// ss is the number of samples per pixel along each axis.
const ss = 4

// unit is the number of sample-space units per pixel. Sample centres sit on
// odd units, so a shape edge on a whole pixel never touches a sample.
const unit = 2 * ss

// newMask returns a cleared w×h mask, reusing m's storage when it can.
func newMask(m *image.Alpha, w, h int) *image.Alpha {
	n := w * h
	if cap(m.Pix) < n {
		m.Pix = make([]uint8, n)
	}
	*m = image.Alpha{Pix: m.Pix[:n], Stride: w, Rect: image.Rect(0, 0, w, h)}
	clear(m.Pix)
	return m
}

// fill sets the pixels of [x0,x1)×[y0,y1), clipped to the mask, to alpha a.
func fill(m *image.Alpha, x0, y0, x1, y1 int, a uint8) {
	r := image.Rect(x0, y0, x1, y1).Intersect(m.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := m.Pix[y*m.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			row[x] = a
		}
	}
}

// cover adds the anti-aliased area where inside holds; inside gets sample-space coordinates.
func cover(m *image.Alpha, inside func(sx, sy int) bool) {
	for py := range m.Rect.Dy() {
		for px := range m.Rect.Dx() {
			n := 0
			for j := range ss {
				for i := range ss {
					if inside(px*unit+2*i+1, py*unit+2*j+1) {
						n++
					}
				}
			}
			if a := uint8((n*255 + ss*ss/2) / (ss * ss)); a > m.Pix[py*m.Stride+px] {
				m.Pix[py*m.Stride+px] = a
			}
		}
	}
}

// nearSegment reports whether p is within hw of segment ab (round caps), in exact integers.
func nearSegment(px, py, ax, ay, bx, by, hw int) bool {
	dx, dy := int64(bx-ax), int64(by-ay)
	qx, qy := int64(px-ax), int64(py-ay)
	h2 := int64(hw) * int64(hw)
	l2 := dx*dx + dy*dy
	switch t := qx*dx + qy*dy; {
	case t <= 0 || l2 == 0:
		return qx*qx+qy*qy <= h2
	case t >= l2:
		rx, ry := int64(px-bx), int64(py-by)
		return rx*rx+ry*ry <= h2
	}
	cross := qx*dy - qy*dx
	return cross*cross <= h2*l2
}

// inTriangle reports whether p lies inside triangle abc (either winding).
func inTriangle(px, py, ax, ay, bx, by, cx, cy int) bool {
	side := func(x0, y0, x1, y1 int) int64 {
		return int64(x1-x0)*int64(py-y0) - int64(y1-y0)*int64(px-x0)
	}
	d1, d2, d3 := side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)
	neg := d1 < 0 || d2 < 0 || d3 < 0
	pos := d1 > 0 || d2 > 0 || d3 > 0
	return !(neg && pos)
}
