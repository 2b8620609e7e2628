package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Figure is one multi-panel figure: title lines, a grid of panels, a legend
// and a caption. Panels may hold nil cells; the legend is drawn in the last
// empty cell if there is one, otherwise in a strip below the panels, so it
// never covers data.
type Figure struct {
	Title   []string       // first line large, the others smaller
	Panels  [][]*plot.Plot // rows × columns; nil cells stay empty
	Legend  []LegendEntry
	Caption string // a line of small text at the bottom, e.g. what whiskers mean
	// HeightScale multiplies the height given in Options (0 means 1), for
	// grids of small multiples that need more room than a landscape page.
	HeightScale float64
	// RowLabels, if set, name the rows of a grid of small multiples in a
	// strip left of the panels, each centred on its row's data (wrapped to
	// the row's height); the panels' own y labels then give only the unit.
	RowLabels []string
}

// LegendEntry is one legend label and the thumbnails drawn beside it.
type LegendEntry struct {
	Label  string
	Thumbs []plot.Thumbnailer
}

// Options sets the size and format of written figures. Zero fields take
// the defaults: 1600×1000 px at 144 dpi, PNG.
type Options struct {
	Width, Height int    // pixels (for SVG and PDF: pixels at DPI, converted to points)
	DPI           int    // dots per inch; fonts are sized in points, so DPI sets text size in pixels
	Format        string // "png", "svg" or "pdf"
}

// MaxPixels bounds a figure's width × height as drawn (e.g. 5000×3200):
// larger ones take minutes and gigabytes. coopsim plot refuses larger
// options; a figure whose HeightScale or CornerOptions takes it past the
// bound is drawn smaller, with its dpi (Options.drawn), and Render, Save
// and WriteAll say so (Written.Shrunk).
const MaxPixels = 16_000_000

// DefaultOptions are the options a zero Options stands for.
var DefaultOptions = Options{Width: 1600, Height: 1000, DPI: 144, Format: "png"}

func (o Options) withDefaults() Options {
	if o.Width <= 0 {
		o.Width = DefaultOptions.Width
	}
	if o.Height <= 0 {
		o.Height = DefaultOptions.Height
	}
	if o.DPI <= 0 {
		o.DPI = DefaultOptions.DPI
	}
	if o.Format == "" {
		o.Format = DefaultOptions.Format
	}
	return o
}

// drawn returns the options a figure of height scale hs (see
// Figure.HeightScale) is drawn with: those it asks for (asked), shrunk past
// MaxPixels (bounded).
func (o Options) drawn(hs float64) Options { return o.asked(hs).bounded() }

// asked returns the options with their defaults and the height scaled by
// hs (0 means 1): the size a figure of that HeightScale asks for.
func (o Options) asked(hs float64) Options {
	o = o.withDefaults()
	if hs > 0 {
		o.Height = int(math.Round(float64(o.Height) * hs))
	}
	return o
}

// bounded returns o, or past MaxPixels o shrunk with its dpi by one factor,
// so that the figure keeps its inches and its look in fewer pixels.
func (o Options) bounded() Options {
	if px := float64(o.Width) * float64(o.Height); px > MaxPixels {
		f := math.Sqrt(MaxPixels / px)
		o.Width, o.Height = int(float64(o.Width)*f), int(float64(o.Height)*f)
		o.DPI = max(1, int(math.Round(float64(o.DPI)*f)))
	}
	return o
}

// Written is a figure as written: its file, the size it asked for (the
// options' size, the height scaled by its HeightScale) and the size it was
// drawn at, which past MaxPixels is smaller, with its dpi smaller by the
// same factor (the same inches).
type Written struct {
	Path         string // the file ("" from Render)
	Asked, Drawn Options
}

// Shrunk reports whether a PNG was drawn in fewer pixels than it asked
// for. An SVG or PDF drawn so keeps its inches and loses nothing: it is not
// shrunk.
func (w Written) Shrunk() bool {
	return w.Drawn.Format == "png" && (w.Drawn.Width < w.Asked.Width || w.Drawn.Height < w.Asked.Height)
}

// Paths returns the written figures' paths, in order.
func Paths(ws []Written) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Path
	}
	return out
}

func (o Options) size() (w, h vg.Length) {
	return vg.Length(o.Width) * vg.Inch / vg.Length(o.DPI), vg.Length(o.Height) * vg.Inch / vg.Length(o.DPI)
}

const pad = vg.Length(8)

// Draw draws the figure onto c.
func (f *Figure) Draw(c draw.Canvas) {
	c.FillPolygon(color.White, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
	top := c.Max.Y - pad
	width := c.Max.X - c.Min.X - 2*pad
	for i, line := range f.Title {
		sty := textStyle(subSize)
		if i == 0 {
			sty = textStyle(titleSize)
		}
		sty.XAlign = draw.XCenter
		sty.YAlign = draw.YTop
		for _, l := range wrap(sty, line, width) {
			c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, l)
			top -= sty.Height(l) + 2
		}
		top -= 2
	}
	top -= pad

	bottom := c.Min.Y + pad
	if f.Caption != "" {
		sty := textStyle(subSize)
		sty.Color = gray
		sty.XAlign = draw.XCenter
		lines := wrap(sty, f.Caption, width)
		for i := len(lines) - 1; i >= 0; i-- {
			c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: bottom}, lines[i])
			bottom += sty.Height(lines[i]) + 2
		}
		bottom += pad / 2
	}

	rows := len(f.Panels)
	cols := 0
	emptyR, emptyC := -1, -1
	for _, row := range f.Panels {
		cols = max(cols, len(row))
	}
	for r := range f.Panels {
		for col := range cols {
			if col >= len(f.Panels[r]) || f.Panels[r][col] == nil {
				emptyR, emptyC = r, col
			}
		}
	}
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		copy(grid[r], f.Panels[r])
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14), PadY: vg.Points(12),
		PadLeft: pad, PadRight: vg.Points(14)}
	if len(f.RowLabels) > 0 {
		tiles.PadLeft += rowLabelWidth + rowLabelGap
	}
	layout := func(bottom vg.Length) [][]draw.Canvas {
		area := c
		area.Rectangle = vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: bottom}, Max: vg.Point{X: c.Max.X, Y: top}}
		return alignGrid(grid, tiles, area)
	}
	if rows == 0 || cols == 0 {
		return
	}
	canvases := layout(bottom)
	if len(f.Legend) > 0 && (emptyR < 0 || !legendFits(canvases[emptyR][emptyC], f.Legend)) {
		emptyR = -1
		h := drawLegendStrip(c, f.Legend, c.Min.X+pad, c.Max.X-pad, bottom)
		bottom += h + pad
		canvases = layout(bottom)
	}
	// Wrap panel titles wider than their data area (plus the gap to the
	// next panel) and lay out again, since wrapped titles are taller.
	restore := wrapTitles(grid, canvases, tiles.PadX)
	defer restore()
	canvases = layout(bottom)
	defer thinLabels(grid, canvases)()
	alignData(grid, canvases)
	for r := range grid {
		for col, p := range grid[r] {
			if p != nil {
				drawPanel(p, canvases[r][col])
			}
		}
	}
	if len(f.Legend) > 0 && emptyR >= 0 {
		drawLegendBox(canvases[emptyR][emptyC], f.Legend)
	}
	f.drawRowLabels(c, grid, canvases)
}

// Row labels are drawn in a strip left of the panels, rowLabelWidth wide
// (two lines of panel-title text, rowLabelLeading apart), rowLabelGap
// (half a line) short of the panels' y axis labels: at 800×500 px at 72
// dpi a label drawn in the strip's edge seemed to touch the "%" beside it.
const (
	rowLabelLeading = 1.2 // line pitch over the font size (gonum's Plain puts lines 1 apart: a descender nearly met the next line's capitals)
	rowLabelWidth   = vg.Length(2 * rowLabelLeading * panelSize)
	rowLabelGap     = vg.Length(panelSize / 2)
)

// drawRowLabels writes each row's label, turned a quarter, in the strip
// left of the panels, centred on the row's data area, in at most two
// lines.
func (f *Figure) drawRowLabels(c draw.Canvas, grid [][]*plot.Plot, canvases [][]draw.Canvas) {
	sty := textStyle(panelSize)
	sty.Rotation = math.Pi / 2
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	for r, label := range f.RowLabels {
		if r >= len(grid) || label == "" {
			continue
		}
		for col, p := range grid[r] {
			if p == nil {
				continue
			}
			dc := p.DataCanvas(canvases[r][col])
			// A label may reach as far as the row's panels (axes
			// included; PadY apart from the next row's label), and the
			// strip holds two lines: a longer one gets smaller.
			room := canvases[r][col].Max.Y - canvases[r][col].Min.Y
			sty := sty
			lines := wrapName(sty, label, room)
			for len(lines) > 2 && sty.Font.Size > panelSize*0.7 {
				sty.Font.Size *= 0.9
				lines = wrapName(sty, label, room)
			}
			// Turned a quarter, the first line is the leftmost.
			mid := c.Min.X + pad + rowLabelWidth/2
			pitch := vg.Length(rowLabelLeading) * sty.Font.Size
			for i, l := range lines {
				x := mid + (vg.Length(i)-vg.Length(len(lines)-1)/2)*pitch
				c.FillText(sty, vg.Point{X: x, Y: (dc.Min.Y + dc.Max.Y) / 2}, l)
			}
			break
		}
	}
}

// alignGrid lays the panels out as plot.Align does, with data areas of
// equal size and each column's (row's) room for axes set by its widest
// (tallest) panel, but measures that room on the whole canvas rather than
// on an equal share of it: plot.Align's first guess gives every cell the
// same width, so a panel with long row labels (scenario names) got a
// negative data width and the grid collapsed.
func alignGrid(grid [][]*plot.Plot, t draw.Tiles, c draw.Canvas) [][]draw.Canvas {
	rows, cols := len(grid), len(grid[0])
	left, right := make([]vg.Length, cols), make([]vg.Length, cols)
	below, above := make([]vg.Length, rows), make([]vg.Length, rows)
	for r := range grid {
		for col, p := range grid[r] {
			if p == nil {
				continue
			}
			dc := p.DataCanvas(c)
			left[col], right[col] = max(left[col], dc.Min.X-c.Min.X), max(right[col], c.Max.X-dc.Max.X)
			below[r], above[r] = max(below[r], dc.Min.Y-c.Min.Y), max(above[r], c.Max.Y-dc.Max.Y)
		}
	}
	w := c.Max.X - c.Min.X - t.PadLeft - t.PadRight - t.PadX*vg.Length(cols-1)
	for col := range cols {
		w -= left[col] + right[col]
	}
	h := c.Max.Y - c.Min.Y - t.PadTop - t.PadBottom - t.PadY*vg.Length(rows-1)
	for r := range rows {
		h -= below[r] + above[r]
	}
	w, h = max(w/vg.Length(cols), 1), max(h/vg.Length(rows), 1)
	out := make([][]draw.Canvas, rows)
	y := c.Max.Y - t.PadTop
	for r := range rows {
		out[r] = make([]draw.Canvas, cols)
		x := c.Min.X + t.PadLeft
		bottom := y - above[r] - h - below[r]
		for col := range cols {
			end := x + left[col] + w + right[col]
			out[r][col] = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: bottom}, Max: vg.Point{X: end, Y: y}}}
			x = end + t.PadX
		}
		y = bottom - t.PadY
	}
	return out
}

// alignData trims the panels' canvases so that the data areas of a row
// share their top and bottom, and those of a column their left and right
// edges. plot.Align gets close but not exact when panels pad their data
// area differently for tick labels at the axis ends, which shifted titles
// and axes of the labelled first column by a few points.
func alignData(grid [][]*plot.Plot, canvases [][]draw.Canvas) {
	const unset = vg.Length(math.MaxFloat32)
	for range 4 { // the padding depends a little on the size: iterate
		top, bottom := make([]vg.Length, len(grid)), make([]vg.Length, len(grid))
		var left, right []vg.Length
		for r := range grid {
			top[r], bottom[r] = unset, -unset
			for col, p := range grid[r] {
				for len(left) <= col {
					left, right = append(left, -unset), append(right, unset)
				}
				if p == nil {
					continue
				}
				dc := p.DataCanvas(canvases[r][col])
				top[r], bottom[r] = min(top[r], dc.Max.Y), max(bottom[r], dc.Min.Y)
				left[col], right[col] = max(left[col], dc.Min.X), min(right[col], dc.Max.X)
			}
		}
		for r := range grid {
			for col, p := range grid[r] {
				if p == nil {
					continue
				}
				c := &canvases[r][col]
				dc := p.DataCanvas(*c)
				c.Max.Y -= dc.Max.Y - top[r]
				c.Min.Y += bottom[r] - dc.Min.Y
				c.Min.X += left[col] - dc.Min.X
				c.Max.X -= dc.Max.X - right[col]
			}
		}
	}
}

// thinLabels drops every other x tick label of each panel whose labels
// would run into each other at its drawn width (narrow panels of a grid,
// wide labels such as "−300"), as often as needed, keeping 0 where it is
// labelled. It returns a function that puts the tickers back.
func thinLabels(grid [][]*plot.Plot, canvases [][]draw.Canvas) (restore func()) {
	type saved struct {
		p *plot.Plot
		t plot.Ticker
	}
	var old []saved
	for r := range grid {
		for col, p := range grid[r] {
			if p == nil {
				continue
			}
			for range 3 {
				if !labelsCollide(p, p.DataCanvas(canvases[r][col])) {
					break
				}
				old = append(old, saved{p, p.X.Tick.Marker})
				p.X.Tick.Marker = everyOther(p.X.Tick.Marker)
			}
		}
	}
	return func() {
		for i := len(old) - 1; i >= 0; i-- {
			old[i].p.X.Tick.Marker = old[i].t
		}
	}
}

// labelsCollide reports whether two neighbouring x tick labels of p, drawn
// on the data canvas dc, come closer than half a label's height.
func labelsCollide(p *plot.Plot, dc draw.Canvas) bool {
	if !(p.X.Max > p.X.Min) {
		return false
	}
	sty := p.X.Tick.Label
	gap := sty.Height("0") / 2
	scale := (dc.Max.X - dc.Min.X) / vg.Length(p.X.Max-p.X.Min)
	prevEnd := vg.Length(math.Inf(-1))
	for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if t.Label == "" || t.Label == " " {
			continue
		}
		x := vg.Length(t.Value-p.X.Min) * scale
		w := sty.Width(t.Label)
		if x-w/2 < prevEnd+gap {
			return true
		}
		prevEnd = x + w/2
	}
	return false
}

// everyOther keeps the marks of t but only every other label: those at an
// even position counted from the label at 0 (or from the first label).
func everyOther(t plot.Ticker) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		ts := t.Ticks(min, max)
		var labelled []int
		zero := -1
		for i, tk := range ts {
			if tk.Label != "" && tk.Label != " " {
				if tk.Value == 0 {
					zero = len(labelled)
				}
				labelled = append(labelled, i)
			}
		}
		parity := 0
		if zero >= 0 {
			parity = zero % 2
		}
		for k, i := range labelled {
			if k%2 != parity {
				ts[i].Label = ""
			}
		}
		return ts
	})
}

// wrapTitles replaces each panel title wider than the room above its data
// area with the title broken into lines (wrapName), and returns a function
// that puts the original titles back.
func wrapTitles(grid [][]*plot.Plot, canvases [][]draw.Canvas, gap vg.Length) (restore func()) {
	type saved struct {
		p    *plot.Plot
		text string
	}
	var old []saved
	for r := range grid {
		for col, p := range grid[r] {
			if p == nil || p.Title.Text == "" {
				continue
			}
			dc := p.DataCanvas(canvases[r][col])
			room := dc.Max.X - dc.Min.X + gap
			if p.Title.TextStyle.Width(p.Title.Text) <= room {
				continue
			}
			old = append(old, saved{p, p.Title.Text})
			p.Title.Text = strings.Join(wrapName(p.Title.TextStyle, p.Title.Text, room), "\n")
		}
	}
	return func() {
		for _, s := range old {
			s.p.Title.Text = s.text
		}
	}
}

// wrapName splits a title into lines no wider than width where it can,
// breaking after spaces and hyphens ("amended-no-cap" becomes "amended-"
// and "no-cap").
func wrapName(sty text.Style, s string, width vg.Length) []string {
	var parts []string // words, each keeping its trailing space or hyphen
	start := 0
	for i, r := range s {
		if r == ' ' || r == '-' {
			parts = append(parts, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		parts = append(parts, s[start:])
	}
	var lines []string
	cur := ""
	for _, w := range parts {
		if cur != "" && sty.Width(strings.TrimSpace(cur+w)) > width {
			lines = append(lines, strings.TrimSpace(cur))
			cur = ""
		}
		cur += w
	}
	return append(lines, strings.TrimSpace(cur))
}

// drawPanel draws p into c with its title centred over the data area
// rather than over the whole panel (which includes the y axis), so that
// titles line up with their data across a grid.
func drawPanel(p *plot.Plot, c draw.Canvas) {
	if p.Title.Text == "" {
		p.Draw(c)
		return
	}
	sty := p.Title.TextStyle
	p.Title.TextStyle.Color = color.Transparent // keeps the title's room
	p.Draw(c)
	p.Title.TextStyle = sty
	dc := p.DataCanvas(c)
	sty.XAlign = draw.XCenter
	sty.YAlign = draw.YBottom
	c.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y + p.Title.Padding}, p.Title.Text)
}

// wrap splits s into lines no wider than width, at spaces.
func wrap(sty text.Style, s string, width vg.Length) []string {
	if sty.Width(s) <= width {
		return []string{s}
	}
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if cur != "" && sty.Width(try) > width {
			lines = append(lines, cur)
			cur = w
		} else {
			cur = try
		}
	}
	return append(lines, cur)
}

const thumbW = vg.Length(28)

func drawEntry(c draw.Canvas, sty text.Style, x, y vg.Length, e LegendEntry) {
	h := sty.Height("Mg")
	icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: x, Y: y + h*0.1}, Max: vg.Point{X: x + thumbW, Y: y + h*0.9}}}
	for _, t := range e.Thumbs {
		t.Thumbnail(&icon)
	}
	c.FillText(sty, vg.Point{X: x + thumbW + 6, Y: y}, e.Label)
}

// drawLegendStrip draws the entries left to right, wrapping into rows,
// centred between x0 and x1, with the bottom row at y. It returns the
// strip's height.
func drawLegendStrip(c draw.Canvas, entries []LegendEntry, x0, x1, y vg.Length) vg.Length {
	sty := textStyle(subSize)
	gap := vg.Length(20)
	var rows [][]LegendEntry
	var widths []vg.Length
	var cur []LegendEntry
	var w vg.Length
	for _, e := range entries {
		ew := thumbW + 6 + sty.Width(e.Label)
		if len(cur) > 0 && w+gap+ew > x1-x0 {
			rows, widths = append(rows, cur), append(widths, w)
			cur, w = nil, 0
		}
		if len(cur) > 0 {
			w += gap
		}
		cur = append(cur, e)
		w += ew
	}
	rows, widths = append(rows, cur), append(widths, w)
	lh := sty.Height("Mg") * 1.3
	for i := len(rows) - 1; i >= 0; i-- {
		x := (x0+x1)/2 - widths[i]/2
		for _, e := range rows[i] {
			drawEntry(c, sty, x, y, e)
			x += thumbW + 6 + sty.Width(e.Label) + gap
		}
		y += lh
	}
	return lh * vg.Length(len(rows))
}

// legendFits reports whether drawLegendBox fits the entries into c.
func legendFits(c draw.Canvas, entries []LegendEntry) bool {
	sty := textStyle(subSize)
	lh := sty.Height("Mg") * 1.35
	w := vg.Length(0)
	for _, e := range entries {
		w = max(w, pad*2+thumbW+6+sty.Width(e.Label))
	}
	return w <= c.Max.X-c.Min.X && lh*vg.Length(len(entries)) <= c.Max.Y-c.Min.Y
}

// drawLegendBox draws the entries top to bottom in an empty grid cell.
func drawLegendBox(c draw.Canvas, entries []LegendEntry) {
	sty := textStyle(subSize)
	lh := sty.Height("Mg") * 1.35
	y := c.Max.Y - lh
	x := c.Min.X + pad*2
	for _, e := range entries {
		drawEntry(c, sty, x, y, e)
		y -= lh
	}
}

// Render writes the figure to w in the options' format and size, and
// says at what size it asked to be drawn and was drawn (Written, with no
// Path).
func (f *Figure) Render(w io.Writer, opt Options) (Written, error) {
	asked := opt.asked(f.HeightScale)
	opt = asked.bounded()
	wr := Written{Asked: asked, Drawn: opt}
	wpt, hpt := opt.size()
	var cw vg.CanvasWriterTo
	switch opt.Format {
	case "png":
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(wpt, hpt), vgimg.UseDPI(opt.DPI))}
	case "svg", "pdf":
		var err error
		if cw, err = draw.NewFormattedCanvas(wpt, hpt, opt.Format); err != nil {
			return wr, fmt.Errorf("plots: %w", err)
		}
	default:
		return wr, fmt.Errorf("plots: unknown format %q (want png, svg or pdf)", opt.Format)
	}
	f.Draw(draw.New(cw))
	if _, err := cw.WriteTo(w); err != nil {
		return wr, fmt.Errorf("plots: %w", err)
	}
	return wr, nil
}

// Save writes the figure atomically to path (see report.WriteFileAtomic)
// and says at what size (Render).
func (f *Figure) Save(path string, opt Options) (Written, error) {
	var wr Written
	err := report.WriteFileAtomic(path, func(w io.Writer) error {
		var err error
		wr, err = f.Render(w, opt)
		return err
	})
	wr.Path = path
	if err != nil {
		return wr, fmt.Errorf("plots: %w", err)
	}
	return wr, nil
}

// FileName returns a figure's file name (FigureFile.File) with the
// extension of the options' format.
func FileName(base string, opt Options) string {
	opt = opt.withDefaults()
	return strings.TrimSuffix(base, filepath.Ext(base)) + "." + opt.Format
}

var errNoData = errors.New("no data")
