package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// venues are where buyers buy, in the order of the where-bought figures'
// panels: the three clouds, then the makers' own APIs and in-house use of
// open models. name is what a panel calls each.
var venues = []struct{ id, name string }{
	{"azure", "Azure"},
	{"aws", "AWS"},
	{"gcp", "Google Cloud"},
	{"direct", "Direct or in-house"},
}

// venueMakers are the makers in the order of the cloud-spend figure's row
// groups, with what a row calls each.
var venueMakers = []struct{ id, name string }{
	{"openai", "OpenAI"},
	{"anthropic", "Claude"},
	{"google", "Gemini"},
	{"open", "open models"},
}

// channelVenue returns where a channel of report.Channels is bought (a
// venues id) and whose models it sells (a report.Makers id): OpenAI's
// channels are "openai" (direct), "azure", "aws" and "gcp"; a rival's are
// its maker's id alone (direct; in-house for open models) or followed by
// "_" and the cloud.
func channelVenue(ch string) (venue, maker string) {
	for _, oc := range report.OpenAIChannels {
		if ch == oc {
			if ch == "openai" {
				return "direct", "openai"
			}
			return ch, "openai"
		}
	}
	maker, cloud, ok := strings.Cut(ch, "_")
	if !ok {
		return "direct", maker
	}
	return cloud, maker
}

// venueChannel returns the channel selling maker's models at venue, or ""
// where there is none (Gemini is sold only directly and on Google Cloud).
func venueChannel(venue, maker string) string {
	for _, ch := range report.Channels {
		if v, m := channelVenue(ch); v == venue && m == maker {
			return ch
		}
	}
	return ""
}

// dotRows lays out a panel of grouped rows: one group per label (top to
// bottom) and, within a group, one row per scenario (first at the top),
// with a gap of one row between groups. The y axis of a panel runs from
// −0.7 to rows()−0.3.
type dotRows struct {
	groups, scenarios int
}

func (l dotRows) rows() int { return l.groups*(l.scenarios+1) - 1 }

// y returns the height of scenario i's row in group g.
func (l dotRows) y(g, i int) float64 {
	return float64(l.rows() - 1 - g*(l.scenarios+1) - i)
}

// ticks labels each group at its centre (when labelled, else only marks,
// so that panels beside the first keep aligned data areas) and marks the
// gaps between groups with a light line (gapLines).
func (l dotRows) ticks(labels []string, labelled bool) plot.Ticker {
	var ts []plot.Tick
	for g, lab := range labels {
		t := plot.Tick{Value: (l.y(g, 0) + l.y(g, l.scenarios-1)) / 2}
		if labelled {
			t.Label = lab
		} else {
			t.Label = " "
		}
		ts = append(ts, t)
	}
	return plot.ConstantTicks(ts)
}

// panel returns a panel laid out for l, with the group labels on its y
// axis when labelled and light lines between the groups.
func (l dotRows) panel(title string, labels []string, labelled bool) *plot.Plot {
	p := newPanel(title)
	p.Y.Min, p.Y.Max = -0.7, float64(l.rows())-0.3
	p.Y.Tick.Marker = l.ticks(labels, labelled)
	p.Y.Tick.Length = 0
	for g := 1; g < l.groups; g++ {
		p.Add(groupGap(l.y(g, 0) + 1))
	}
	return p
}

// groupGap is a light horizontal line across a panel at height Y, between
// two groups of rows.
type groupGap float64

func (g groupGap) Plot(c draw.Canvas, plt *plot.Plot) {
	_, trY := plt.Transforms(&c)
	y := trY(float64(g))
	c.StrokeLine2(lineStyle(color.Gray{Y: 180}, 0.8), c.Min.X, y, c.Max.X, y)
}

// groupNote writes grey text centred in a group's rows, e.g. "not sold
// here" where a venue has no channel for a maker.
type groupNote struct {
	Y    float64
	Text string
}

func (n groupNote) Plot(c draw.Canvas, plt *plot.Plot) {
	_, trY := plt.Transforms(&c)
	sty := textStyle(gridTitleSize)
	sty.Color = gray
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: trY(n.Y)}, n.Text)
}

// VenueSpend draws buyer spend over the report window (summary.json
// "gross_revenue/<channel>": a channel's gross revenue is what buyers
// spend through it) by where it is bought: one panel per venue (Azure,
// AWS, Google Cloud, direct or in-house), one group of rows per maker
// (OpenAI, Claude, Gemini, open models), one row per scenario, on one
// dollar scale. The point is the mean over runs and the bar holds 5–95% of
// runs; a hollow point at zero is a channel that sells nothing in that
// scenario.
func VenueSpend(d *report.Dir) (*Figure, error) {
	s := d.Summary
	n := len(s.Scenarios)
	lay := dotRows{groups: len(venueMakers), scenarios: n}
	ms := make(map[string][]report.MetricSummary)
	top := 0.0
	for _, ch := range report.Channels {
		m, err := firmSummaries(s, report.MetricName(report.GrossRevenue, ch))
		if err != nil {
			return nil, fmt.Errorf("%w (results written before channels' gross revenue was: %w)", err, errNoData)
		}
		ms[ch] = m
		for _, v := range m {
			top = math.Max(top, math.Max(v.P95, v.Mean))
		}
	}
	u := moneyUnit(top)
	labels := make([]string, len(venueMakers))
	for g, m := range venueMakers {
		labels[g] = m.name
	}
	f := &Figure{
		Title: title(s, "buyer spend over "+window(s)+" by where it is bought and whose models"),
		Caption: "Points: mean spend over runs; bars: 5th–95th percentile of runs; one row per scenario (colour). " +
			"A hollow point at 0: the channel sells nothing in that scenario over the window.",
		Legend:      scenarioLegend(s),
		HeightScale: 1.2,
	}
	var row []*plot.Plot
	for vi, v := range venues {
		p := lay.panel(v.name, labels, vi == 0)
		p.X.Label.Text = u.name + " over the window"
		p.X.Tick.Marker = niceTicker(4)
		p.X.Min, p.X.Max = 0, top/u.div*1.04
		for g, mk := range venueMakers {
			ch := venueChannel(v.id, mk.id)
			if ch == "" {
				p.Add(groupNote{Y: (lay.y(g, 0) + lay.y(g, n-1)) / 2, Text: "not sold here"})
				continue
			}
			for i, m := range ms[ch] {
				p.Add(&interval{Y: lay.y(g, i), Lo: m.P5 / u.div, Mid: m.Mean / u.div, Hi: m.P95 / u.div,
					Color: scenarioColor(i), Hollow: m.Mean == 0 && m.P95 == 0, Radius: vg.Points(4.5)})
			}
		}
		row = append(row, p)
	}
	f.Panels = [][]*plot.Plot{row}
	return f, nil
}

// buyerGroups are the row groups of the buyers figure: the breakdown kind
// (report.BySegment or report.ByCloud), the groups of that kind in report
// order, and what a row calls each.
var buyerGroups = []struct {
	by     string
	title  string
	groups []string
	names  map[string]string
}{
	{report.BySegment, "by buyer segment", report.Segments, segmentNames},
	{report.ByCloud, "by incumbent cloud", report.Clouds, incumbentNames},
}

// buyerShares returns, per scenario, group and venue, the share of the
// group's spend over the report window bought at the venue: the sum of
// the mean spend of the venue's channels from buyers in the group over the
// sum of all channels' (summary.json "spend/<channel>/<by>/<group>"); and
// under the key (scenario, group, venue+"/openai") the part of it through
// OpenAI's channel there (Azure OpenAI, OpenAI on Bedrock or Vertex, or
// OpenAI direct). A ratio of means has no band: percentiles of the parts
// do not give the share's. NaN where the group spends nothing.
func buyerShares(s *report.Summary, by string, groups []string) (map[[3]string]float64, error) {
	out := make(map[[3]string]float64)
	for _, sc := range s.Scenarios {
		for _, g := range groups {
			total := 0.0
			part := make(map[string]float64)
			for _, ch := range report.Channels {
				m, err := metricSummary(s, sc.Name, report.BreakdownName(report.Spend, ch, by, g))
				if err != nil {
					return nil, fmt.Errorf("%w (results written before the spend breakdowns were: %w)", err, errNoData)
				}
				v, maker := channelVenue(ch)
				part[v] += m.Mean
				if maker == "openai" {
					part[v+"/openai"] += m.Mean
				}
				total += m.Mean
			}
			for _, v := range venues {
				out[[3]string{sc.Name, g, v.id}] = part[v.id] / total
				out[[3]string{sc.Name, g, v.id + "/openai"}] = part[v.id+"/openai"] / total
			}
		}
	}
	return out, nil
}

// venueDot is the radius of the buyers figure's dots (all makers' spend at
// a venue); a tick (OpenAI's part of it) reaches above and below it.
const venueDot = vg.Length(4)

// dotGlyph returns a legend thumbnail's glyph: a filled grey dot of
// radius r.
func dotGlyph(r vg.Length) draw.GlyphStyle {
	g := diffGlyph(gray, true)
	g.Radius = r
	return g
}

// tick is a short vertical stroke at (X, Y), taller than a venueDot so
// that it shows where it falls on one.
type tick struct {
	X, Y  float64
	Color color.RGBA
}

func (t *tick) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	x, y := trX(t.X), trY(t.Y)
	h := venueDot + vg.Points(3)
	c.StrokeLine2(lineStyle(color.White, 4.5), x, y-h, x, y+h)
	c.StrokeLine2(lineStyle(t.Color, 2.5), x, y-h, x, y+h)
}

func (t *tick) DataRange() (xmin, xmax, ymin, ymax float64) { return t.X, t.X, t.Y, t.Y }

func (t *tick) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(lineStyle(t.Color, 2.5), x, c.Min.Y, x, c.Max.Y)
}

// BuyerVenues draws, for each buyer segment (top row) and each incumbent
// cloud (bottom row), the share of its spend over the report window bought
// at each venue (panels: Azure, AWS, Google Cloud, direct or in-house),
// one point per scenario: whether regulated buyers lean to Azure, and
// whether a buyer's incumbent cloud predicts where it buys. Points are
// ratios of mean spend, with no band (buyerShares).
func BuyerVenues(d *report.Dir) (*Figure, error) {
	s := d.Summary
	n := len(s.Scenarios)
	f := &Figure{
		Title: title(s, "where each kind of buyer buys: share of its spend over "+window(s)),
		Caption: "Dots: the group's mean spend at the venue over its mean spend everywhere (a ratio of means over runs; " +
			"no band); ticks: the part through OpenAI's channel there (Azure OpenAI, OpenAI on Bedrock, on Vertex, direct). " +
			"One row per scenario (colour); a row's dots add up to 100% across the four panels.",
		Legend: append(scenarioLegend(s),
			LegendEntry{Label: "all makers", Thumbs: []plot.Thumbnailer{glyphThumb{dotGlyph(venueDot)}}},
			LegendEntry{Label: "of which OpenAI's models", Thumbs: []plot.Thumbnailer{&tick{Color: gray}}}),
		HeightScale: 1.6,
	}
	for _, bg := range buyerGroups {
		shares, err := buyerShares(s, bg.by, bg.groups)
		if err != nil {
			return nil, err
		}
		lay := dotRows{groups: len(bg.groups), scenarios: n}
		labels := make([]string, len(bg.groups))
		for g, id := range bg.groups {
			labels[g] = nameOr(bg.names, id)
		}
		var row []*plot.Plot
		for vi, v := range venues {
			p := lay.panel(v.name, labels, vi == 0)
			p.X.Label.Text = "% of the group's spend"
			p.X.Tick.Marker = percentTicks
			p.X.Min, p.X.Max = 0, 100
			for g, id := range bg.groups {
				for i, sc := range s.Scenarios {
					x := 100 * shares[[3]string{sc.Name, id, v.id}]
					if math.IsNaN(x) {
						continue
					}
					o := 100 * shares[[3]string{sc.Name, id, v.id + "/openai"}]
					p.Add(&interval{Y: lay.y(g, i), Lo: x, Mid: x, Hi: x, Color: scenarioColor(i), Radius: venueDot})
					p.Add(&tick{Y: lay.y(g, i), X: o, Color: scenarioColor(i)})
				}
			}
			row = append(row, p)
		}
		f.Panels = append(f.Panels, row)
		f.RowLabels = append(f.RowLabels, bg.title)
	}
	return f, nil
}

// percentTicks labels 0, 25, 50, 75 and 100 (%), with minor ticks between.
var percentTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for v := 0; v <= 100; v += 5 {
		t := plot.Tick{Value: float64(v)}
		if v%25 == 0 {
			t.Label = strconv.Itoa(v)
		}
		ts = append(ts, t)
	}
	return ts
})
