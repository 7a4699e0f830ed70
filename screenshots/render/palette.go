package render

import (
	"image/color"

	"github.com/charmbracelet/x/ansi"
)

// Catppuccin Mocha: a widely used dark terminal theme, so screenshots look familiar.
var (
	defaultBackground = rgb(0x1e1e2e)
	defaultForeground = rgb(0xcdd6f4)
	defaultPalette    = [16]color.RGBA{
		rgb(0x45475a), rgb(0xf38ba8), rgb(0xa6e3a1), rgb(0xf9e2af),
		rgb(0x89b4fa), rgb(0xf5c2e7), rgb(0x94e2d5), rgb(0xbac2de),
		rgb(0x585b70), rgb(0xf38ba8), rgb(0xa6e3a1), rgb(0xf9e2af),
		rgb(0x89b4fa), rgb(0xf5c2e7), rgb(0x94e2d5), rgb(0xa6adc8),
	}
)

// rgb builds an opaque colour from 0xRRGGBB.
func rgb(hex uint32) color.RGBA {
	return color.RGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

// orDefault treats a fully transparent colour as "unset", the zero value of Options.
func orDefault(c, def color.RGBA) color.RGBA {
	if c.A == 0 {
		return def
	}
	c.A = 0xff // the screenshot is opaque; translucent cells would have nothing to show through
	return c
}

// resolve maps a cell colour to RGB; nil means the terminal default def.
func (o *Options) resolve(c ansi.Color, def color.RGBA) color.RGBA {
	switch c := c.(type) {
	case nil:
		return def
	case ansi.BasicColor:
		return o.Palette[c&15]
	case ansi.IndexedColor:
		return o.indexed(uint8(c))
	default:
		r, g, b, a := c.RGBA()
		if a == 0 { // SGR 38;1 "transparent" behaves like the default colour
			return def
		}
		return color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0xff}
	}
}

// indexed returns xterm's 256-colour table entry, with 0-15 taken from the palette.
func (o *Options) indexed(i uint8) color.RGBA {
	switch {
	case i < 16:
		return o.Palette[i]
	case i < 232:
		levels := [6]uint8{0, 95, 135, 175, 215, 255}
		i -= 16
		return color.RGBA{R: levels[i/36], G: levels[i/6%6], B: levels[i%6], A: 0xff}
	default:
		v := 8 + 10*(i-232)
		return color.RGBA{R: v, G: v, B: v, A: 0xff}
	}
}

// mix blends a toward b by w/256, in integer maths so output is bit-exact everywhere.
func mix(a, b color.RGBA, w int) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8((int(x)*(256-w) + int(y)*w + 128) >> 8) }
	return color.RGBA{R: f(a.R, b.R), G: f(a.G, b.G), B: f(a.B, b.B), A: 0xff}
}
