package market

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// RevenuePoint is one dated figure of annualized revenue in US dollars.
type RevenuePoint struct {
	Month      Month   `toml:"month"`
	Annualized float64 `toml:"annualized_usd"`
}

// OtherRevenue is OpenAI's revenue outside the buyer market (ChatGPT
// subscriptions and its own products): an exogenous monthly series. Its log
// follows the least-squares line through the all-products figures up to the
// last of them; after that its growth rate decays from the fitted rate to a
// long-run rate drawn per run (growth uncertainty), with monthly noise.
type OtherRevenue struct {
	// Points are the all-products annualized revenue figures
	// (data/openai_revenue.csv, rows tagged R or L with scope "all products").
	Points []RevenuePoint `toml:"points"`
	// NonAPIShare is the part of all-products revenue outside the API market
	// the buyers model (default 0.65, calibrated: in 2024-03 the API was
	// about $1.0B of about $2.6B, the all-products figure interpolated
	// log-linearly between the $2.0B of 2023-12 and $3.4B of 2024-06 in
	// docs/data/openai_revenue.csv).
	NonAPIShare float64 `toml:"non_api_share"`
	// From is the first month with such revenue (ChatGPT Plus, 2023-02: a
	// date not in docs/data); the series is zero before it.
	From Month `toml:"from"`
	// LongRunGrowth is the mean annual log growth the rate decays to, and
	// LongRunGrowthSD its spread across runs (assumptions to vary).
	LongRunGrowth   float64 `toml:"long_run_growth"`
	LongRunGrowthSD float64 `toml:"long_run_growth_sd"`
	// HalfLifeMonths is the half-life of the decay of the growth rate.
	HalfLifeMonths float64 `toml:"half_life_months"`
	// NoiseSD is the standard deviation of monthly log noise.
	NoiseSD float64 `toml:"noise_sd"`
	// Margin is the gross margin on this revenue (assumption: as the API's).
	Margin float64 `toml:"margin"`
}

// DefaultOtherRevenue returns the series fitted to data/openai_revenue.csv.
func DefaultOtherRevenue() OtherRevenue {
	return OtherRevenue{
		Points: []RevenuePoint{
			{agents.MonthOf(2023, 10), 1.3e9}, // The Information, L
			{agents.MonthOf(2023, 12), 2.0e9}, // OpenAI CFO, R
			{agents.MonthOf(2024, 6), 3.4e9},  // The Information / Bloomberg, L
			{agents.MonthOf(2024, 12), 6.0e9}, // OpenAI CFO, R
			{agents.MonthOf(2025, 7), 12e9},   // The Information / Reuters, L
			{agents.MonthOf(2025, 12), 20e9},  // OpenAI CFO, R
		},
		NonAPIShare:     0.65,
		From:            agents.MonthOf(2023, 2),
		LongRunGrowth:   0.15,
		LongRunGrowthSD: 0.10,
		HalfLifeMonths:  9,
		NoiseSD:         0.03,
		Margin:          0.40,
	}
}

// Validate reports the first impossible value.
func (o *OtherRevenue) Validate() error {
	if len(o.Points) < 2 {
		return fmt.Errorf("market: %w", &agents.ValueError{Key: "other_revenue.points", Value: len(o.Points), Got: fmt.Sprintf("has %d points", len(o.Points)), Want: "at least 2 to fit a growth line"})
	}
	for i, p := range o.Points {
		if !(p.Annualized > 0) || math.IsInf(p.Annualized, 0) {
			return valueErr(fmt.Sprintf("other_revenue.points[%d].annualized_usd", i), p.Annualized, "a positive number")
		}
		if i > 0 && p.Month <= o.Points[i-1].Month {
			return valueErr(fmt.Sprintf("other_revenue.points[%d].month", i), p.Month, "a month after the point before it (list points in date order)")
		}
	}
	switch {
	case !(o.NonAPIShare >= 0 && o.NonAPIShare <= 1):
		return valueErr("other_revenue.non_api_share", o.NonAPIShare, "0 to 1")
	case !(o.LongRunGrowth >= -1 && o.LongRunGrowth <= 3):
		return valueErr("other_revenue.long_run_growth", o.LongRunGrowth, "-1 to 3 (annual log growth)")
	case !(o.LongRunGrowthSD >= 0 && o.LongRunGrowthSD <= 2):
		return valueErr("other_revenue.long_run_growth_sd", o.LongRunGrowthSD, "0 to 2")
	case !(o.HalfLifeMonths > 0 && o.HalfLifeMonths <= 600):
		return valueErr("other_revenue.half_life_months", o.HalfLifeMonths, "more than 0 and at most 600")
	case !(o.Margin >= 0 && o.Margin <= 1):
		return valueErr("other_revenue.margin", o.Margin, "0 to 1")
	case !(o.NoiseSD >= 0 && o.NoiseSD <= 1):
		return valueErr("other_revenue.noise_sd", o.NoiseSD, "0 to 1")
	}
	return nil
}

// fit returns the least-squares line log(annualized) = a + b·(month − m0)
// through the points, with m0 the last point's month.
func (o *OtherRevenue) fit() (a, b float64, m0 Month) {
	m0 = o.Points[len(o.Points)-1].Month
	var sx, sy, sxx, sxy float64
	n := float64(len(o.Points))
	for _, p := range o.Points {
		x := float64(p.Month - m0)
		y := detmath.Log(p.Annualized)
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	b = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	a = (sy - b*sx) / n
	return a, b, m0
}

// Fill writes the monthly other revenue (US dollars per month) of run
// stream st for months start, start+1, ... into dst.
func (o *OtherRevenue) Fill(dst []float64, start Month, st agents.Stream) {
	a, b, m0 := o.fit()
	gInf := (o.LongRunGrowth + o.LongRunGrowthSD*agents.NormalQuantile(st.Float64(agents.PurposeOtherGrowth, 0, 0))) / 12
	decay := math.Ln2 / o.HalfLifeMonths
	for k := range dst {
		t := start + Month(k)
		if t < o.From {
			dst[k] = 0
			continue
		}
		x := float64(t - m0)
		logA := a + b*x
		if x > 0 {
			// Growth decays from b to gInf: integral of gInf + (b−gInf)e^{−λs}.
			logA = a + gInf*x + (b-gInf)*(1-detmath.Exp(-decay*x))/decay
		}
		noise := 0.0
		if o.NoiseSD > 0 {
			noise = o.NoiseSD * agents.NormalQuantile(st.Float64(agents.PurposeOtherRevenue, 0, uint32(t)))
		}
		dst[k] = o.NonAPIShare * detmath.Exp(logA+noise) / 12
	}
}

// maxMonthly bounds the series over start..end: the fitted path with the
// long-run growth 8.3 standard deviations high and the noise as high.
func (o *OtherRevenue) maxMonthly(start, end Month) float64 {
	a, b, m0 := o.fit()
	gInf := (o.LongRunGrowth + 8.3*o.LongRunGrowthSD) / 12
	decay := math.Ln2 / o.HalfLifeMonths
	peak := math.Inf(-1)
	for t := start; t <= end; t++ {
		x := float64(t - m0)
		logA := a + b*x
		if x > 0 {
			logA = a + gInf*x + (b-gInf)*(1-detmath.Exp(-decay*x))/decay
		}
		peak = math.Max(peak, logA)
	}
	return o.NonAPIShare * detmath.Exp(peak+8.3*o.NoiseSD) / 12
}

// sameAs reports whether o and p describe the same series, so a Sim can
// reuse a filled series.
func (o *OtherRevenue) sameAs(p *OtherRevenue) bool {
	if len(o.Points) != len(p.Points) {
		return false
	}
	for i := range o.Points {
		if o.Points[i] != p.Points[i] {
			return false
		}
	}
	return o.NonAPIShare == p.NonAPIShare && o.From == p.From && o.LongRunGrowth == p.LongRunGrowth &&
		o.LongRunGrowthSD == p.LongRunGrowthSD && o.HalfLifeMonths == p.HalfLifeMonths && o.NoiseSD == p.NoiseSD
}
