package plots

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
)

// PairedDifferences draws the paired difference of each firm's net revenue
// to the baseline (summary.json "differences", metric
// "net_revenue/<firm>") with its 95% interval: one panel per firm, one row
// per non-baseline scenario, and a dashed line at zero. A filled point is a
// difference whose interval excludes zero; a hollow one, an interval that
// includes it.
func PairedDifferences(d *report.Dir) (*Figure, error) {
	s := d.Summary
	others := nonBaseline(s)
	if len(others) == 0 {
		return nil, fmt.Errorf("%s: no scenario besides the baseline %q: %w", report.SummaryFile, s.Baseline, errNoData)
	}
	names := make([]string, len(others))
	colorOf := make(map[string]int)
	for i, sc := range s.Scenarios {
		colorOf[sc.Name] = i
	}
	for i, sc := range others {
		names[i] = sc.Name
	}
	f := &Figure{
		Title: title(s, "paired difference in net revenue (scenario − baseline "+s.Baseline+") over "+window(s), names...),
		Caption: fmt.Sprintf("Points: mean of scenario − baseline net revenue over %d runs with common random numbers; "+
			"bars: 95%% t interval (often narrower than the point). Filled: the interval excludes zero; hollow: it includes zero.", s.Runs),
		Legend: []LegendEntry{
			{Label: "interval excludes 0", Thumbs: []plot.Thumbnailer{glyphThumb{diffGlyph(gray, true)}}},
			{Label: "interval includes 0", Thumbs: []plot.Thumbnailer{glyphThumb{diffGlyph(gray, false)}}},
		},
	}
	var row []*plot.Plot
	for fi, firm := range report.Firms {
		p, err := differencePanel(s, others, colorOf, firm, fi == 0)
		if err != nil {
			return nil, err
		}
		row = append(row, p)
	}
	f.Panels = [][]*plot.Plot{row}
	return f, nil
}

// differencePanel draws one firm's paired differences, one row per
// scenario in others (labelled when labelled is set).
func differencePanel(s *report.Summary, others []report.ScenarioSummary, colorOf map[string]int, firm string, labelled bool) (*plot.Plot, error) {
	metric := report.MetricName(report.NetRevenue, firm)
	ds := make([]report.Difference, len(others))
	maxAbs := 0.0
	for i, sc := range others {
		diff, ok := sc.Difference(metric)
		if !ok {
			return nil, fmt.Errorf("%s: scenario %q has no difference for metric %q", report.SummaryFile, sc.Name, metric)
		}
		ds[i] = diff
		maxAbs = math.Max(maxAbs, math.Max(math.Abs(diff.Lo95), math.Abs(diff.Hi95)))
	}
	u := moneyUnit(maxAbs)
	p := newPanel(firmName(firm))
	p.X.Label.Text = "difference (" + u.name + ")"
	p.X.Tick.Marker = niceTicker(4)
	lo, hi := 0.0, 0.0
	for _, diff := range ds {
		lo, hi = math.Min(lo, diff.Lo95/u.div), math.Max(hi, diff.Hi95/u.div)
	}
	if hi == lo {
		hi = lo + 1
	}
	p.X.Min, p.X.Max = lo-0.08*(hi-lo), hi+0.08*(hi-lo)
	n := float64(len(others))
	p.Y.Min, p.Y.Max = -0.5, n-0.5
	p.Add(&refLine{X0: 0, X1: 0, Y0: -0.5, Y1: n - 0.5, Style: lineStyle(gray, 1.5, 6, 4)})
	var ticks []plot.Tick
	for i, diff := range ds {
		y := n - 1 - float64(i)
		p.Add(&interval{Y: y, Lo: diff.Lo95 / u.div, Mid: diff.Mean / u.div, Hi: diff.Hi95 / u.div,
			Color: scenarioColor(colorOf[others[i].Name]), Hollow: diff.Lo95 <= 0 && diff.Hi95 >= 0})
		t := plot.Tick{Value: y}
		if labelled {
			t.Label = others[i].Name
		}
		ticks = append(ticks, t)
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	return p, nil
}
