package plots

import (
	"github.com/coopsim/coopsim/experiments/report"
)

// shareLines returns, per scenario and channel, the share of buyer spend
// ("share/<channel>" in series.csv) as a fraction, undefined (NaN) where
// undefinedShares says so.
func shareLines(d *report.Dir) (map[[2]string]band, error) {
	out := make(map[[2]string]band)
	for _, sc := range d.Summary.Scenarios {
		for _, ch := range report.Channels {
			b, err := seriesBand(d, sc.Name, report.MetricName(report.Share, ch), 1)
			if err != nil {
				return nil, err
			}
			out[[2]string{sc.Name, ch}] = b
		}
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

// ChannelShares draws the mean share of buyer spend of each channel over
// time, in percent, one panel per channel with one colour per scenario (or,
// with more than five scenarios, one row per channel and one column per
// scenario). A line starts when the channel first sells in that scenario.
func ChannelShares(d *report.Dir) (*Figure, error) {
	s := d.Summary
	lines, err := shareLines(d)
	if err != nil {
		return nil, err
	}
	f := &Figure{
		Title: title(s, "shares of buyer spend by channel"),
		Caption: "Lines: mean share over runs (the channels' means add up to 100%); shaded bands: 5th–95th percentile of runs. " +
			"A line starts when the channel first sells in that scenario; a channel that never does has no line. " +
			"The first four sell OpenAI's models; the others are the rival makers' channels.",
	}
	sp := seriesSpec{items: report.Channels, name: channelName, bands: lines, unit: percent, per: " of spend", empty: "not sold"}
	if len(s.Scenarios) > maxOverlaid {
		f.Caption = "Rows: channels; columns: scenarios. " + f.Caption
	}
	sp.draw(f, s)
	return f, nil
}
