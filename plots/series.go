package plots

import (
	"math"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
)

// maxOverlaid is the largest number of scenarios drawn over each other in
// one panel of a time-series figure; with more, the figure becomes a grid
// of small multiples, one row per firm or channel and one column per
// scenario.
const maxOverlaid = 5

// seriesSpec describes a figure of monthly series: one band per item (firm
// or channel) and scenario.
type seriesSpec struct {
	items []string            // firms or channels, in report order
	name  func(string) string // what a panel or row calls an item
	bands map[[2]string]band  // by (scenario, item)
	unit  func(maxAbs float64) money
	per   string // after the unit in axis labels, e.g. " per year"
	empty string // note in a small multiple whose series is undefined throughout (short: the panels are narrow)
}

// percent is the unit of shares.
func percent(float64) money { return money{0.01, "%"} }

// draw fills f's panels: overlaid scenarios when there are few, else small
// multiples.
func (sp seriesSpec) draw(f *Figure, s *report.Summary) {
	if len(s.Scenarios) <= maxOverlaid {
		sp.overlaid(f, s)
		return
	}
	sp.multiples(f, s)
}

// rowRange returns the extent of an item's bands over all scenarios,
// including zero, and its unit.
func (sp seriesSpec) rowRange(s *report.Summary, item string) (lo, hi float64, u money) {
	lo, hi = 0, 0
	for _, sc := range s.Scenarios {
		l, h := sp.bands[[2]string{sc.Name, item}].extent()
		if !math.IsInf(l, 0) {
			lo, hi = math.Min(lo, l), math.Max(hi, h)
		}
	}
	u = sp.unit(math.Max(math.Abs(lo), math.Abs(hi)))
	if hi == lo {
		hi = lo + u.div
	}
	return lo / u.div, hi / u.div, u
}

// overlaid draws one panel per item with every scenario in it (bands
// first, then the lines, earlier scenarios wider) and leaves the last cell
// for the legend of scenarios.
func (sp seriesSpec) overlaid(f *Figure, s *report.Summary) {
	rows, cols := gridShape(len(sp.items) + 1)
	f.Panels = make([][]*plot.Plot, rows)
	for r := range f.Panels {
		f.Panels[r] = make([]*plot.Plot, cols)
	}
	n := len(s.Scenarios)
	for k, item := range sp.items {
		lo, hi, u := sp.rowRange(s, item)
		p := timePanel(sp.name(item))
		p.Y.Min, p.Y.Max = lo, hi
		if k%cols == 0 {
			p.Y.Label.Text = u.name + sp.per
		}
		var lines []plot.Plotter
		for i, sc := range s.Scenarios {
			b := sp.bands[[2]string{sc.Name, item}]
			bs, ls := bandPlotters(b, u.div, scenarioColor(i), 0.15, lineStyle(nil, overlaidWidth(i, n, 2)))
			p.Add(bs...)
			lines = append(lines, ls...)
			p.X.Min, p.X.Max = b.X[0], b.X[len(b.X)-1] // the months of the results, defined or not
		}
		p.Add(lines...)
		f.Panels[k/cols][k%cols] = p
	}
	f.Legend = scenarioLegend(s)
}

// multiples draws a grid: one row per item with a shared y axis, one column
// per scenario; every row has its own year labels.
func (sp seriesSpec) multiples(f *Figure, s *report.Summary) {
	f.HeightScale = 1.5
	for k, item := range sp.items {
		f.RowLabels = append(f.RowLabels, sp.name(item))
		lo, hi, u := sp.rowRange(s, item)
		row := make([]*plot.Plot, len(s.Scenarios))
		for i, sc := range s.Scenarios {
			p := timePanel("")
			p.X.Tick.Marker = plot.TickerFunc(fewYearTicks)
			if k == 0 {
				p.Title.Text = s.Label(sc.Name)
				p.Title.TextStyle.Font.Size = gridTitleSize
			}
			b := sp.bands[[2]string{sc.Name, item}]
			bs, ls := bandPlotters(b, u.div, scenarioColor(i), 0.25, lineStyle(nil, 2))
			p.Add(bs...)
			p.Add(ls...)
			if len(ls) == 0 && sp.empty != "" {
				p.Add(note(sp.empty))
			}
			p.X.Min, p.X.Max = b.X[0], b.X[len(b.X)-1]
			p.Y.Min, p.Y.Max = lo, hi
			p.Y.Tick.Marker = niceTicker(3)
			if i == 0 {
				p.Y.Label.Text = u.name + sp.per
			} else {
				p.Y.Tick.Marker = blankLabels(niceTicker(3))
			}
			row[i] = p
		}
		f.Panels = append(f.Panels, row)
	}
}
