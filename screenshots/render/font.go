package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/gomonobolditalic"
	"golang.org/x/image/font/gofont/gomonoitalic"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Font variants, indexed by bold | italic<<1.
const (
	regular = iota
	bold
	italic
	boldItalic
)

// goMono holds the four parsed Go Mono fonts; parsing is costly, so do it once.
var goMono = sync.OnceValues(func() ([4]*sfnt.Font, error) {
	var fonts [4]*sfnt.Font
	for i, ttf := range [4][]byte{gomono.TTF, gomonobold.TTF, gomonoitalic.TTF, gomonobolditalic.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return fonts, fmt.Errorf("render: parse Go Mono: %w", err)
		}
		fonts[i] = f
	}
	return fonts, nil
})

// metrics is the cell geometry in whole pixels.
type metrics struct {
	cellW, cellH int
	baseline     int // from the cell top
	capTop       int // top of capitals, from the cell top
	xTop         int // top of lower-case x, from the cell top
}

// typesetter draws glyphs; it owns scratch buffers, so one per Render call.
type typesetter struct {
	fonts [4]*sfnt.Font
	ppem  fixed.Int26_6
	m     metrics
	buf   sfnt.Buffer
	rast  vector.Rasterizer
	mask  image.Alpha
}

func newTypesetter(size, dpi float64) (*typesetter, error) {
	fonts, err := goMono()
	if err != nil {
		return nil, err
	}
	// Full hinting rounds metrics to whole pixels so cells tile without seams.
	face, err := opentype.NewFace(fonts[regular], &opentype.FaceOptions{Size: size, DPI: dpi, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("render: font face: %w", err)
	}
	defer face.Close()
	fm := face.Metrics()
	adv, _ := face.GlyphAdvance('M')
	capB, _, _ := face.GlyphBounds('H')
	xB, _, _ := face.GlyphBounds('x')
	m := metrics{
		cellW:    adv.Round(),
		cellH:    (fm.Ascent + fm.Descent).Round(),
		baseline: fm.Ascent.Round(),
	}
	m.capTop = m.baseline + capB.Min.Y.Round()
	m.xTop = m.baseline + xB.Min.Y.Round()
	if m.cellW < 1 || m.cellH < 1 {
		return nil, fmt.Errorf("render: font size %v at %v DPI is too small", size, dpi)
	}
	return &typesetter{
		fonts: fonts,
		// Same rounding as opentype.NewFace, so outlines match the metrics above.
		ppem: fixed.Int26_6(0.5 + size*dpi*64/72),
		m:    m,
	}, nil
}

// glyph finds r in the wanted variant, else in the regular font; ok is false if neither has it.
func (t *typesetter) glyph(variant int, r rune) (*sfnt.Font, sfnt.GlyphIndex, bool) {
	for _, f := range [2]*sfnt.Font{t.fonts[variant], t.fonts[regular]} {
		if i, err := f.GlyphIndex(&t.buf, r); err == nil && i != 0 {
			return f, i, true
		}
	}
	return nil, 0, false
}

// advance is the glyph's advance width in whole pixels.
func (t *typesetter) advance(f *sfnt.Font, i sfnt.GlyphIndex) int {
	a, err := f.GlyphAdvance(&t.buf, i, t.ppem, font.HintingFull)
	if err != nil {
		return t.m.cellW
	}
	return a.Round()
}

// draw paints glyph i of f with its origin at dot.
//
// We rasterize the outline ourselves rather than via opentype.Face.Glyph:
// vector.Rasterizer.QuadTo flattens curves with float32 a+t*(b-a), which the
// compiler may fuse into FMA on arm64 or GOAMD64=v3, changing output bytes by
// machine. Flattening in integers and feeding only LineTo keeps the vector
// package on its fixed-point path, which is exact.
func (t *typesetter) draw(dst *image.RGBA, f *sfnt.Font, i sfnt.GlyphIndex, dot image.Point, c color.RGBA) {
	segs, err := f.LoadGlyph(&t.buf, i, t.ppem, nil)
	if err != nil {
		return
	}
	b := segs.Bounds()
	r := image.Rect(b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil())
	if r.Empty() {
		return
	}
	t.rast.Reset(r.Dx(), r.Dy())
	t.rast.DrawOp = draw.Src
	origin := fixed.Point26_6{X: fixed.I(r.Min.X), Y: fixed.I(r.Min.Y)}
	lineTo := func(p point) { t.rast.LineTo(float32(p.x-int64(origin.X))/64, float32(p.y-int64(origin.Y))/64) }
	var pen point
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			t.rast.ClosePath()
			pen = pt(s.Args[0])
			t.rast.MoveTo(float32(pen.x-int64(origin.X))/64, float32(pen.y-int64(origin.Y))/64)
		case sfnt.SegmentOpLineTo:
			pen = pt(s.Args[0])
			lineTo(pen)
		case sfnt.SegmentOpQuadTo:
			pen = flattenQuad(pen, pt(s.Args[0]), pt(s.Args[1]), lineTo)
		case sfnt.SegmentOpCubeTo:
			pen = flattenCube(pen, pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2]), lineTo)
		}
	}
	t.rast.ClosePath()

	n := r.Dx() * r.Dy()
	if cap(t.mask.Pix) < n {
		t.mask.Pix = make([]uint8, n)
	}
	t.mask = image.Alpha{Pix: t.mask.Pix[:n], Stride: r.Dx(), Rect: image.Rect(0, 0, r.Dx(), r.Dy())}
	t.rast.Draw(&t.mask, t.mask.Rect, image.Opaque, image.Point{})
	draw.DrawMask(dst, r.Add(dot), image.NewUniform(c), image.Point{}, &t.mask, image.Point{}, draw.Over)
}

// point is a 26.6 fixed-point position widened to int64 for exact Bézier sums.
type point struct{ x, y int64 }

func pt(p fixed.Point26_6) point { return point{int64(p.X), int64(p.Y)} }

// steps picks enough chords that the flattening error stays under 1/16 px
// (chord error ≈ |second difference|/(4n²), in 1/64 px units).
func steps(d int64) int64 {
	n := int64(1)
	for n < 32 && n*n*16 < d {
		n++
	}
	return n
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// divRound divides by a positive d, rounding half away from zero, identically on every platform.
func divRound(v, d int64) int64 {
	if v < 0 {
		return -((-v + d/2) / d)
	}
	return (v + d/2) / d
}

func flattenQuad(p0, p1, p2 point, lineTo func(point)) point {
	n := steps(abs(p0.x-2*p1.x+p2.x) + abs(p0.y-2*p1.y+p2.y))
	nn := n * n
	for i := int64(1); i <= n; i++ {
		a, b, c := (n-i)*(n-i), 2*i*(n-i), i*i
		lineTo(point{divRound(a*p0.x+b*p1.x+c*p2.x, nn), divRound(a*p0.y+b*p1.y+c*p2.y, nn)})
	}
	return p2
}

func flattenCube(p0, p1, p2, p3 point, lineTo func(point)) point {
	d := max(abs(p0.x-2*p1.x+p2.x)+abs(p0.y-2*p1.y+p2.y), abs(p1.x-2*p2.x+p3.x)+abs(p1.y-2*p2.y+p3.y))
	n := steps(d * 3 / 2)
	nnn := n * n * n
	for i := int64(1); i <= n; i++ {
		j := n - i
		a, b, c, e := j*j*j, 3*i*j*j, 3*i*i*j, i*i*i
		lineTo(point{divRound(a*p0.x+b*p1.x+c*p2.x+e*p3.x, nnn), divRound(a*p0.y+b*p1.y+c*p2.y+e*p3.y, nnn)})
	}
	return p3
}
