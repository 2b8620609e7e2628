package plots

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// makerStyles are the line styles that tell makers apart in the
// cloud-spend figure, where colour is the scenario's: solid OpenAI, dashed
// Claude, dash-dot Gemini, dotted open models.
var makerStyles = map[string]draw.LineStyle{
	"openai":    lineStyle(nil, 2.5),
	"anthropic": lineStyle(nil, 2.5, 9, 4),
	"google":    lineStyle(nil, 2.5, 6, 2.5, 1.5, 2.5),
	"open":      lineStyle(nil, 2.5, 1.5, 3.5),
}

// cloudSpendLines returns, per scenario and channel, 12 × the monthly mean
// gross revenue ("gross_revenue/<channel>" in series.csv: what buyers
// spend through the channel, annualized), undefined (NaN) before the first
// month in which the mean is positive: a channel draws nothing before it
// sells, and nothing in a scenario where it never does.
func cloudSpendLines(d *report.Dir) (map[[2]string]band, error) {
	out := make(map[[2]string]band)
	for _, sc := range d.Summary.Scenarios {
		for _, ch := range report.Channels {
			if v, _ := channelVenue(ch); v == "direct" {
				continue
			}
			metric := report.MetricName(report.GrossRevenue, ch)
			if len(d.SeriesOf(sc.Name, metric)) == 0 {
				return nil, fmt.Errorf("%s has no %s series (results written before channels' gross revenue was): %w",
					report.SeriesFile, metric, errNoData)
			}
			b, err := seriesBand(d, sc.Name, metric, 12)
			if err != nil {
				return nil, err
			}
			for i := 0; i < len(b.X) && !(b.Mid[i] > 0); i++ {
				b.blank(i)
			}
			out[[2]string{sc.Name, ch}] = b
		}
	}
	return out, nil
}

// CloudSpend draws what each cloud sells over time: one row per cloud
// (Azure, AWS, Google Cloud), one column per scenario (its colour), and in
// each panel one line per channel the cloud sells, the maker told by the
// line's style (makerStyles). Lines are means over runs of 12 × the
// month's spend; they carry no band (three or four bands of one colour
// would hide each other). Each row has one y scale.
func CloudSpend(d *report.Dir) (*Figure, error) {
	s := d.Summary
	lines, err := cloudSpendLines(d)
	if err != nil {
		return nil, err
	}
	f := &Figure{
		Title:       title(s, "what each cloud sells: buyer spend by channel, annualized (12 × monthly)"),
		HeightScale: 1.2,
		Caption: "Rows: clouds; columns: scenarios. Lines: mean over runs of 12 × the month's buyer spend through the channel " +
			"(no band); line style: whose models. A line starts when the channel first sells in that scenario.",
	}
	for _, mk := range venueMakers {
		ls := makerStyles[mk.id]
		ls.Color = gray
		f.Legend = append(f.Legend, LegendEntry{Label: mk.name, Thumbs: []plot.Thumbnailer{lineThumb(ls)}})
	}
	for _, v := range venues[:3] {
		f.RowLabels = append(f.RowLabels, v.name)
		top := 0.0
		for _, mk := range venueMakers {
			if ch := venueChannel(v.id, mk.id); ch != "" {
				for _, sc := range s.Scenarios {
					top = math.Max(top, maxMid(lines[[2]string{sc.Name, ch}]))
				}
			}
		}
		u := moneyUnit(top)
		row := make([]*plot.Plot, len(s.Scenarios))
		for i := range s.Scenarios {
			row[i] = cloudPanel(s, lines, v.id, i, u, top, len(f.Panels) == 0)
		}
		f.Panels = append(f.Panels, row)
	}
	return f, nil
}

// maxMid returns the largest defined mean of b (0 if none).
func maxMid(b band) float64 {
	m := 0.0
	for _, v := range b.Mid {
		if !math.IsNaN(v) {
			m = math.Max(m, v)
		}
	}
	return m
}

// cloudPanel draws scenario i's channels at one cloud.
func cloudPanel(s *report.Summary, lines map[[2]string]band, venue string, i int, u money, top float64, first bool) *plot.Plot {
	sc := s.Scenarios[i]
	p := timePanel("")
	p.X.Tick.Marker = plot.TickerFunc(fewYearTicks)
	if first {
		p.Title.Text = s.Label(sc.Name)
		p.Title.TextStyle.Font.Size = gridTitleSize
	}
	var x []float64
	for _, mk := range venueMakers {
		ch := venueChannel(venue, mk.id)
		if ch == "" {
			continue
		}
		b := lines[[2]string{sc.Name, ch}]
		x = b.X
		_, ls := bandPlotters(b, u.div, scenarioColor(i), 0, makerStyles[mk.id])
		p.Add(ls...)
	}
	p.X.Min, p.X.Max = x[0], x[len(x)-1]
	p.Y.Min, p.Y.Max = 0, math.Max(1.05*top/u.div, 1e-9) // room above the highest line
	p.Y.Tick.Marker = niceTicker(3)
	if i == 0 {
		p.Y.Label.Text = u.name + perYear
	} else {
		p.Y.Tick.Marker = blankLabels(niceTicker(3))
	}
	return p
}
