package plots

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// File names of the posterior figures coopsim calibrate --posterior draws.
const (
	CornerFile     = "posterior_corner.png"
	PredictiveFile = "posterior_predictive.png"
)

// PosteriorParam is one parameter of a corner plot: its draws (natural
// scale), its prior's density on the natural scale (nil: none drawn), and
// whether it is drawn on a log axis (a parameter sampled on the log scale).
type PosteriorParam struct {
	Name  string
	Draws []float64
	Prior func(x float64) float64
	Log   bool
}

// PredictiveCheck is one calibration target against its posterior
// predictive distribution: the observed value with its sd, or an
// inequality's bound (Relation ">=" or "<="), and the predictive
// distribution's mean and central 80% interval [Q10, Q90]. Name labels the
// row as the calibration figure does (calibration's Result.Points names:
// the target's label and date); NonNegative says the quantity cannot be
// negative, so that its grey box stops at 0 (as FitPoint's). PIT is the
// share of predictive draws at or below the observation or bound.
type PredictiveCheck struct {
	Name, Unit          string
	Relation            string
	NonNegative         bool
	Observed, SD        float64
	Mean, Q10, Q90, PIT float64
}

// BoundMet returns the share of predictive draws that meet an inequality's
// bound, from the PIT: the PIT itself for "<=", 1 − PIT for ">=" (a draw
// exactly at the bound counts as missing it, a tie of measure zero for a
// simulated moment); false for a value target.
func (c PredictiveCheck) BoundMet() (float64, bool) {
	switch c.Relation {
	case "<=":
		return c.PIT, true
	case ">=":
		return 1 - c.PIT, true
	}
	return 0, false
}

// predictiveLabel is a row's label: the calibration figure's label
// (fitLabel) with the PIT of a value target, or for an inequality the
// share of predictive draws that meet its bound.
func predictiveLabel(fp FitPoint, c PredictiveCheck) string {
	label := fitLabel(fp)
	met, ok := c.BoundMet()
	if !ok {
		return label + fmt.Sprintf(" (PIT %.2f)", c.PIT)
	}
	label = strings.TrimSuffix(strings.TrimSuffix(label, ", met"), ", MISSED")
	return label + " (met by " + percentOf(met) + ")"
}

// percentOf writes a share as a whole percent that says "100%" or "0%"
// only when the share is exactly 1 or 0.
func percentOf(x float64) string {
	p := math.Round(100 * x)
	if x < 1 {
		p = min(p, 99)
	}
	if x > 0 {
		p = max(p, 1)
	}
	return fmt.Sprintf("%.0f%%", p)
}

var (
	posteriorColor = scenarioPalette[0]
	priorColor     = scenarioPalette[1]
)

// maxScatter bounds the points of a pairwise panel (every k-th draw).
const maxScatter = 1500

// Corner draws a corner plot of posterior draws: each parameter's
// histogram (as a density) on the diagonal with its prior's density over
// the same axis, and each pair's scatter below it. A log parameter's
// axis is logarithmic, its density per unit of log10. It returns an error
// for fewer than one parameter, unequal draw counts or fewer than two draws.
func Corner(params []PosteriorParam, title string) (*Figure, error) {
	if len(params) == 0 {
		return nil, errors.New("plots: corner plot of no parameters")
	}
	n := len(params[0].Draws)
	for _, p := range params {
		if len(p.Draws) != n || n < 2 {
			return nil, fmt.Errorf("plots: corner plot: parameter %s has %d draws, want %d (at least 2)", p.Name, len(p.Draws), n)
		}
	}
	d := len(params)
	u := make([][]float64, d) // draws on the axis' scale
	lo, hi := make([]float64, d), make([]float64, d)
	for j, p := range params {
		u[j] = make([]float64, n)
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for i, x := range p.Draws {
			v := axisValue(p, x)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: corner plot: parameter %s has a draw %g the axis cannot show", p.Name, x)
			}
			u[j][i], lo[j], hi[j] = v, min(lo[j], v), max(hi[j], v)
		}
		w := hi[j] - lo[j]
		if w == 0 {
			w = math.Max(1e-3, math.Abs(lo[j])*1e-3)
		}
		lo[j], hi[j] = lo[j]-0.05*w, hi[j]+0.05*w
	}
	grid := make([][]*plot.Plot, d)
	for r := range grid {
		grid[r] = make([]*plot.Plot, d)
		for c := 0; c <= r; c++ {
			if c == r {
				grid[r][c] = marginal(params[r], u[r], lo[r], hi[r])
			} else {
				grid[r][c] = pairPanel(u[c], u[r], lo[c], hi[c], lo[r], hi[r])
				grid[r][c].Y.Tick.Marker = axisTicker(params[r])
			}
			grid[r][c].X.Tick.Marker = axisTicker(params[c])
			grid[r][c].X.Min, grid[r][c].X.Max = lo[c], hi[c]
			if r < d-1 {
				grid[r][c].X.Tick.Marker = blankLabels(grid[r][c].X.Tick.Marker)
			} else {
				grid[r][c].X.Label.Text = shortName(params[c].Name)
			}
			if c > 0 {
				grid[r][c].Y.Tick.Marker = blankLabels(grid[r][c].Y.Tick.Marker)
			} else if r > 0 {
				grid[r][c].Y.Label.Text = shortName(params[r].Name)
			}
		}
	}
	return &Figure{
		Title:       []string{title, fmt.Sprintf("posterior of the fitted parameters: %d draws", n)},
		Panels:      grid,
		HeightScale: cornerHeightScale,
		Caption: "Diagonal: each parameter's posterior (histogram, as a density) and its prior's density on the same scale " +
			"(a prior far wider than the posterior is a nearly flat line near zero: the data determine the parameter). Below: " +
			"each pair of parameters, one point per draw; a tilted cloud is a trade-off the targets cannot separate. " +
			"Log axes for parameters sampled on the log scale (densities per unit of log10).",
		Legend: []LegendEntry{
			{Label: "posterior", Thumbs: []plot.Thumbnailer{swatch{withAlpha(posteriorColor, 0.5)}}},
			{Label: "prior density", Thumbs: []plot.Thumbnailer{lineThumb(lineStyle(priorColor, 2.5, 6, 3))}},
		},
	}, nil
}

// axisValue is x on parameter p's axis: log10 x for a log parameter.
func axisValue(p PosteriorParam, x float64) float64 {
	if p.Log {
		return math.Log10(x)
	}
	return x
}

// axisTicker labels a parameter's axis in its natural units: a log axis
// gets nice natural values placed at their log10.
func axisTicker(p PosteriorParam) plot.Ticker {
	if !p.Log {
		return niceTicker(3)
	}
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		var out []plot.Tick
		for _, t := range niceTicks(math.Pow(10, min), math.Pow(10, max), 3) {
			if t.Value > 0 {
				out = append(out, plot.Tick{Value: math.Log10(t.Value), Label: t.Label})
			}
		}
		return out
	})
}

// shortName keeps a parameter path's last two parts: the axis labels of a
// corner plot's small panels cannot hold "buyers.segments.regulated.security.mean".
func shortName(path string) string {
	parts := strings.Split(path, ".")
	if len(parts) <= 2 {
		return path
	}
	return strings.Join(parts[len(parts)-2:], ".")
}

// marginal is a diagonal panel: the histogram of u as a density and the
// prior's density on the axis' scale.
func marginal(p PosteriorParam, u []float64, lo, hi float64) *plot.Plot {
	pl := newPanel(p.Name)
	bins := int(math.Max(10, math.Min(30, math.Sqrt(float64(len(u))))))
	h, err := plotter.NewHist(plotter.Values(u), bins)
	if err == nil {
		h.Normalize(1)
		h.FillColor = withAlpha(posteriorColor, 0.5)
		h.LineStyle.Width = 0
		pl.Add(h)
	}
	if p.Prior != nil {
		f := plotter.NewFunction(func(v float64) float64 {
			x, jac := v, 1.0
			if p.Log {
				x = math.Pow(10, v)
				jac = x * math.Ln10
			}
			dens := p.Prior(x) * jac
			if math.IsNaN(dens) || math.IsInf(dens, 0) {
				return 0
			}
			return dens
		})
		f.XMin, f.XMax, f.Samples = lo, hi, 200
		f.LineStyle = lineStyle(priorColor, 2.5, 6, 3)
		pl.Add(f)
	}
	pl.Y.Min = 0
	pl.Y.Tick.Marker = blankLabels(niceTicker(3))
	return pl
}

// pairPanel is a scatter of (x, y), thinned to maxScatter points.
func pairPanel(x, y []float64, xlo, xhi, ylo, yhi float64) *plot.Plot {
	pl := newPanel("")
	step := max(1, (len(x)+maxScatter-1)/maxScatter)
	var pts plotter.XYs
	for i := 0; i < len(x); i += step {
		pts = append(pts, plotter.XY{X: x[i], Y: y[i]})
	}
	s, err := plotter.NewScatter(pts)
	if err == nil {
		s.GlyphStyle = draw.GlyphStyle{Color: withAlpha(posteriorColor, 0.35), Radius: vg.Points(1.2), Shape: draw.CircleGlyph{}}
		pl.Add(s)
	}
	pl.Y.Min, pl.Y.Max = ylo, yhi
	return pl
}

// PosteriorPredictive draws each calibration target against its posterior
// predictive distribution, divided by the target's value (1 is the
// observation, or an inequality's bound): one row per target, labelled as
// in the calibration figure with the PIT (or, for an inequality, the share
// of draws meeting its bound), the grey box the observed value ± 1.96 sd
// (from 0 for a NonNegative quantity; for an inequality, the side of the
// bound that meets it), the bar the predictive central 80% interval and
// the point its mean. It returns an error for no checks or a zero or
// non-finite observed value.
func PosteriorPredictive(checks []PredictiveCheck, title string) (*Figure, error) {
	if len(checks) == 0 {
		return nil, errors.New("plots: posterior predictive figure of no targets")
	}
	points := make([]FitPoint, len(checks))
	for i, c := range checks {
		if c.Observed == 0 || math.IsNaN(c.Observed) || math.IsInf(c.Observed, 0) {
			return nil, fmt.Errorf("plots: predictive check %q: observed %v cannot normalize", c.Name, c.Observed)
		}
		points[i] = predictivePoint(c)
	}
	n := float64(len(points))
	p := newPanel("")
	p.X.Label.Text = "predicted / observed (1 = the observation, or the bound)"
	p.Y.Min, p.Y.Max = -0.5, n-0.5
	lo, hi := fitRange(points)
	var ticks []plot.Tick
	for i, fp := range points {
		y := n - 1 - float64(i)
		predictiveRow(p, fp, checks[i], y, lo, hi)
		ticks = append(ticks, plot.Tick{Value: y, Label: predictiveLabel(fp, checks[i])})
	}
	p.Add(&refLine{X0: 1, X1: 1, Y0: -0.5, Y1: n - 0.5, Style: lineStyle(gray, 1.5, 6, 4)})
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Marker = niceTicker(6)
	p.X.Min, p.X.Max = lo, hi
	return &Figure{
		Title:  []string{title, "posterior predictive check of each calibration target"},
		Panels: [][]*plot.Plot{{p}},
		Caption: "Grey: the observed value ± 1.96 SD (from 0 for a quantity that cannot be negative), or the side of an " +
			"inequality's bound that meets it; bar: the central 80% of the posterior predictive distribution (a run at a " +
			"posterior draw, plus the figure's own uncertainty), point: its mean, all divided by the observed value. PIT: the " +
			"share of predictive draws at or below the observation (near 0 or 1: the model cannot reproduce the figure). " +
			"Met by: for an inequality, the share of draws that meet its bound. An arrow: the bar runs beyond the axis.",
		Legend: []LegendEntry{
			{Label: "observed ± 1.96 SD, or where a bound is met", Thumbs: []plot.Thumbnailer{swatch{withAlpha(gray, 0.3)}}},
			{Label: "predictive mean and central 80%", Thumbs: []plot.Thumbnailer{
				lineThumb(lineStyle(fitColor, 3)),
				glyphThumb{{Color: fitColor, Radius: vg.Points(6), Shape: draw.CircleGlyph{}}}}},
		},
	}, nil
}

// predictivePoint is a check as a FitPoint, so that the calibration
// figure's rules place its box and axis: the bar ± 1.96 SE spans
// [Q10, Q90] around the interval's middle (predictiveRow draws the mean
// and the interval), and an inequality is met by its predictive mean.
func predictivePoint(c PredictiveCheck) FitPoint {
	met := true
	if c.Relation == ">=" {
		met = c.Mean >= c.Observed
	} else if c.Relation == "<=" {
		met = c.Mean <= c.Observed
	}
	return FitPoint{Name: c.Name, Unit: c.Unit, Relation: c.Relation, Target: c.Observed, TargetSD: c.SD,
		Simulated: (c.Q10 + c.Q90) / 2, SimulatedSE: (c.Q90 - c.Q10) / 2 / 1.96, Met: met, NonNegative: c.NonNegative}
}

// predictiveRow draws one target's grey box or region and its predictive
// interval at height y, as fitRow does, with the point at the mean.
func predictiveRow(p *plot.Plot, fp FitPoint, c PredictiveCheck, y, lo, hi float64) {
	_, _, bl, bh := fitRatios(fp)
	bl, bh = max(bl, lo), min(bh, hi)
	box, _ := plotter.NewPolygon(plotter.XYs{{X: bl, Y: y - 0.3}, {X: bh, Y: y - 0.3}, {X: bh, Y: y + 0.3}, {X: bl, Y: y + 0.3}})
	box.Color = withAlpha(gray, 0.3)
	box.LineStyle.Width = 0
	p.Add(box)
	a := c.Observed
	q10, q90, m := c.Q10/a, c.Q90/a, c.Mean/a
	if a < 0 {
		q10, q90 = q90, q10
	}
	if q10 > hi || q90 < lo {
		p.Add(&offScale{Y: y, Label: "predicted " + formatValue(c.Mean, c.Unit) + " (" + formatRatio(m) + ")",
			Left: q90 < lo, Color: fitColor})
		return
	}
	if m < lo || m > hi {
		// The mean is off the axis: the visible part of the bar, an
		// arrow at the edge it runs beyond, and the mean beside the bar.
		from := max(q10, lo)
		if m < lo {
			from = min(q90, hi)
		}
		p.Add(&offScaleBar{Y: y, From: from, Label: "mean " + formatValue(c.Mean, c.Unit) + " (" + formatRatio(m) + ")",
			Left: m < lo, Color: fitColor})
		return
	}
	p.Add(&interval{Y: y, Lo: max(q10, lo), Mid: m, Hi: min(q90, hi), Color: fitColor})
}

// PosteriorFigures returns the figures coopsim calibrate --posterior draws
// beside calibration.png, with their captions (for a report page).
func PosteriorFigures() []FigureFile {
	return []FigureFile{
		{File: CornerFile, Title: "Posterior of the fitted parameters", Caption: "Each fitted parameter's posterior " +
			"(histogram on the diagonal) against its prior's density (dashed), and each pair's draws below the diagonal: " +
			"a tilted cloud is a trade-off the calibration targets cannot separate. Parameters sampled on the log scale " +
			"have log axes."},
		{File: PredictiveFile, Title: "Posterior predictive check", Caption: "Each calibration target, divided by its " +
			"observed value: the grey box is the observation ± 1.96 SD (for an inequality, the side of its bound that " +
			"meets it), the bar the central 80% of the posterior predictive distribution and the point its mean. A bar " +
			"clear of the grey box is a figure the model cannot reproduce at any likely parameter. Each row gives the " +
			"PIT of a value target (the share of predictive draws at or below it), or for an inequality the share of " +
			"draws that meet its bound (\"met by\")."},
	}
}

// CornerOptions are the options to save a corner plot of d parameters
// with, from the figure's options o: at least 340 px a column at the
// default dpi (proportionally fewer at a lower dpi, whose text is smaller
// in pixels), and a height of at least 1/1.6 of the width (or o's, if
// taller), which the figure's HeightScale of 1.6 makes square, since its
// small multiples need the room (seven parameters at the default width
// leave panels too small to draw). Past MaxPixels the figure is drawn
// smaller, with its dpi (Options.drawn).
func CornerOptions(o Options, d int) Options {
	o = o.withDefaults()
	col := 340 * o.DPI / DefaultOptions.DPI
	o.Width = max(o.Width, col*d)
	o.Height = max(o.Height, int(float64(o.Width)/cornerHeightScale))
	return o
}

// cornerHeightScale is the corner plot's HeightScale.
const cornerHeightScale = 1.6
