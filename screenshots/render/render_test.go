package render

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/muesli/termenv"
)

// cellSize renders a 1x1 screen to learn the default cell size in pixels.
func cellSize(t *testing.T) (w, h int) {
	t.Helper()
	img, err := Render("", Options{Cols: 1, Rows: 1, Padding: -1})
	if err != nil {
		t.Fatal(err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func render(t *testing.T, screen string, o Options) *image.RGBA {
	t.Helper()
	img, err := Render(screen, o)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestDefaultCellSize(t *testing.T) {
	if w, h := cellSize(t); w != 8 || h != 17 {
		t.Errorf("cell = %dx%d px, want 8x17 for Go Mono 14pt at 72 DPI", w, h)
	}
}

func TestDeterministic(t *testing.T) {
	screen := sampleScreen()
	a, err := PNG(screen, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := PNG(screen, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same screen differ")
	}
	if !bytes.HasPrefix(a, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatal("output is not a PNG")
	}
}

func TestGeometry(t *testing.T) {
	cw, ch := cellSize(t)
	for _, o := range []Options{
		{Cols: 80, Rows: 24},
		{Cols: 10, Rows: 3, Padding: 5},
		{Cols: 7, Rows: 2, Padding: -1},
	} {
		pad := o.Padding
		switch {
		case pad == 0:
			pad = 16
		case pad < 0:
			pad = 0
		}
		img := render(t, "way more text than ten columns\nline\nline\nline\nline", o)
		want := image.Pt(o.Cols*cw+2*pad, o.Rows*ch+2*pad)
		if got := img.Bounds().Size(); got != want {
			t.Errorf("%+v: size %v, want %v", o, got, want)
		}
	}
	// Zero size fits the content: widest line by number of lines.
	img := render(t, "ab\nabcd\n", Options{Padding: -1})
	if got, want := img.Bounds().Size(), image.Pt(4*cw, 2*ch); got != want {
		t.Errorf("fit: size %v, want %v", got, want)
	}
}

func TestInvalidOptions(t *testing.T) {
	for _, o := range []Options{{Cols: -1}, {Rows: -2}, {FontSize: -1}, {DPI: -72}, {Cols: 5000, Rows: 5000}, {FontSize: 1000}} {
		if _, err := Render("x", o); err == nil {
			t.Errorf("%+v: want error", o)
		}
	}
}

// centre is the pixel at the middle of cell (x, y).
func centre(img *image.RGBA, o Options, x, y int) color.RGBA {
	cw, ch := cellW(img, o), cellH(img, o)
	return img.RGBAAt(o.Padding+x*cw+cw/2, o.Padding+y*ch+ch/2)
}

func cellW(img *image.RGBA, o Options) int { return (img.Bounds().Dx() - 2*o.Padding) / o.Cols }
func cellH(img *image.RGBA, o Options) int { return (img.Bounds().Dy() - 2*o.Padding) / o.Rows }

func TestColours(t *testing.T) {
	o := Options{Cols: 5, Rows: 1, Padding: 4}
	red := color.RGBA{255, 0, 0, 255}
	green := color.RGBA{0, 200, 80, 255}
	img := render(t, "\x1b[48;2;255;0;0m \x1b[0m \x1b[38;2;0;200;80m█\x1b[0m \x1b[7m \x1b[0m", o)
	if got := centre(img, o, 0, 0); got != red {
		t.Errorf("truecolor background: centre %v, want %v", got, red)
	}
	if got := centre(img, o, 1, 0); got != defaultBackground {
		t.Errorf("plain cell: centre %v, want default background %v", got, defaultBackground)
	}
	// A full block must cover its whole cell, corners included.
	cw, ch := cellW(img, o), cellH(img, o)
	x0, y0 := o.Padding+2*cw, o.Padding
	for _, p := range []image.Point{{x0, y0}, {x0 + cw - 1, y0}, {x0, y0 + ch - 1}, {x0 + cw - 1, y0 + ch - 1}, {x0 + cw/2, y0 + ch/2}} {
		if got := img.RGBAAt(p.X, p.Y); got != green {
			t.Errorf("truecolor █ at %v = %v, want %v", p, got, green)
		}
	}
	if got := centre(img, o, 4, 0); got != defaultForeground {
		t.Errorf("reverse space: centre %v, want default foreground %v", got, defaultForeground)
	}
}

func TestBasicAnd256Colours(t *testing.T) {
	o := Options{Cols: 4, Rows: 1, Padding: 2}
	img := render(t, "\x1b[41m \x1b[104m \x1b[48;5;196m \x1b[48;5;244m \x1b[49m", o)
	want := []color.RGBA{defaultPalette[1], defaultPalette[12], {255, 0, 0, 255}, {128, 128, 128, 255}}
	for x, w := range want {
		if got := centre(img, o, x, 0); got != w {
			t.Errorf("cell %d: %v, want %v", x, got, w)
		}
	}
}

func TestAttributes(t *testing.T) {
	o := Options{Cols: 3, Rows: 1, Padding: 1}
	fg, bg := defaultForeground, defaultBackground
	img := render(t, "\x1b[4m \x1b[24m\x1b[2m█\x1b[22m\x1b[7m \x1b[27m", o)
	cw, ch := cellW(img, o), cellH(img, o)
	// An underlined space paints exactly one full-width row of fg.
	var rows []int
	for y := range ch {
		if _, _, ok := run(img, image.Pt(o.Padding, o.Padding+y), image.Pt(o.Padding+cw-1, o.Padding+y), bg); ok {
			if g, broken := gapAlong(img, image.Pt(o.Padding, o.Padding+y), image.Pt(o.Padding+cw-1, o.Padding+y), bg); broken {
				t.Errorf("underline has a gap at %v", g)
			}
			rows = append(rows, y)
		}
	}
	if len(rows) != 1 {
		t.Errorf("underline covers rows %v, want exactly one", rows)
	}
	if got, want := centre(img, o, 1, 0), mix(fg, bg, 128); got != want {
		t.Errorf("faint █ = %v, want fg half-way to bg %v", got, want)
	}
	if got := centre(img, o, 2, 0); got != fg {
		t.Errorf("reverse space = %v, want fg %v", got, fg)
	}

	// Bold picks the heavier font: more ink for the same letters.
	ink := func(screen string) (n int) {
		img := render(t, screen, Options{Cols: 4, Rows: 1})
		for i := 0; i < len(img.Pix); i += 4 {
			n += int(img.Pix[i]) // red channel rises with coverage on the dark theme
		}
		return n
	}
	if plain, bold := ink("HEMW"), ink("\x1b[1mHEMW"); bold <= plain {
		t.Errorf("bold ink %d <= regular ink %d", bold, plain)
	}
}

// run finds the first and last painted pixels (not bg) along a line of
// pixels, so tests need not know where the renderer places a stroke.
func run(img *image.RGBA, from, to image.Point, bg color.RGBA) (lo, hi image.Point, ok bool) {
	step := image.Pt(sign(to.X-from.X), sign(to.Y-from.Y))
	for p := from; ; p = p.Add(step) {
		if img.RGBAAt(p.X, p.Y) != bg {
			if !ok {
				lo, ok = p, true
			}
			hi = p
		}
		if p == to {
			return lo, hi, ok
		}
	}
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

// gapAlong returns the first background pixel on the straight line from..to inclusive.
func gapAlong(img *image.RGBA, from, to image.Point, bg color.RGBA) (image.Point, bool) {
	step := image.Pt(sign(to.X-from.X), sign(to.Y-from.Y))
	for p := from; ; p = p.Add(step) {
		if img.RGBAAt(p.X, p.Y) == bg {
			return p, true
		}
		if p == to {
			return image.Point{}, false
		}
	}
}

// components counts 8-connected groups of painted pixels: one closed border is one group.
func components(img *image.RGBA, bg color.RGBA) int {
	b := img.Bounds()
	seen := make([]bool, b.Dx()*b.Dy())
	idx := func(p image.Point) int { return (p.Y-b.Min.Y)*b.Dx() + p.X - b.Min.X }
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			start := image.Pt(x, y)
			if seen[idx(start)] || img.RGBAAt(x, y) == bg {
				continue
			}
			n++
			stack := []image.Point{start}
			seen[idx(start)] = true
			for len(stack) > 0 {
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						q := p.Add(image.Pt(dx, dy))
						if q.In(b) && !seen[idx(q)] && img.RGBAAt(q.X, q.Y) != bg {
							seen[idx(q)] = true
							stack = append(stack, q)
						}
					}
				}
			}
		}
	}
	return n
}

func TestBoxJoins(t *testing.T) {
	o := Options{Cols: 3, Rows: 3, Padding: 4}
	bg := defaultBackground
	for _, tc := range []struct {
		screen  string
		rounded bool
		rings   int // painted groups: a double border is two nested rings
	}{
		{"┌─┐\n│ │\n└─┘", false, 1},
		{"┏━┓\n┃ ┃\n┗━┛", false, 1},
		{"╔═╗\n║ ║\n╚═╝", false, 2},
		{"╭─╮\n│ │\n╰─╯", true, 1},
	} {
		img := render(t, tc.screen, o)
		cw, ch := cellW(img, o), cellH(img, o)
		p := o.Padding
		// Locate the strokes in the middle of each edge; for a double line take the outer one.
		left, lhi, ok1 := run(img, image.Pt(p, p+ch+ch/2), image.Pt(p+cw-1, p+ch+ch/2), bg)
		right, _, ok2 := run(img, image.Pt(p+3*cw-1, p+ch+ch/2), image.Pt(p+2*cw, p+ch+ch/2), bg)
		top, thi, ok3 := run(img, image.Pt(p+cw+cw/2, p), image.Pt(p+cw+cw/2, p+ch-1), bg)
		bottom, _, ok4 := run(img, image.Pt(p+cw+cw/2, p+3*ch-1), image.Pt(p+cw+cw/2, p+2*ch), bg)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			t.Fatalf("%q: an edge is missing", tc.screen)
		}
		if tc.rings == 1 { // single strokes: follow the middle of the stroke
			left.X, top.Y = (left.X+lhi.X)/2, (top.Y+thi.Y)/2
		}
		// Square corners: the edge runs unbroken from one corner's centre to the other's.
		from, to := image.Pt(left.X, top.Y), image.Pt(left.X, bottom.Y)
		hFrom, hTo := image.Pt(left.X, top.Y), image.Pt(right.X, top.Y)
		if tc.rounded { // arcs leave the corner centre, so check across both cell joins instead
			from, to = image.Pt(left.X, p+ch-1), image.Pt(left.X, p+2*ch)
			hFrom, hTo = image.Pt(p+cw-1, top.Y), image.Pt(p+2*cw, top.Y)
		}
		if g, broken := gapAlong(img, from, to, bg); broken {
			t.Errorf("%q: left edge broken at %v", tc.screen, g)
		}
		if g, broken := gapAlong(img, hFrom, hTo, bg); broken {
			t.Errorf("%q: top edge broken at %v", tc.screen, g)
		}
		if n := components(img, bg); n != tc.rings {
			t.Errorf("%q: border falls into %d pieces, want %d", tc.screen, n, tc.rings)
		}
	}
}

func TestRoundedBorderRow(t *testing.T) {
	o := Options{Cols: 4, Rows: 1, Padding: 4}
	bg := defaultBackground
	img := render(t, "╭──╮", o)
	cw, ch := cellW(img, o), cellH(img, o)
	p := o.Padding
	lo, hi, ok := run(img, image.Pt(p+cw+cw/2, p), image.Pt(p+cw+cw/2, p+ch-1), bg)
	if !ok {
		t.Fatal("no horizontal stroke")
	}
	y := (lo.Y + hi.Y) / 2
	// From the last column of ╭ to the first of ╮: covers all three cell joins.
	if g, broken := gapAlong(img, image.Pt(p+cw-1, y), image.Pt(p+3*cw, y), bg); broken {
		t.Errorf("╭──╮ broken at %v", g)
	}
	if n := components(img, bg); n != 1 {
		t.Errorf("╭──╮ falls into %d pieces", n)
	}
	// Both corners' vertical arms reach the bottom edge, to join a │ below.
	for _, cell := range []int{0, 3} {
		if _, _, ok := run(img, image.Pt(p+cell*cw, p+ch-1), image.Pt(p+cell*cw+cw-1, p+ch-1), bg); !ok {
			t.Errorf("corner in cell %d does not reach the bottom edge", cell)
		}
	}
}

func TestBlocksFillCells(t *testing.T) {
	o := Options{Cols: 3, Rows: 1, Padding: 1}
	img := render(t, "▀▄▌", o)
	cw, ch := cellW(img, o), cellH(img, o)
	fg, bg := defaultForeground, defaultBackground
	at := func(cell, x, y int) color.RGBA { return img.RGBAAt(o.Padding+cell*cw+x, o.Padding+y) }
	checks := []struct {
		cell, x, y int
		want       color.RGBA
	}{
		{0, 0, 0, fg}, {0, cw - 1, ch/2 - 1, fg}, {0, 0, ch - 1, bg},
		{1, 0, 0, bg}, {1, cw - 1, ch - 1, fg},
		{2, 0, ch - 1, fg}, {2, cw - 1, 0, bg},
	}
	for _, c := range checks {
		if got := at(c.cell, c.x, c.y); got != c.want {
			t.Errorf("cell %d pixel (%d,%d) = %v, want %v", c.cell, c.x, c.y, got, c.want)
		}
	}
}

func TestWideRunes(t *testing.T) {
	o := Options{Cols: 6, Rows: 1, Padding: 2}
	// 日 takes cells 0-1, so the red background starts at cell 2.
	img := render(t, "日\x1b[41m \x1b[0m", o)
	red := defaultPalette[1]
	if got := centre(img, o, 2, 0); got != red {
		t.Errorf("cell after wide rune = %v, want red %v", got, red)
	}
	if got := centre(img, o, 3, 0); got == red {
		t.Error("cell 3 is red: wide rune counted as one cell")
	}
	// A wide rune's background spans both of its cells.
	img = render(t, "\x1b[42m日\x1b[0mx", o)
	for x := range 2 {
		// Sample the top row, clear of the fallback box outline.
		cw := cellW(img, o)
		if got := img.RGBAAt(o.Padding+x*cw+cw/2, o.Padding); got != defaultPalette[2] {
			t.Errorf("wide cell half %d background = %v, want green", x, got)
		}
	}
}

func TestClipping(t *testing.T) {
	o := Options{Cols: 2, Rows: 1, Padding: 2}
	// The third cell and second line fall outside and must not panic or show.
	img := render(t, "\x1b[41m   \x1b[0m\nmore", o)
	if got := centre(img, o, 1, 0); got != defaultPalette[1] {
		t.Errorf("clipped row: %v", got)
	}
	// A wide rune that would straddle the right edge is dropped.
	img = render(t, "a\x1b[41m日", o)
	if got := centre(img, o, 1, 0); got == defaultPalette[1] {
		t.Error("half a wide rune was drawn at the right edge")
	}
}

func TestIgnoresOtherEscapes(t *testing.T) {
	o := Options{Cols: 4, Rows: 1}
	plain := render(t, "ab", o)
	noisy := render(t, "\x1b[?25la\x1b[Kb\x1b[0m", o)
	if !bytes.Equal(plain.Pix, noisy.Pix) {
		t.Error("non-SGR escapes changed the picture")
	}
}

func TestBrailleDrawn(t *testing.T) {
	o := Options{Cols: 2, Rows: 1, Padding: 1}
	img := render(t, "⣿⠀", o)
	cw, ch := cellW(img, o), cellH(img, o)
	count := func(cell int) (n int) {
		for y := range ch {
			for x := range cw {
				if img.RGBAAt(o.Padding+cell*cw+x, o.Padding+y) != defaultBackground {
					n++
				}
			}
		}
		return n
	}
	if n := count(0); n < 8 {
		t.Errorf("⣿ painted %d pixels, want 8 dots", n)
	}
	if n := count(1); n != 0 {
		t.Errorf("blank braille painted %d pixels", n)
	}
}

// sampleScreen is a typical iamcreds-like view: a rounded box, a table, bold and a spinner.
func sampleScreen() string {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	title := r.NewStyle().Bold(true).Foreground(lipgloss.Color("#cba6f7"))
	ok := r.NewStyle().Foreground(lipgloss.Color("#a6e3a1"))
	warn := r.NewStyle().Foreground(lipgloss.Color("#f9e2af"))
	bad := r.NewStyle().Foreground(lipgloss.Color("#f38ba8")).Bold(true)
	dim := r.NewStyle().Faint(true)
	spin := r.NewStyle().Foreground(lipgloss.Color("#89b4fa"))
	sel := r.NewStyle().Background(lipgloss.Color("#313244")).Foreground(lipgloss.Color("#f5e0dc"))

	tbl := table.New().
		Border(lipgloss.NormalBorder()).
		BorderStyle(r.NewStyle().Foreground(lipgloss.Color("#6c7086"))).
		Headers("PROFILE", "ACCOUNT", "EXPIRES", "STATUS").
		Rows(
			[]string{"dev", "111122223333", "in 52m", ok.Render("✓ valid")},
			[]string{"staging", "444455556666", "in 3m", warn.Render("… expiring")},
			[]string{"prod", "777788889999", "—", bad.Render("✗ expired")},
		).
		StyleFunc(func(row, col int) lipgloss.Style {
			if row == table.HeaderRow {
				return r.NewStyle().Bold(true).Padding(0, 1)
			}
			return r.NewStyle().Padding(0, 1)
		})

	body := lipgloss.JoinVertical(lipgloss.Left,
		title.Render("iamcreds")+dim.Render(" · AWS credentials"),
		"",
		tbl.Render(),
		"",
		spin.Render("⠋")+" Refreshing "+r.NewStyle().Underline(true).Render("staging")+" session…",
		sel.Render("▸ rotate keys ")+"  "+r.NewStyle().Italic(true).Render("last rotated 12 days ago"),
		dim.Render("↑/↓ move • enter select • q quit")+"  "+spin.Render("▁▂▃▄▅▆▇█")+" ░▒▓",
	)
	box := r.NewStyle().
		Border(lipgloss.RoundedBorder()).
		BorderForeground(lipgloss.Color("#89b4fa")).
		Padding(0, 1).
		Render(body)
	double := r.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(lipgloss.Color("#f5c2e7")).Render("╬ double ═")
	thick := r.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(lipgloss.Color("#fab387")).Render("heavy ━")
	return lipgloss.JoinVertical(lipgloss.Left, box, lipgloss.JoinHorizontal(lipgloss.Top, double, " ", thick, " 日本 ⡇⣿⠿ ┄┈╌ ╱╲╳"))
}

func TestSamplePNG(t *testing.T) {
	data, err := PNG(sampleScreen(), Options{Cols: 64, Rows: 21})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "sample.png"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	// RENDER_SAMPLE=/tmp/render-sample.png keeps a copy for eyeballing.
	if p := os.Getenv("RENDER_SAMPLE"); p != "" {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// goldenScreen exercises every drawing path without depending on lipgloss output.
const goldenScreen = "\x1b[1mBold\x1b[22m \x1b[3mItalic\x1b[23m \x1b[1;3mBoth\x1b[0m \x1b[2mfaint\x1b[22m \x1b[4munder\x1b[24m \x1b[7mrev\x1b[27m\n" +
	"\x1b[38;5;208m256\x1b[39m \x1b[92mbright\x1b[0m \x1b[48;2;49;50;68m ╭─┬─╮ ┏━┓ ╔═╗ \x1b[49m ▁▃▅▇█░▒▓▚\n" +
	"⠋⠙⠹⣿ ✓ ✗ ▸ • … → ● 日 ╱╲ {}[]()@#$%&gjpqy"

func TestPixelsStable(t *testing.T) {
	// Pins the exact pixels so a platform-dependent rendering path (e.g. fused
	// float maths on arm64 or GOAMD64=v3) shows up as a failure. If you changed
	// the rendering on purpose, look at the output and update want.
	img := render(t, goldenScreen, Options{Cols: 48, Rows: 3})
	got := fmt.Sprintf("%x", sha256.Sum256(img.Pix))
	const want = "83fa4cf97d908ca8b874e1a597ac0a9aba6bcadaa750719ee0901a485d31c677"
	if got != want {
		t.Errorf("pixel hash = %s, want %s", got, want)
	}
}

func TestConcurrentRenders(t *testing.T) {
	want, err := PNG(goldenScreen, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]byte, 4)
	for i := range got {
		wg.Go(func() { got[i], _ = PNG(goldenScreen, Options{}) })
	}
	wg.Wait()
	for i, g := range got {
		if !bytes.Equal(g, want) {
			t.Errorf("concurrent render %d differs", i)
		}
	}
}
