package plots

import (
	"math"
	"sort"
	"strings"

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
	per   string // after the unit in axis labels, e.g. perYear
	empty string // note in a small multiple whose series is undefined throughout (short: the panels are narrow)
	// shared gives every item's panels one y scale (that of all items), so
	// that levels compare across panels and rows, not only within them.
	shared bool
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

// rowRange returns the extent of an item's bands over the scenarios not
// skipped, including zero, and its unit.
func (sp seriesSpec) rowRange(s *report.Summary, item string, skip []bool) (lo, hi float64, u money) {
	lo, hi = 0, 0
	items := []string{item}
	if sp.shared {
		items = sp.items
	}
	for _, it := range items {
		for i, sc := range s.Scenarios {
			if skip != nil && skip[i] {
				continue
			}
			l, h := sp.bands[[2]string{sc.Name, it}].extent()
			if !math.IsInf(l, 0) {
				lo, hi = math.Min(lo, l), math.Max(hi, h)
			}
		}
	}
	u = sp.unit(math.Max(math.Abs(lo), math.Abs(hi)))
	if hi == lo {
		hi = lo + u.div
	}
	return lo / u.div, hi / u.div, u
}

// dwarfing returns the scenarios whose series reach so far beyond the rest
// of an item's row (more than dwarfFactor times the largest magnitude of
// the others) that drawing them to the row's scale would flatten the
// others: the fewest such, at most half of them.
func (sp seriesSpec) dwarfing(s *report.Summary, item string) []bool {
	n := len(s.Scenarios)
	mag := make([]float64, n)
	idx := make([]int, n)
	for i, sc := range s.Scenarios {
		mag[i], idx[i] = sp.bands[[2]string{sc.Name, item}].maxAbs(), i
	}
	sort.SliceStable(idx, func(a, b int) bool { return mag[idx[a]] > mag[idx[b]] })
	out := make([]bool, n)
	for k := 1; 2*k < n; k++ {
		if rest := mag[idx[k]]; rest > 0 && mag[idx[k-1]] > dwarfFactor*rest {
			for _, i := range idx[:k] {
				out[i] = true
			}
			return out
		}
	}
	return out
}

// dwarfFactor is how many times the rest's magnitude a scenario's series
// must reach before its small multiple gets a scale of its own.
const dwarfFactor = 3

// overlaid draws one panel per item with every scenario in it (bands
// first, then the lines, earlier scenarios wider) and leaves the last cell
// for the legend of scenarios. A scenario that dwarfs the others in a panel
// (dwarfing) runs off its top, and a note in the panel names it and how far
// it reaches.
func (sp seriesSpec) overlaid(f *Figure, s *report.Summary) {
	rows, cols := gridShape(len(sp.items) + 1)
	f.Panels = make([][]*plot.Plot, rows)
	for r := range f.Panels {
		f.Panels[r] = make([]*plot.Plot, cols)
	}
	n := len(s.Scenarios)
	off := false
	for k, item := range sp.items {
		far := sp.dwarfing(s, item)
		lo, hi, u := sp.rowRange(s, item, far)
		p := timePanel(sp.name(item))
		if k%cols == 0 {
			p.Y.Label.Text = u.name + sp.per
		}
		var lines []plot.Plotter
		var notes []string
		for i, sc := range s.Scenarios {
			b := sp.bands[[2]string{sc.Name, item}]
			bs, ls := bandPlotters(b, u.div, scenarioColor(i), 0.15, lineStyle(nil, overlaidWidth(i, n, 2)))
			p.Add(bs...)
			lines = append(lines, ls...)
			p.X.Min, p.X.Max = b.X[0], b.X[len(b.X)-1] // the months of the results, defined or not
			if far[i] {
				_, top := b.extent()
				notes = append(notes, sc.Name+" off the top (to "+formatTick(top/u.div, 0)+" "+u.name+sp.per+")")
			}
		}
		p.Add(lines...)
		p.Y.Min, p.Y.Max = lo, hi // after Add, which widens the axes to all data
		if len(notes) > 0 {
			off = true
			p.Y.Max = hi + 0.05*(hi-lo)
			p.Add(cornerNote(strings.Join(notes, "\n")))
		}
		f.Panels[k/cols][k%cols] = p
	}
	f.Legend = scenarioLegend(s)
	if off {
		f.Caption += " A scenario named in a panel's note dwarfs the others there: it runs off the top (to the value given) so that they are not flattened."
	}
}

// multiples draws a grid: one row per item with a shared y axis, one column
// per scenario; every row has its own year labels. A scenario that dwarfs
// the rest of a row (dwarfing) gets its own y axis, from zero to a round
// top that a note in the panel gives.
func (sp seriesSpec) multiples(f *Figure, s *report.Summary) {
	f.HeightScale = 1.5
	own := false
	for k, item := range sp.items {
		f.RowLabels = append(f.RowLabels, sp.name(item))
		far := sp.dwarfing(s, item)
		lo, hi, u := sp.rowRange(s, item, far)
		row := make([]*plot.Plot, len(s.Scenarios))
		for i, sc := range s.Scenarios {
			p := timePanel("")
			p.X.Tick.Marker = plot.TickerFunc(fewYearTicks)
			if k == 0 {
				p.Title.Text = s.Label(sc.Name)
				p.Title.TextStyle.Font.Size = gridTitleSize
			}
			b := sp.bands[[2]string{sc.Name, item}]
			pu, plo, phi := u, lo, hi
			if far[i] {
				own = true
				only := make([]bool, len(s.Scenarios))
				for j := range only {
					only[j] = j != i
				}
				plo, phi, pu = sp.rowRange(s, item, only)
				phi = niceCeil(phi)
				p.Add(cornerNote("own scale:\n" + formatTick(plo, 0) + "–" + formatTick(phi, decimals(phi)) + "\n" + pu.name + sp.per))
			}
			bs, ls := bandPlotters(b, pu.div, scenarioColor(i), 0.25, lineStyle(nil, 2))
			p.Add(bs...)
			p.Add(ls...)
			if len(ls) == 0 && sp.empty != "" {
				p.Add(note(sp.empty))
			}
			p.X.Min, p.X.Max = b.X[0], b.X[len(b.X)-1]
			p.Y.Min, p.Y.Max = plo, phi
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
	if own {
		f.Caption += " A panel marked \"own scale\" has a y axis of its own (its range is given): its scenario dwarfs the rest of the row."
	}
}

// niceCeil rounds v > 0 up to a round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or
// 8 × 10^k), so that an axis ending there ends on one without much room
// to spare.
func niceCeil(v float64) float64 {
	if !(v > 0) {
		return v
	}
	e := math.Floor(math.Log10(v))
	scaled := func(m float64) float64 { // m × 10^e, exact for round m
		if e < 0 {
			return m / math.Pow(10, -e)
		}
		return m * math.Pow(10, e)
	}
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8} {
		if x := scaled(m); x >= v*(1-1e-12) {
			return x
		}
	}
	return scaled(10)
}
