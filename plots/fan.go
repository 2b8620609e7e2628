package plots

import (
	"github.com/coopsim/coopsim/experiments/report"
)

// fanBands returns, per scenario and firm, the annualized net revenue bands
// behind the fan chart: 12 × the monthly mean, p5 and p95 of
// "net_revenue/<firm>" in series.csv, in US dollars per year.
func fanBands(d *report.Dir) (map[[2]string]band, error) {
	return seriesBands(d, report.NetRevenue, report.Firms, 12)
}

// AnnualizedNetRevenueFan draws fan charts of annualized net revenue
// (12 × monthly net revenue) per firm: mean line and 5–95% band. With up
// to five scenarios each firm has one panel with one colour per scenario;
// with more, a grid with one row per firm (shared y axis) and one column
// per scenario.
func AnnualizedNetRevenueFan(d *report.Dir) (*Figure, error) {
	s := d.Summary
	bands, err := fanBands(d)
	if err != nil {
		return nil, err
	}
	f := &Figure{
		Title:   title(s, "annualized net revenue by firm (12 × monthly)"),
		Caption: "Lines: mean over runs; shaded bands: 5th–95th percentile of runs.",
	}
	sp := seriesSpec{items: report.Firms, name: firmName, bands: bands, unit: moneyUnit, per: perYear}
	if len(s.Scenarios) > maxOverlaid {
		f.Caption = "Rows: firms (one axis per row); columns: scenarios. " + f.Caption
	}
	sp.draw(f, s)
	return f, nil
}
