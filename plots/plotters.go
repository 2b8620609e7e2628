package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// quantileBox draws one horizontal box from summary percentiles at height
// Y: whiskers from P5 to P95, a box from P25 to P75, a median line that
// reaches past the box's edges (on a white halo, so that it shows on any
// box colour) and a ring at the mean. Values are already in axis units.
type quantileBox struct {
	Y                            float64
	P5, P25, P50, P75, P95, Mean float64
	Color                        color.RGBA
	Height                       float64 // in y data units
}

func (b *quantileBox) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	y := trY(b.Y)
	hh := (trY(b.Y+b.Height/2) - trY(b.Y-b.Height/2)) / 2
	edge := lineStyle(b.Color, 2)
	// Whiskers and caps.
	c.StrokeLine2(edge, trX(b.P75), y, trX(b.P95), y)
	c.StrokeLine2(edge, trX(b.P25), y, trX(b.P5), y)
	c.StrokeLine2(edge, trX(b.P95), y-hh/2, trX(b.P95), y+hh/2)
	c.StrokeLine2(edge, trX(b.P5), y-hh/2, trX(b.P5), y+hh/2)
	// A box narrower than minBox (a firm whose revenue hardly varies
	// against a wide axis) is widened about its middle so that it stays
	// visible; a box of zero width (the firm books nothing) is not drawn.
	lo, hi := trX(b.P25), trX(b.P75)
	if b.P75 > b.P25 && hi-lo < minBox {
		mid := (lo + hi) / 2
		lo, hi = mid-minBox/2, mid+minBox/2
	}
	if b.P75 > b.P25 || b.P5 != b.P95 {
		box := []vg.Point{{X: lo, Y: y - hh}, {X: hi, Y: y - hh}, {X: hi, Y: y + hh}, {X: lo, Y: y + hh}}
		c.FillPolygon(withAlpha(b.Color, 0.35), c.ClipPolygonXY(box))
		c.StrokeLines(edge, c.ClipLinesXY(append(box, box[0]))...)
		m, over := trX(b.P50), hh*1.2
		c.StrokeLine2(lineStyle(color.White, 6), m, y-over, m, y+over)
		c.StrokeLine2(lineStyle(color.Black, 3), m, y-over, m, y+over)
	}
	// The mean is a hollow ring, so that a narrow box shows through it.
	c.DrawGlyph(meanGlyph, vg.Point{X: trX(b.Mean), Y: y})
}

// minBox is the smallest drawn width of a quantile box.
const minBox = vg.Length(6)

var meanGlyph = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(4.5), Shape: draw.RingGlyph{}}

func (b *quantileBox) DataRange() (xmin, xmax, ymin, ymax float64) {
	return min(b.P5, b.Mean), max(b.P95, b.Mean), b.Y, b.Y
}

// medianThumb is the legend thumbnail of a box's median line.
type medianThumb struct{}

func (medianThumb) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(lineStyle(color.Black, 3), x, c.Min.Y, x, c.Max.Y)
}

// offScale marks a value beyond the panel's axis at height Y: the label
// (the value) and an arrow, in the scenario's colour, against the panel's
// right edge (or left, if Left).
type offScale struct {
	Y     float64
	Label string
	Left  bool
	Color color.RGBA
}

func (o *offScale) Plot(c draw.Canvas, plt *plot.Plot) {
	_, trY := plt.Transforms(&c)
	sty := textStyle(tickSize)
	sty.Color = o.Color
	sty.YAlign = draw.YCenter
	x, text := c.Max.X-2, o.Label+" →"
	sty.XAlign = draw.XRight
	if o.Left {
		x, text = c.Min.X+2, "← "+o.Label
		sty.XAlign = draw.XLeft
	}
	c.FillText(sty, vg.Point{X: x, Y: trY(o.Y)}, text)
}

// interval draws a point at Mid with a horizontal bar from Lo to Hi at
// height Y (in axis units). The bar and its end caps are drawn over the
// point, dark on a white halo, so that an interval narrower than the point
// still shows; the point is filled, or hollow (white inside) when Hollow
// is set.
type interval struct {
	Y, Lo, Mid, Hi float64
	Color          color.RGBA
	Hollow         bool
	// Radius is the point's radius (0: 6.5 pt); the caps reach a little
	// beyond it. No bar is drawn where Lo = Hi.
	Radius vg.Length
}

func (iv *interval) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	y := trY(iv.Y)
	capH, halo, width := vg.Points(8), 4.5, 2.0
	if iv.Radius > 0 { // small points in dense rows: smaller caps and bars
		capH, halo, width = iv.Radius, 3.5, 1.5
	}
	for _, g := range diffGlyphs(iv.Color, !iv.Hollow) {
		if iv.Radius > 0 {
			g.Radius = iv.Radius
		}
		c.DrawGlyph(g, vg.Point{X: trX(iv.Mid), Y: y})
	}
	if !(iv.Lo < iv.Hi) {
		return
	}
	bar := []vg.Point{{X: trX(iv.Lo), Y: y}, {X: trX(iv.Hi), Y: y}}
	caps := [][]vg.Point{}
	for _, v := range []float64{iv.Lo, iv.Hi} {
		caps = append(caps, []vg.Point{{X: trX(v), Y: y - capH}, {X: trX(v), Y: y + capH}})
	}
	dark := color.RGBA{R: iv.Color.R / 2, G: iv.Color.G / 2, B: iv.Color.B / 2, A: 255}
	for _, ls := range []draw.LineStyle{lineStyle(color.White, halo), lineStyle(dark, width)} {
		c.StrokeLines(ls, c.ClipLinesXY(bar)...)
		for _, cp := range caps {
			c.StrokeLines(ls, c.ClipLinesXY(cp)...)
		}
	}
}

func (iv *interval) DataRange() (xmin, xmax, ymin, ymax float64) {
	return min(iv.Lo, iv.Mid), max(iv.Hi, iv.Mid), iv.Y, iv.Y
}

// diffGlyphs returns the glyphs of an interval's point: a filled circle,
// or a white one with a coloured ring.
func diffGlyphs(c color.RGBA, filled bool) []draw.GlyphStyle {
	r := vg.Points(6.5)
	if filled {
		return []draw.GlyphStyle{{Color: c, Radius: r, Shape: draw.CircleGlyph{}}}
	}
	return []draw.GlyphStyle{
		{Color: color.White, Radius: r, Shape: draw.CircleGlyph{}},
		{Color: c, Radius: r, Shape: thickRing{}},
	}
}

// diffGlyph is diffGlyphs as one legend thumbnail's glyphs.
func diffGlyph(c color.RGBA, filled bool) draw.GlyphStyle {
	if filled {
		return diffGlyphs(c, true)[0]
	}
	return diffGlyphs(c, false)[1]
}

// thickRing is a ring glyph with a 2.5 pt line.
type thickRing struct{}

func (thickRing) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineWidth(vg.Points(2.5))
	c.SetColor(sty.Color)
	var p vg.Path
	r := sty.Radius - vg.Points(1.25)
	p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Arc(pt, r, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}

// refLine is a straight reference line from (X0, Y0) to (X1, Y1) in data
// units that does not widen the axes beyond its own extent.
type refLine struct {
	X0, Y0, X1, Y1 float64
	Style          draw.LineStyle
	// Label, if set, is written in the line's colour just above its
	// start (X0, Y0).
	Label string
}

func (l *refLine) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	c.StrokeLines(l.Style, c.ClipLinesXY([]vg.Point{{X: trX(l.X0), Y: trY(l.Y0)}, {X: trX(l.X1), Y: trY(l.Y1)}})...)
	if l.Label != "" {
		// On a white patch, so that no curve runs through the text.
		sty := textStyle(tickSize)
		sty.Color = l.Style.Color
		sty.YAlign = draw.YBottom
		at := vg.Point{X: trX(l.X0), Y: trY(l.Y0) + l.Style.Width + 3}
		w, h := sty.Width(l.Label), sty.Height(l.Label)
		c.FillPolygon(color.White, []vg.Point{{X: at.X - 2, Y: at.Y - 1}, {X: at.X + w + 2, Y: at.Y - 1},
			{X: at.X + w + 2, Y: at.Y + h}, {X: at.X - 2, Y: at.Y + h}})
		c.FillText(sty, at, l.Label)
	}
}

func (l *refLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return min(l.X0, l.X1), max(l.X0, l.X1), min(l.Y0, l.Y1), max(l.Y0, l.Y1)
}

func (l *refLine) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(l.Style, c.Min.X, y, c.Max.X, y)
}

// swatch is a legend thumbnail: a filled rectangle.
type swatch struct{ Color color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.Color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// glyphThumb is a legend thumbnail: glyphs at the centre.
type glyphThumb []draw.GlyphStyle

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	for _, s := range g {
		c.DrawGlyph(s, c.Center())
	}
}

// lineThumb draws a line style as a legend thumbnail.
func lineThumb(ls draw.LineStyle) plot.Thumbnailer { return &refLine{Style: ls} }

// bandPlotters returns the filled 5–95% bands (none when alpha is 0) and
// the mean lines of b in units of u, one of each per stretch of defined
// (non-NaN) months, so that an undefined month leaves a gap.
func bandPlotters(b band, u float64, c color.RGBA, alpha float64, ls draw.LineStyle) (bands, lines []plot.Plotter) {
	ls.Color = c
	for start := 0; start < len(b.X); {
		if math.IsNaN(b.Mid[start]) {
			start++
			continue
		}
		end := start
		for end < len(b.X) && !math.IsNaN(b.Mid[end]) {
			end++
		}
		poly := make(plotter.XYs, 0, 2*(end-start))
		mid := make(plotter.XYs, 0, end-start)
		for i := start; i < end; i++ {
			poly = append(poly, plotter.XY{X: b.X[i], Y: b.Hi[i] / u})
			mid = append(mid, plotter.XY{X: b.X[i], Y: b.Mid[i] / u})
		}
		for i := end - 1; i >= start; i-- {
			poly = append(poly, plotter.XY{X: b.X[i], Y: b.Lo[i] / u})
		}
		if alpha > 0 {
			pg, _ := plotter.NewPolygon(poly)
			pg.Color = withAlpha(c, alpha)
			pg.LineStyle.Width = 0
			bands = append(bands, pg)
		}
		ln, _ := plotter.NewLine(mid)
		ln.LineStyle = ls
		lines = append(lines, ln)
		start = end
	}
	return bands, lines
}

// note writes a line of grey text in the middle of a panel's data area,
// e.g. to say why the panel is empty.
type note string

func (n note) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := textStyle(gridTitleSize)
	sty.Color = gray
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, c.Center(), string(n))
}

// cornerNote writes small grey text (lines split at "\n") in the top left
// corner of a panel's data area.
type cornerNote string

func (n cornerNote) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := textStyle(gridTitleSize - 2)
	sty.Color = gray
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
	c.FillText(sty, vg.Point{X: c.Min.X + 3, Y: c.Max.Y - 2}, string(n))
}

// offScaleBar draws an interval whose far end (and point) lie beyond the
// panel's edge: the visible bar from From to the edge, ending in an
// arrowhead at the edge (the left one, if Left), and the label beside the
// bar's visible end, on the side away from the edge, where it crosses
// neither the bar nor the arrow. A bar that leaves no room beside it
// carries its label inside the panel on a white ground over the bar.
type offScaleBar struct {
	Y     float64
	From  float64 // the visible end, in axis units
	Label string
	Left  bool
	Color color.RGBA
}

// arrowLen is the length of an off-scale bar's arrowhead.
const arrowLen = vg.Length(9)

func (o *offScaleBar) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	y := trY(o.Y)
	sty := textStyle(tickSize)
	sty.Color = o.Color
	sty.YAlign = -0.4 // the glyphs' middle, not the text box's (which holds descenders), on the bar
	from := min(max(trX(o.From), c.Min.X), c.Max.X)
	l := offScaleLayout(c.Min.X, c.Max.X, from, sty.Width(o.Label), o.Left)
	dir, edge := vg.Length(1), c.Max.X
	if o.Left {
		dir, edge = -1, c.Min.X
	}
	// As interval's bars: dark on a white halo, a cap at the visible end.
	tip, capH := edge-dir*1, vg.Points(8)
	dark := color.RGBA{R: o.Color.R / 2, G: o.Color.G / 2, B: o.Color.B / 2, A: 255}
	for _, ls := range []draw.LineStyle{lineStyle(color.White, 4.5), lineStyle(dark, 2)} {
		c.StrokeLine2(ls, from, y, tip-dir*arrowLen, y)
		c.StrokeLine2(ls, from, y-capH, from, y+capH)
	}
	c.FillPolygon(dark, []vg.Point{{X: tip, Y: y}, {X: tip - dir*arrowLen, Y: y - arrowLen/2}, {X: tip - dir*arrowLen, Y: y + arrowLen/2}})
	if l.ground {
		h := sty.Height(o.Label)
		c.FillPolygon(color.White, []vg.Point{{X: l.lo - 2, Y: y - h/2}, {X: l.hi + 2, Y: y - h/2}, {X: l.hi + 2, Y: y + h/2}, {X: l.lo - 2, Y: y + h/2}})
	}
	sty.XAlign = draw.XLeft
	c.FillText(sty, vg.Point{X: l.lo, Y: y}, o.Label)
}

// labelSpan is where offScaleLayout puts a label: from lo to hi across the
// panel, on a white ground when it lies over the bar.
type labelSpan struct {
	lo, hi vg.Length
	ground bool
}

// offScaleLayout places a label of width w beside an off-scale bar that
// runs from `from` to the panel's right edge (left edge, if left) in a
// panel from xmin to xmax: on the free side of the bar's visible end if it
// fits there (clear of its cap), else inside the panel over the bar, short
// of the arrowhead.
func offScaleLayout(xmin, xmax, from, w vg.Length, left bool) labelSpan {
	const gap = 14
	if !left && from-gap-w >= xmin+2 {
		return labelSpan{lo: from - gap - w, hi: from - gap}
	}
	if left && from+gap+w <= xmax-2 {
		return labelSpan{lo: from + gap, hi: from + gap + w}
	}
	if !left {
		hi := xmax - arrowLen - 2*gap
		return labelSpan{lo: max(xmin+2, hi-w), hi: hi, ground: true}
	}
	lo := xmin + arrowLen + 2*gap
	return labelSpan{lo: lo, hi: min(xmax-2, lo+w), ground: true}
}
