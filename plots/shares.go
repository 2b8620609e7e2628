package plots

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/experiments/report"
)

// shareLines returns, per scenario and channel, the share of buyer spend
// ("share/<channel>" in series.csv) as a fraction, undefined (NaN) where
// undefinedShares says so.
func shareLines(d *report.Dir) (map[[2]string]band, error) {
	out, err := seriesBands(d, report.Share, report.Channels, 1)
	if err != nil {
		return nil, err
	}
	for _, sc := range d.Summary.Scenarios {
		undefinedShares(out, sc.Name)
	}
	return out, nil
}

// undefinedShares blanks the months where a scenario's shares do not
// exist: those in which no run has any spend (a share of nothing), and a
// channel's months before the first in which any run spends through it
// (the channel does not sell yet; a channel that never sells has no line).
func undefinedShares(lines map[[2]string]band, scenario string) {
	var n int
	for _, ch := range report.Channels {
		n = len(lines[[2]string{scenario, ch}].X)
	}
	for i := range n {
		spend := false
		for _, ch := range report.Channels {
			b := lines[[2]string{scenario, ch}]
			spend = spend || b.Hi[i] > 0 || b.Mid[i] > 0
		}
		if !spend {
			for _, ch := range report.Channels {
				lines[[2]string{scenario, ch}].blank(i)
			}
		}
	}
	for _, ch := range report.Channels {
		b := lines[[2]string{scenario, ch}]
		for i := 0; i < len(b.X) && !(b.Hi[i] > 0 || b.Mid[i] > 0); i++ {
			b.blank(i)
		}
	}
}

// makerRows are the rows of the channel-share figure after OpenAI's own
// channels: one per rival maker over all its channels (makerChannels: those
// channelVenue gives to the maker), in report order, named as the
// maker-share figure names them (makerShareNames).
var makerRows = []string{"anthropic", "google", "open"}

// shareRowNames are what the channel-share figure calls OpenAI's channels:
// the model maker first, since the rows below are by maker.
var shareRowNames = map[string]string{
	"openai": "OpenAI direct",
	"azure":  "Azure OpenAI",
	"aws":    "OpenAI on Bedrock",
	"gcp":    "OpenAI on Vertex",
}

// makerChannels returns the channels of report.Channels a maker sells
// through (channelVenue).
func makerChannels(maker string) []string {
	var out []string
	for _, ch := range report.Channels {
		if _, m := channelVenue(ch); m == maker {
			out = append(out, ch)
		}
	}
	return out
}

// makerShares returns, per scenario, a maker's share of buyer spend: the
// sum of its channels' mean shares (exact: the mean of a sum is the sum of
// the means), undefined in a month where all of them are. It has no band
// (Lo = Hi = the line): percentiles do not add up.
func makerShares(lines map[[2]string]band, s *report.Summary, maker string) map[string]band {
	out := make(map[string]band)
	for _, sc := range s.Scenarios {
		var sum band
		for _, ch := range makerChannels(maker) {
			b := lines[[2]string{sc.Name, ch}]
			if sum.X == nil {
				sum.X = b.X
				sum.Mid = make([]float64, len(b.X))
				for i := range sum.Mid {
					sum.Mid[i] = math.NaN()
				}
			}
			for i, v := range b.Mid {
				if math.IsNaN(v) {
					continue
				}
				if math.IsNaN(sum.Mid[i]) {
					sum.Mid[i] = 0
				}
				sum.Mid[i] += v
			}
		}
		sum.Lo, sum.Hi = sum.Mid, sum.Mid
		out[sc.Name] = sum
	}
	return out
}

// makerBands returns, per scenario, a maker's row of the channel-share
// figure: its share of buyer spend from series.csv ("share/maker/<maker>",
// with the runs' band) where the results have it for every scenario, else
// makerShares' sum of its channels' means (no band); banded says which.
// Either way the row is undefined where all the maker's channels are (no
// spend yet, or before any of them sells).
func makerBands(d *report.Dir, lines map[[2]string]band, maker string) (out map[string]band, banded bool, err error) {
	sums := makerShares(lines, d.Summary, maker)
	metric := report.MetricName(report.ShareMaker, maker)
	for _, sc := range d.Summary.Scenarios {
		if len(d.SeriesOf(sc.Name, metric)) == 0 {
			return sums, false, nil
		}
	}
	out = make(map[string]band)
	for _, sc := range d.Summary.Scenarios {
		b, err := seriesBand(d, sc.Name, metric, 1)
		if err != nil {
			return nil, false, err
		}
		sum := sums[sc.Name]
		if len(b.X) != len(sum.X) {
			return nil, false, fmt.Errorf("%s: scenario %q has %d months of %s but %d of the channels' shares",
				report.SeriesFile, sc.Name, len(b.X), metric, len(sum.X))
		}
		for i := range b.X {
			if math.IsNaN(sum.Mid[i]) {
				b.blank(i)
			}
		}
		out[sc.Name] = b
	}
	return out, true, nil
}

// addMakerRow adds a maker's row of a share figure (makerBands), called
// id, to the figure's items and its bands, per scenario; banded says
// whether the row has the runs' band.
func addMakerRow(d *report.Dir, lines map[[2]string]band, maker, id string, items []string, bands map[[2]string]band) ([]string, bool, error) {
	mb, banded, err := makerBands(d, lines, maker)
	if err != nil {
		return nil, false, err
	}
	for sc, b := range mb {
		bands[[2]string{sc, id}] = b
	}
	return append(items, id), banded, nil
}

// ChannelShares draws the mean share of buyer spend over time, in
// percent: one row for each of OpenAI's four channels (the ones the
// contract regimes govern), then one per rival maker over all its
// channels (from the makers' shares in series.csv, or, in results without
// them, the sum of its channels' means with no band: percentiles do not
// add up). With up to five scenarios each row is a panel with one colour
// per scenario; with more, a grid with one column per scenario. A line
// starts when the channel first sells in that scenario.
func ChannelShares(d *report.Dir) (*Figure, error) {
	s := d.Summary
	lines, err := shareLines(d)
	if err != nil {
		return nil, err
	}
	var items []string
	bands := make(map[[2]string]band)
	names := make(map[string]string)
	for _, ch := range report.OpenAIChannels {
		items = append(items, ch)
		names[ch] = nameOr(shareRowNames, ch)
		for _, sc := range s.Scenarios {
			bands[[2]string{sc.Name, ch}] = lines[[2]string{sc.Name, ch}]
		}
	}
	allBanded := true
	for _, m := range makerRows {
		id := "maker:" + m
		var banded bool
		if items, banded, err = addMakerRow(d, lines, m, id, items, bands); err != nil {
			return nil, err
		}
		allBanded = allBanded && banded
		names[id] = makerShareNames[m]
		if !banded {
			names[id] = makerShareNames[m] + " (summed)"
		}
	}
	f := &Figure{Title: title(s, "shares of buyer spend: OpenAI's channels and rival makers")}
	if allBanded {
		f.Caption = "Lines: mean share over runs (all rows add up to 100%); shaded bands: 5th–95th percentile of runs " +
			"(a maker's row: of its share over all its channels)."
	} else {
		f.Caption = "Lines: mean share over runs (all rows add up to 100%). Shaded bands (OpenAI's four channels only): " +
			"5th–95th percentile of runs; a \"summed\" row adds up its channels' mean shares and has no band, since " +
			"percentiles do not add up (these results have no makers' shares)."
	}
	f.Caption += " A line starts when the channel first sells in that scenario."
	sp := seriesSpec{items: items, name: func(id string) string { return names[id] }, bands: bands,
		unit: percent, per: " of spend", empty: "not sold"}
	if len(s.Scenarios) > maxOverlaid {
		sp.per = "" // a rotated "% of spend" is longer than a small multiple is tall
		f.Caption = "Rows: OpenAI's channels, then rival makers; columns: scenarios. " + f.Caption
	}
	sp.draw(f, s)
	return f, nil
}

// makerShareNames are what the maker-share figure calls the makers of
// report.Makers.
var makerShareNames = map[string]string{
	"openai":    "OpenAI",
	"anthropic": "Claude",
	"google":    "Gemini",
	"open":      "Open models",
}

// MakerShares draws each model maker's share of buyer spend over time
// ("share/maker/<maker>" in series.csv), whatever the channel: OpenAI's
// models (its four channels together) against Claude, Gemini and open
// models, on one y scale so that the makers compare across panels. With
// up to five scenarios each maker is a panel with one colour per
// scenario; with more, a row with one column per scenario. A line starts
// when the first of the maker's channels sells. Results without the
// makers' shares have nothing to draw (errNoData): channel_shares sums
// their channels instead.
func MakerShares(d *report.Dir) (*Figure, error) {
	s := d.Summary
	lines, err := shareLines(d)
	if err != nil {
		return nil, err
	}
	var items []string
	bands := make(map[[2]string]band)
	for _, m := range report.Makers {
		var banded bool
		if items, banded, err = addMakerRow(d, lines, m, m, items, bands); err != nil {
			return nil, err
		}
		if !banded {
			return nil, fmt.Errorf("%s has no %s series (results written before the makers' shares were): %w",
				report.SeriesFile, report.MetricName(report.ShareMaker, m), errNoData)
		}
	}
	f := &Figure{
		Title: title(s, "shares of buyer spend by model maker, whatever the channel"),
		Caption: "Lines: mean share over runs (the makers add up to 100%); shaded bands: 5th–95th percentile of runs. " +
			"One y scale for all makers. A line starts when the maker's first channel sells in that scenario.",
	}
	sp := seriesSpec{items: items, name: func(id string) string { return nameOr(makerShareNames, id) }, bands: bands,
		unit: percent, per: " of spend", empty: "not sold", shared: true}
	if len(s.Scenarios) > maxOverlaid {
		sp.per = ""
		f.Caption = "Rows: model makers; columns: scenarios. " + f.Caption
	}
	sp.draw(f, s)
	return f, nil
}
