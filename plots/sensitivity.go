package plots

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The sensitivity and discover commands' figures.
const (
	SobolFile   = "sensitivity_sobol.png"
	MorrisFile  = "sensitivity_morris.png"
	PeelingFile = "discover_peeling.png"
)

// The sensitivity figures' colours, from Paul Tol's "muted" scheme and
// outside scenarioPalette (whose colours stand for scenarios only): indigo
// for first-order indices, mu* and the peeling trajectory; teal for total
// indices and the chosen box.
var (
	firstColor = rgb(0x332288)
	totalColor = rgb(0x44AA99)
)

// SobolIndex is one factor's first-order (S1) and total (ST) Sobol indices
// with their confidence intervals.
type SobolIndex struct {
	Factor            string
	S1, S1Low, S1High float64
	ST, STLow, STHigh float64
}

// SobolPanel is one output's indices.
type SobolPanel struct {
	Output  string // the output's id
	Study   StudyOutput
	Indices []SobolIndex
}

// StudyOutput is what a sensitivity output measures, for its panel's
// title: a metric of the result files ("net_revenue/microsoft") in a
// scenario, minus its value in another scenario where Minus is set. A
// zero StudyOutput titles the panel with the output's id.
type StudyOutput struct {
	Metric, Scenario, Minus string
}

// outputTitle returns a sensitivity panel's title: the metric as readers
// know it (metricTitle) and the scenario, or on a second line the
// difference of two ("Microsoft net revenue" over "history −
// status-quo-2023"); the output's id where the metric is not given.
func outputTitle(id string, o StudyOutput) string {
	if o.Metric == "" {
		return id
	}
	t := metricTitle(o.Metric)
	if o.Scenario == "" {
		return t
	}
	if o.Minus != "" { // on a line of its own: the scenarios' names break badly
		return t + "\n" + o.Scenario + " − " + o.Minus
	}
	return t + ", " + o.Scenario
}

// SobolIndices draws, per output, each factor's S1 and ST as points with
// their intervals, one row per factor (S1 above, ST below). conf is the
// intervals' level (0.95 for 95%), scrambles the number of independent
// scrambles of the design whose estimates' spread gives them.
func SobolIndices(panels []SobolPanel, title string, conf float64, scrambles int) (*Figure, error) {
	if len(panels) == 0 || len(panels[0].Indices) == 0 {
		return nil, errors.New("plots: Sobol indices of no output or no factor")
	}
	same := sameFactors(panels)
	_, cols := gridShape(len(panels))
	var cells []*plot.Plot
	for k, sp := range panels {
		p := newPanel(outputTitle(sp.Output, sp.Study))
		p.X.Label.Text = "share of the output's variance"
		n := float64(len(sp.Indices))
		p.Y.Min, p.Y.Max = -0.5, n-0.5
		var ticks []plot.Tick
		for i, ix := range sp.Indices {
			y := n - 1 - float64(i)
			if !finiteAll(ix.S1, ix.S1Low, ix.S1High, ix.ST, ix.STLow, ix.STHigh) {
				return nil, fmt.Errorf("plots: Sobol indices of %s, factor %s: not finite", sp.Output, ix.Factor)
			}
			p.Add(&interval{Y: y + 0.15, Lo: ix.S1Low, Mid: ix.S1, Hi: ix.S1High, Color: firstColor})
			p.Add(&interval{Y: y - 0.15, Lo: ix.STLow, Mid: ix.ST, Hi: ix.STHigh, Color: totalColor})
			label := ix.Factor
			if same && k%cols != 0 {
				label = " " // the first panel of the row names the factors
			}
			ticks = append(ticks, plot.Tick{Value: y, Label: label})
		}
		p.Add(&refLine{X0: 0, X1: 0, Y0: -0.5, Y1: n - 0.5, Style: lineStyle(gray, 1.5, 6, 4)})
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		p.X.Tick.Marker = niceTicker(5)
		cells = append(cells, p)
	}
	return &Figure{
		Title:  []string{title, "Sobol sensitivity indices"},
		Panels: grid(cells),
		Caption: fmt.Sprintf("S1: first-order index (the factor alone; Saltelli 2010); ST: total index (with its interactions; Jansen). Dots: the mean over %d independent scrambles of the design; bars: %g%% Student t intervals from the scrambles' spread.",
			scrambles, 100*conf),
		Legend: []LegendEntry{
			{Label: "first order S1", Thumbs: []plot.Thumbnailer{glyphThumb{{Color: firstColor, Radius: vg.Points(6), Shape: draw.CircleGlyph{}}}}},
			{Label: "total ST", Thumbs: []plot.Thumbnailer{glyphThumb{{Color: totalColor, Radius: vg.Points(6), Shape: draw.CircleGlyph{}}}}},
		},
	}, nil
}

// sameFactors reports whether every panel lists the same factors in the
// same order, so that only the first panel of each row of the grid needs
// to name them.
func sameFactors(panels []SobolPanel) bool {
	sameFactor := func(a, b SobolIndex) bool { return a.Factor == b.Factor }
	for _, sp := range panels[1:] {
		if !slices.EqualFunc(sp.Indices, panels[0].Indices, sameFactor) {
			return false
		}
	}
	return true
}

// MorrisIndex is one factor's Morris statistics: mu* with its interval,
// and sigma.
type MorrisIndex struct {
	Factor                        string
	MuStar, MuStarLow, MuStarHigh float64
	Sigma                         float64
}

// MorrisPanel is one output's Morris statistics.
type MorrisPanel struct {
	Output  string // the output's id
	Study   StudyOutput
	Indices []MorrisIndex
}

// MorrisScreening draws, per output, each factor at (mu*, sigma) with mu*'s
// interval, labelled with its name: factors far right matter; factors high
// up act non-linearly or through interactions.
func MorrisScreening(panels []MorrisPanel, title string, conf float64) (*Figure, error) {
	if len(panels) == 0 || len(panels[0].Indices) == 0 {
		return nil, errors.New("plots: Morris screening of no output or no factor")
	}
	var cells []*plot.Plot
	for _, mp := range panels {
		p, err := morrisPanel(mp)
		if err != nil {
			return nil, err
		}
		cells = append(cells, p)
	}
	return &Figure{
		Title:   []string{title, "Morris screening"},
		Panels:  grid(cells),
		Caption: fmt.Sprintf("Elementary effects per unit of each factor's unit-cube coordinate; bars: %g%% bootstrap intervals of mu* over trajectories.", 100*conf),
	}, nil
}

// PeelStep is one box of a PRIM peeling trajectory.
type PeelStep struct {
	Coverage, Density float64
	Restricted        int
}

// PeelingTrajectory draws PRIM's trajectory, density against coverage for
// each box from the whole design (coverage 1) inwards, with the chosen box
// marked. condition names what the boxes look for.
func PeelingTrajectory(steps []PeelStep, chosen int, title, condition string) (*Figure, error) {
	if len(steps) == 0 || chosen < 0 || chosen >= len(steps) {
		return nil, errors.New("plots: peeling trajectory of no steps or an unknown chosen step")
	}
	p := newPanel(condition)
	p.X.Label.Text = "coverage (share of the points meeting the condition that are in the box)"
	p.Y.Label.Text = "density (share of the box's points meeting it)"
	xys := make(plotter.XYs, len(steps))
	for i, s := range steps {
		if !finiteAll(s.Coverage, s.Density) {
			return nil, fmt.Errorf("plots: peeling step %d: not finite", i)
		}
		xys[i] = plotter.XY{X: s.Coverage, Y: s.Density}
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	line.LineStyle = lineStyle(firstColor, 2)
	pts, _ := plotter.NewScatter(xys)
	pts.GlyphStyle = draw.GlyphStyle{Color: firstColor, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	mark, _ := plotter.NewScatter(plotter.XYs{xys[chosen]})
	mark.GlyphStyle = draw.GlyphStyle{Color: totalColor, Radius: vg.Points(9), Shape: draw.RingGlyph{}}
	p.Add(line, pts, mark)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1.02, 0, 1.02
	p.X.Tick.Marker = niceTicker(5)
	return &Figure{
		Title:   []string{title, "PRIM peeling trajectory"},
		Panels:  [][]*plot.Plot{{p}},
		Caption: fmt.Sprintf("Each point is a box, peeled from the whole design (right) inwards; ringed: the chosen box (step %d, %d factors restricted).", chosen, steps[chosen].Restricted),
		Legend: []LegendEntry{
			{Label: "boxes", Thumbs: []plot.Thumbnailer{lineThumb(lineStyle(firstColor, 2))}},
			{Label: "chosen box", Thumbs: []plot.Thumbnailer{glyphThumb{{Color: totalColor, Radius: vg.Points(9), Shape: draw.RingGlyph{}}}}},
		},
	}, nil
}

// grid lays panels out in gridShape's rows and columns.
func grid(cells []*plot.Plot) [][]*plot.Plot {
	rows, cols := gridShape(len(cells))
	g := make([][]*plot.Plot, rows)
	for r := range g {
		g[r] = make([]*plot.Plot, cols)
		for c := range g[r] {
			if i := r*cols + c; i < len(cells) {
				g[r][c] = cells[i]
			}
		}
	}
	return g
}

func finiteAll(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// morrisPanel draws one output's factors in the mu*-sigma plane, in units
// of a power of 1000 named on the axes, with room right of the points for
// their labels.
func morrisPanel(mp MorrisPanel) (*plot.Plot, error) {
	p := newPanel(outputTitle(mp.Output, mp.Study))
	top := 0.0
	for _, ix := range mp.Indices {
		if !finiteAll(ix.MuStar, ix.MuStarLow, ix.MuStarHigh, ix.Sigma) {
			return nil, fmt.Errorf("plots: Morris statistics of %s, factor %s: not finite", mp.Output, ix.Factor)
		}
		top = max(top, math.Abs(ix.MuStarHigh), math.Abs(ix.Sigma))
	}
	div, unit := thousandsScale(top)
	p.X.Label.Text = "mu* (mean |elementary effect|)" + unit
	p.Y.Label.Text = "sigma" + unit
	var xys plotter.XYs
	var labels []string
	xmax, ymax := 0.0, 0.0
	for _, ix := range mp.Indices {
		p.Add(&interval{Y: ix.Sigma / div, Lo: ix.MuStarLow / div, Mid: ix.MuStar / div, Hi: ix.MuStarHigh / div, Color: firstColor})
		xys = append(xys, plotter.XY{X: ix.MuStar / div, Y: ix.Sigma / div})
		labels = append(labels, ix.Factor)
		xmax, ymax = max(xmax, ix.MuStarHigh/div), max(ymax, ix.Sigma/div)
	}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i] = textStyle(tickSize)
		lb.TextStyle[i].XAlign = draw.XLeft
	}
	lb.Offset = vg.Point{X: vg.Points(8), Y: vg.Points(4)}
	p.Add(lb)
	p.X.Min, p.Y.Min = 0, 0
	p.X.Max, p.Y.Max = 1.6*max(xmax, 1e-300), 1.15*max(ymax, 1e-300)
	p.X.Tick.Marker = niceTicker(4)
	return p, nil
}

// thousandsScale returns the power of 1000 that brings top below 1000 and
// its axis-label suffix (" (×1e9)"), or 1 and "" for values already small.
func thousandsScale(top float64) (float64, string) {
	if top < 1000 {
		return 1, ""
	}
	k := math.Floor(math.Log10(top) / 3)
	return math.Pow(1000, k), fmt.Sprintf(" (×1e%d)", int(3*k))
}
