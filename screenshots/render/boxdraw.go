package render

import "image"

// Box drawing (U+2500–U+257F) is drawn as geometry filling the whole cell,
// because font glyphs rarely reach the cell edges and borders would show gaps.

// weight is the stroke style of one arm of a box-drawing character.
type weight uint8

const (
	none weight = iota
	light
	heavy
	double
)

// arms lists the stroke reaching each cell edge from the centre.
type arms struct{ up, right, down, left weight }

// lineTable maps U+2500+i to its arms; zero entries are dashes, arcs or diagonals.
var lineTable = func() (t [0x80]arms) {
	const o, L, H, D = none, light, heavy, double
	rows := []struct {
		i int
		a arms
	}{
		{0x00, arms{o, L, o, L}}, // ─
		{0x01, arms{o, H, o, H}}, // ━
		{0x02, arms{L, o, L, o}}, // │
		{0x03, arms{H, o, H, o}}, // ┃
		{0x0C, arms{o, L, L, o}}, // ┌
		{0x0D, arms{o, H, L, o}}, // ┍
		{0x0E, arms{o, L, H, o}}, // ┎
		{0x0F, arms{o, H, H, o}}, // ┏
		{0x10, arms{o, o, L, L}}, // ┐
		{0x11, arms{o, o, L, H}}, // ┑
		{0x12, arms{o, o, H, L}}, // ┒
		{0x13, arms{o, o, H, H}}, // ┓
		{0x14, arms{L, L, o, o}}, // └
		{0x15, arms{L, H, o, o}}, // ┕
		{0x16, arms{H, L, o, o}}, // ┖
		{0x17, arms{H, H, o, o}}, // ┗
		{0x18, arms{L, o, o, L}}, // ┘
		{0x19, arms{L, o, o, H}}, // ┙
		{0x1A, arms{H, o, o, L}}, // ┚
		{0x1B, arms{H, o, o, H}}, // ┛
		{0x1C, arms{L, L, L, o}}, // ├
		{0x1D, arms{L, H, L, o}}, // ┝
		{0x1E, arms{H, L, L, o}}, // ┞
		{0x1F, arms{L, L, H, o}}, // ┟
		{0x20, arms{H, L, H, o}}, // ┠
		{0x21, arms{H, H, L, o}}, // ┡
		{0x22, arms{L, H, H, o}}, // ┢
		{0x23, arms{H, H, H, o}}, // ┣
		{0x24, arms{L, o, L, L}}, // ┤
		{0x25, arms{L, o, L, H}}, // ┥
		{0x26, arms{H, o, L, L}}, // ┦
		{0x27, arms{L, o, H, L}}, // ┧
		{0x28, arms{H, o, H, L}}, // ┨
		{0x29, arms{H, o, L, H}}, // ┩
		{0x2A, arms{L, o, H, H}}, // ┪
		{0x2B, arms{H, o, H, H}}, // ┫
		{0x2C, arms{o, L, L, L}}, // ┬
		{0x2D, arms{o, L, L, H}}, // ┭
		{0x2E, arms{o, H, L, L}}, // ┮
		{0x2F, arms{o, H, L, H}}, // ┯
		{0x30, arms{o, L, H, L}}, // ┰
		{0x31, arms{o, L, H, H}}, // ┱
		{0x32, arms{o, H, H, L}}, // ┲
		{0x33, arms{o, H, H, H}}, // ┳
		{0x34, arms{L, L, o, L}}, // ┴
		{0x35, arms{L, L, o, H}}, // ┵
		{0x36, arms{L, H, o, L}}, // ┶
		{0x37, arms{L, H, o, H}}, // ┷
		{0x38, arms{H, L, o, L}}, // ┸
		{0x39, arms{H, L, o, H}}, // ┹
		{0x3A, arms{H, H, o, L}}, // ┺
		{0x3B, arms{H, H, o, H}}, // ┻
		{0x3C, arms{L, L, L, L}}, // ┼
		{0x3D, arms{L, L, L, H}}, // ┽
		{0x3E, arms{L, H, L, L}}, // ┾
		{0x3F, arms{L, H, L, H}}, // ┿
		{0x40, arms{H, L, L, L}}, // ╀
		{0x41, arms{L, L, H, L}}, // ╁
		{0x42, arms{H, L, H, L}}, // ╂
		{0x43, arms{H, L, L, H}}, // ╃
		{0x44, arms{H, H, L, L}}, // ╄
		{0x45, arms{L, L, H, H}}, // ╅
		{0x46, arms{L, H, H, L}}, // ╆
		{0x47, arms{H, H, L, H}}, // ╇
		{0x48, arms{L, H, H, H}}, // ╈
		{0x49, arms{H, L, H, H}}, // ╉
		{0x4A, arms{H, H, H, L}}, // ╊
		{0x4B, arms{H, H, H, H}}, // ╋
		{0x50, arms{o, D, o, D}}, // ═
		{0x51, arms{D, o, D, o}}, // ║
		{0x52, arms{o, D, L, o}}, // ╒
		{0x53, arms{o, L, D, o}}, // ╓
		{0x54, arms{o, D, D, o}}, // ╔
		{0x55, arms{o, o, L, D}}, // ╕
		{0x56, arms{o, o, D, L}}, // ╖
		{0x57, arms{o, o, D, D}}, // ╗
		{0x58, arms{L, D, o, o}}, // ╘
		{0x59, arms{D, L, o, o}}, // ╙
		{0x5A, arms{D, D, o, o}}, // ╚
		{0x5B, arms{L, o, o, D}}, // ╛
		{0x5C, arms{D, o, o, L}}, // ╜
		{0x5D, arms{D, o, o, D}}, // ╝
		{0x5E, arms{L, D, L, o}}, // ╞
		{0x5F, arms{D, L, D, o}}, // ╟
		{0x60, arms{D, D, D, o}}, // ╠
		{0x61, arms{L, o, L, D}}, // ╡
		{0x62, arms{D, o, D, L}}, // ╢
		{0x63, arms{D, o, D, D}}, // ╣
		{0x64, arms{o, D, L, D}}, // ╤
		{0x65, arms{o, L, D, L}}, // ╥
		{0x66, arms{o, D, D, D}}, // ╦
		{0x67, arms{L, D, o, D}}, // ╧
		{0x68, arms{D, L, o, L}}, // ╨
		{0x69, arms{D, D, o, D}}, // ╩
		{0x6A, arms{L, D, L, D}}, // ╪
		{0x6B, arms{D, L, D, L}}, // ╫
		{0x6C, arms{D, D, D, D}}, // ╬
		{0x74, arms{o, o, o, L}}, // ╴
		{0x75, arms{L, o, o, o}}, // ╵
		{0x76, arms{o, L, o, o}}, // ╶
		{0x77, arms{o, o, L, o}}, // ╷
		{0x78, arms{o, o, o, H}}, // ╸
		{0x79, arms{H, o, o, o}}, // ╹
		{0x7A, arms{o, H, o, o}}, // ╺
		{0x7B, arms{o, o, H, o}}, // ╻
		{0x7C, arms{o, H, o, L}}, // ╼
		{0x7D, arms{L, o, H, o}}, // ╽
		{0x7E, arms{o, L, o, H}}, // ╾
		{0x7F, arms{H, o, L, o}}, // ╿
	}
	for _, r := range rows {
		t[r.i] = r.a
	}
	return t
}()

// dash describes the dashed lines ┄┅┆┇┈┉┊┋╌╍╎╏.
type dash struct {
	w        weight
	vertical bool
	n        int // dashes per cell
}

func dashFor(r rune) (dash, bool) {
	switch r {
	case '┄', '┅', '┆', '┇':
		return dash{light + weight(r-'┄')%2, (r-'┄')/2 == 1, 3}, true
	case '┈', '┉', '┊', '┋':
		return dash{light + weight(r-'┈')%2, (r-'┈')/2 == 1, 4}, true
	case '╌', '╍', '╎', '╏':
		return dash{light + weight(r-'╌')%2, (r-'╌')/2 == 1, 2}, true
	}
	return dash{}, false
}

// span is a half-open pixel interval [lo, hi).
type span struct{ lo, hi int }

func (s span) union(o span) span { return span{min(s.lo, o.lo), max(s.hi, o.hi)} }

// box holds stroke widths for one cell size; strokes on an axis are placed
// the same way in every cell, so neighbouring cells line up exactly.
type box struct {
	w, h         int
	light, heavy int
}

func newBox(w, h int) box {
	t := max(1, (w+4)/8) // about an eighth of the cell, like a regular stem
	return box{w: w, h: h, light: t, heavy: 2 * t}
}

// centre is where a light stroke starts across an axis of n pixels.
func (b box) centre(n int) int { return (n - b.light) / 2 }

// band is the extent across an axis of n pixels of a stroke of weight w (both lines for double).
func (b box) band(n int, w weight) span {
	c := b.centre(n)
	switch w {
	case heavy:
		lo := c - (b.heavy-b.light)/2 // heavy covers the light stroke so mixed joins align
		return span{lo, lo + b.heavy}
	case double:
		return span{c - b.light, c + 2*b.light}
	}
	return span{c, c + b.light}
}

// gap is the hole between the two lines of a double stroke.
func (b box) gap(n int) span {
	c := b.centre(n)
	return span{c, c + b.light}
}

// drawBox renders r into m if it is a box-drawing character.
func drawBox(m *image.Alpha, r rune) bool {
	if r < 0x2500 || r > 0x257F {
		return false
	}
	b := newBox(m.Rect.Dx(), m.Rect.Dy())
	switch {
	case r >= '╭' && r <= '╰':
		b.arc(m, r)
	case r >= '╱' && r <= '╳':
		b.diagonal(m, r)
	default:
		if d, ok := dashFor(r); ok {
			b.dashed(m, d)
		} else {
			b.lines(m, lineTable[r-0x2500])
		}
	}
	return true
}

// lines draws straight arms; each arm runs from its edge across the
// perpendicular strokes so corners and tees close without notches.
func (b box) lines(m *image.Alpha, a arms) {
	w, h := b.w, b.h
	vert, hasV := b.extent(w, a.up, a.down)
	horz, hasH := b.extent(h, a.left, a.right)
	reach := func(n int, own weight, cross span, has bool) span {
		if has {
			return cross
		}
		return b.band(n, own)
	}
	if a.up != none {
		x, y := b.band(w, a.up), reach(h, a.up, horz, hasH)
		fill(m, x.lo, 0, x.hi, y.hi, 0xff)
	}
	if a.down != none {
		x, y := b.band(w, a.down), reach(h, a.down, horz, hasH)
		fill(m, x.lo, y.lo, x.hi, h, 0xff)
	}
	if a.left != none {
		y, x := b.band(h, a.left), reach(w, a.left, vert, hasV)
		fill(m, 0, y.lo, x.hi, y.hi, 0xff)
	}
	if a.right != none {
		y, x := b.band(h, a.right), reach(w, a.right, vert, hasV)
		fill(m, x.lo, y.lo, w, y.hi, 0xff)
	}

	// Double arms are solid bars so far; cut the gap between their two
	// lines. A gap stops at a single perpendicular stroke (which crosses
	// it) but runs into a perpendicular double gap (so the lines nest).
	vDouble := a.up == double || a.down == double
	hDouble := a.left == double || a.right == double
	gx, gy := b.gap(w), b.gap(h)
	if a.up == double {
		end := h
		switch {
		case hDouble:
			end = gy.hi
		case hasH:
			end = horz.lo
		}
		fill(m, gx.lo, 0, gx.hi, end, 0)
	}
	if a.down == double {
		start := 0
		switch {
		case hDouble:
			start = gy.lo
		case hasH:
			start = horz.hi
		}
		fill(m, gx.lo, start, gx.hi, h, 0)
	}
	if a.left == double {
		end := w
		switch {
		case vDouble:
			end = gx.hi
		case hasV:
			end = vert.lo
		}
		fill(m, 0, gy.lo, end, gy.hi, 0)
	}
	if a.right == double {
		start := 0
		switch {
		case vDouble:
			start = gx.lo
		case hasV:
			start = vert.hi
		}
		fill(m, start, gy.lo, w, gy.hi, 0)
	}
}

// extent is the union of the bands of two opposite arms; has is false if both are absent.
func (b box) extent(n int, p, q weight) (s span, has bool) {
	switch {
	case p != none && q != none:
		return b.band(n, p).union(b.band(n, q)), true
	case p != none:
		return b.band(n, p), true
	case q != none:
		return b.band(n, q), true
	}
	return span{}, false
}

// dashed draws d.n evenly spaced dashes per cell, so a run of cells reads as one even dashed line.
func (b box) dashed(m *image.Alpha, d dash) {
	along, across := b.w, b.h
	if d.vertical {
		along, across = b.h, b.w
	}
	s := b.band(across, d.w)
	gap := max(1, along/(d.n*3))
	for i := range d.n {
		lo := i*along/d.n + gap/2
		hi := (i+1)*along/d.n - (gap - gap/2)
		if d.vertical {
			fill(m, s.lo, lo, s.hi, hi, 0xff)
		} else {
			fill(m, lo, s.lo, hi, s.hi, 0xff)
		}
	}
}

// arc draws a rounded corner: a quarter circle joined to straight light
// strokes, with one radius for all four corners so a box looks symmetric.
func (b box) arc(m *image.Alpha, r rune) {
	// Stroke centre lines and half-width in sample units.
	cx := (2*b.centre(b.w) + b.light) * ss
	cy := (2*b.centre(b.h) + b.light) * ss
	hw := b.light * ss
	rad := min(cx, b.w*unit-cx, cy, b.h*unit-cy)
	dx, dy := 1, 1 // direction of the horizontal and vertical arms
	switch r {
	case '╮':
		dx = -1
	case '╯':
		dx, dy = -1, -1
	case '╰':
		dy = -1
	}
	ax, ay := cx+dx*rad, cy+dy*rad // circle centre
	inner, outer := int64(max(rad-hw, 0)), int64(rad+hw)
	cover(m, func(x, y int) bool {
		behindX, behindY := (x-ax)*dx <= 0, (y-ay)*dy <= 0
		switch {
		case behindX && behindY:
			d2 := int64(x-ax)*int64(x-ax) + int64(y-ay)*int64(y-ay)
			return inner*inner <= d2 && d2 <= outer*outer
		case !behindX:
			return abs(int64(y-cy)) < int64(hw)
		default:
			return abs(int64(x-cx)) < int64(hw)
		}
	})
}

// diagonal draws ╱ ╲ ╳ corner to corner so they continue into neighbours.
func (b box) diagonal(m *image.Alpha, r rune) {
	w, h := b.w*unit, b.h*unit
	hw := b.light * ss
	cover(m, func(x, y int) bool {
		rising := r != '╲' && nearSegment(x, y, 0, h, w, 0, hw)
		falling := r != '╱' && nearSegment(x, y, 0, 0, w, h, hw)
		return rising || falling
	})
}
