// Package render turns a terminal screen — text with SGR colour escapes, as a
// Bubble Tea View returns it — into a PNG screenshot, in pure Go and
// byte-for-byte reproducibly, so screenshots can be regenerated and diffed.
package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/charmbracelet/x/cellbuf"
)

// Options control the terminal geometry and theme. Zero values pick defaults.
type Options struct {
	// Cols, Rows is the terminal size in cells; content beyond is clipped and
	// missing lines are blank. Zero fits the content.
	Cols, Rows int
	// FontSize in points; default 14.
	FontSize float64
	// DPI; default 72, so at the defaults one point is one pixel.
	DPI float64
	// Padding in pixels around the grid; 0 means the default 16, negative means none.
	Padding int
	// Background and Foreground are the terminal default colours; a zero
	// (fully transparent) colour means the built-in dark theme.
	Background, Foreground color.RGBA
	// Palette holds ANSI colours 0-15; zero entries take the built-in palette.
	Palette [16]color.RGBA
}

const (
	defaultFontSize = 14
	defaultDPI      = 72
	defaultPadding  = 16
	// maxCells bounds the image so a bad size fails instead of exhausting memory.
	maxCells = 1 << 20
	// maxPixelSize keeps glyphs under 512 px, where vector.Rasterizer stays on
	// its exact fixed-point path (above it switches to float maths).
	maxPixelSize = 256
)

// withDefaults fills in defaults and validates, sizing the grid from screen if asked.
func (o Options) withDefaults(screen string) (Options, error) {
	if o.Cols < 0 || o.Rows < 0 {
		return o, fmt.Errorf("render: negative terminal size %dx%d", o.Cols, o.Rows)
	}
	if o.Cols == 0 || o.Rows == 0 {
		cols, rows := contentSize(screen)
		if o.Cols == 0 {
			o.Cols = max(cols, 1)
		}
		if o.Rows == 0 {
			o.Rows = rows
		}
	}
	if o.Cols*o.Rows > maxCells {
		return o, fmt.Errorf("render: terminal size %dx%d exceeds %d cells", o.Cols, o.Rows, maxCells)
	}
	if o.FontSize == 0 {
		o.FontSize = defaultFontSize
	}
	if o.DPI == 0 {
		o.DPI = defaultDPI
	}
	if !(o.FontSize > 0) || !(o.DPI > 0) || o.FontSize*o.DPI/72 > maxPixelSize {
		return o, fmt.Errorf("render: unusable font size %vpt at %v DPI", o.FontSize, o.DPI)
	}
	switch {
	case o.Padding == 0:
		o.Padding = defaultPadding
	case o.Padding < 0:
		o.Padding = 0
	}
	o.Background = orDefault(o.Background, defaultBackground)
	o.Foreground = orDefault(o.Foreground, defaultForeground)
	for i := range o.Palette {
		o.Palette[i] = orDefault(o.Palette[i], defaultPalette[i])
	}
	return o, nil
}

// Render draws screen (lines separated by \n, styled with SGR escapes) as a
// terminal would show it.
func Render(screen string, opt Options) (*image.RGBA, error) {
	o, err := opt.withDefaults(screen)
	if err != nil {
		return nil, err
	}
	ts, err := newTypesetter(o.FontSize, o.DPI)
	if err != nil {
		return nil, err
	}
	m := ts.m
	img := image.NewRGBA(image.Rect(0, 0, o.Cols*m.cellW+2*o.Padding, o.Rows*m.cellH+2*o.Padding))
	draw.Draw(img, img.Bounds(), image.NewUniform(o.Background), image.Point{}, draw.Src)

	r := &renderer{o: o, ts: ts, img: img}
	buf := parse(screen, o.Cols, o.Rows)
	// Backgrounds first, so glyphs that overhang their cell (italics) are not cut by the next cell.
	r.each(buf, r.background)
	r.each(buf, r.foreground)
	return img, nil
}

// PNG renders screen and encodes it; the same input gives the same bytes.
func PNG(screen string, opt Options) ([]byte, error) {
	img, err := Render(screen, opt)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("render: encode png: %w", err)
	}
	return b.Bytes(), nil
}

// renderer carries one Render call's state.
type renderer struct {
	o    Options
	ts   *typesetter
	img  *image.RGBA
	mask image.Alpha // scratch for shapes
}

// each visits every cell that starts a character, in row-major order, with its pixel rectangle.
func (r *renderer) each(buf *cellbuf.Buffer, f func(c *cellbuf.Cell, rect image.Rectangle)) {
	m := r.ts.m
	for y := range r.o.Rows {
		for x := range r.o.Cols {
			c := buf.Cell(x, y)
			if c == nil || c.Width == 0 { // continuation of a wide rune, painted with its head
				continue
			}
			p := image.Pt(r.o.Padding+x*m.cellW, r.o.Padding+y*m.cellH)
			f(c, image.Rectangle{Min: p, Max: p.Add(image.Pt(c.Width*m.cellW, m.cellH))})
		}
	}
}

// colours resolves a style to foreground, background and underline colours.
func (r *renderer) colours(st cellbuf.Style) (fg, bg, ul color.RGBA) {
	fg = r.o.resolve(st.Fg, r.o.Foreground)
	bg = r.o.resolve(st.Bg, r.o.Background)
	if st.Attrs.Contains(cellbuf.ReverseAttr) {
		fg, bg = bg, fg
	}
	if st.Attrs.Contains(cellbuf.FaintAttr) {
		fg = mix(fg, bg, 128)
	}
	return fg, bg, r.o.resolve(st.Ul, fg)
}

func (r *renderer) background(c *cellbuf.Cell, rect image.Rectangle) {
	_, bg, _ := r.colours(c.Style)
	if bg != r.o.Background {
		draw.Draw(r.img, rect, image.NewUniform(bg), image.Point{}, draw.Src)
	}
}

func (r *renderer) foreground(c *cellbuf.Cell, rect image.Rectangle) {
	st := c.Style
	if st.Attrs.Contains(cellbuf.ConcealAttr) {
		return
	}
	fg, _, ul := r.colours(st)
	m := r.ts.m
	if c.Rune > ' ' {
		r.glyph(c, rect, fg)
	}
	if st.UlStyle != cellbuf.NoUnderline {
		y := rect.Min.Y + min(m.baseline+max(1, (m.cellH-m.baseline)/2), m.cellH-1)
		draw.Draw(r.img, image.Rect(rect.Min.X, y, rect.Max.X, y+1), image.NewUniform(ul), image.Point{}, draw.Src)
	}
	if st.Attrs.Contains(cellbuf.StrikethroughAttr) {
		y := rect.Min.Y + (m.baseline+m.xTop)/2
		draw.Draw(r.img, image.Rect(rect.Min.X, y, rect.Max.X, y+1), image.NewUniform(fg), image.Point{}, draw.Src)
	}
}

// glyph draws the cell's character: as a shape if it is one we draw, else
// from Go Mono, else as a missing-glyph box.
func (r *renderer) glyph(c *cellbuf.Cell, rect image.Rectangle, fg color.RGBA) {
	m := r.ts.m
	isBold := c.Style.Attrs.Contains(cellbuf.BoldAttr)
	mask := newMask(&r.mask, rect.Dx(), rect.Dy())
	if drawBox(mask, c.Rune) || drawBlock(mask, c.Rune) || drawBraille(mask, c.Rune) || drawSymbol(mask, c.Rune, m, isBold) {
		draw.DrawMask(r.img, rect, image.NewUniform(fg), image.Point{}, mask, image.Point{}, draw.Over)
		return
	}
	variant := regular
	if isBold {
		variant |= bold
	}
	if c.Style.Attrs.Contains(cellbuf.ItalicAttr) {
		variant |= italic
	}
	f, i, ok := r.ts.glyph(variant, c.Rune)
	if !ok {
		drawMissing(mask, m)
		draw.DrawMask(r.img, rect, image.NewUniform(fg), image.Point{}, mask, image.Point{}, draw.Over)
		return
	}
	dot := image.Pt(rect.Min.X, rect.Min.Y+m.baseline)
	if c.Width > 1 { // centre a narrow font glyph in a wide cell
		dot.X += max(0, (rect.Dx()-r.ts.advance(f, i))/2)
	}
	r.ts.draw(r.img, f, i, dot, fg)
	for _, cr := range c.Comb { // combining marks stack on the base; unknown ones (ZWJ, VS16) are skipped
		if f, i, ok := r.ts.glyph(variant, cr); ok {
			r.ts.draw(r.img, f, i, dot, fg)
		}
	}
}
