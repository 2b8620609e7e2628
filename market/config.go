package market

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// Outside is the buyers' outside option: rival vendors and in-house builds.
type Outside struct {
	// Constant is the outside option's utility at TrendFrom.
	Constant float64 `toml:"constant"`
	// TrendPerYear is added to its utility per year after TrendFrom
	// (negative: OpenAI's models pull buyers in over time).
	TrendPerYear float64 `toml:"trend_per_year"`
	TrendFrom    Month   `toml:"trend_from"`
	// Margin is rivals' gross margin.
	Margin float64 `toml:"margin"`
}

// Config is one market: its span, buyers, sellers and the exogenous parts.
// DefaultConfig documents every default and its source.
type Config struct {
	Start Month `toml:"start"`
	End   Month `toml:"end"`
	// Buyers is the buyer population.
	Buyers agents.BuyerConfig `toml:"buyers"`
	// Sellers are the channels' sellers, indexed by agents.Channel.
	Sellers [agents.NumChannels]agents.SellerConfig `toml:"-"`
	// Outside is the outside option.
	Outside Outside `toml:"outside"`
	// PreviewPenalty is the utility buyers subtract from a channel in
	// limited preview.
	PreviewPenalty float64 `toml:"preview_penalty"`
	// SpendGrowth is the annual growth of every adopted buyer's spend at list
	// prices after SpendGrowthFrom (more use per account).
	SpendGrowth     float64 `toml:"spend_growth"`
	SpendGrowthFrom Month   `toml:"spend_growth_from"`
	// OtherRevenue is OpenAI's revenue outside the buyer market.
	OtherRevenue OtherRevenue `toml:"other_revenue"`
}

// Months returns the number of simulated months.
func (c *Config) Months() int { return int(c.End-c.Start) + 1 }

// Validate reports the first impossible value, naming its key path.
func (c *Config) Validate() error {
	if c.End < c.Start {
		return valueErr("end", c.End, "at or after start "+c.Start.String())
	}
	if c.Months() > 1200 {
		return fmt.Errorf("market: %w", &agents.ValueError{Key: "end", Value: c.End, Got: fmt.Sprintf("%s gives %d months from start %s", c.End, c.Months(), c.Start), Want: "at most 1200 months"})
	}
	if err := c.Buyers.Validate(); err != nil {
		return err
	}
	for ch := range c.Sellers {
		if err := c.Sellers[ch].Validate("sellers." + agents.ChannelNames[ch]); err != nil {
			return err
		}
	}
	finite := func(key string, v, lo, hi float64) error {
		if !(v >= lo && v <= hi) {
			return valueErr(key, v, agents.FormatValue(lo)+" to "+agents.FormatValue(hi))
		}
		return nil
	}
	if err := c.OtherRevenue.Validate(); err != nil {
		return err
	}
	// Every monthly figure must stay finite, and small enough for exact
	// fixed-point sums over runs (experiments): bound the largest month.
	if b := c.maxMonthlySpend(); !(b < maxMonthly) {
		return fmt.Errorf("market: %w", &agents.ValueError{Key: "buyers", Value: b, Got: fmt.Sprintf("could spend %.3g USD in a month (accounts × budget_median_usd × the lognormal tail of budget_sigma × spend_growth × list_price)", b), Want: fmt.Sprintf("below %g", maxMonthly)})
	}
	if b := c.OtherRevenue.maxMonthly(c.Start, c.End); !(b < maxMonthly) {
		return fmt.Errorf("market: %w", &agents.ValueError{Key: "other_revenue", Value: b, Got: fmt.Sprintf("could reach %.3g USD in a month by %s (long_run_growth and its sd)", b, c.End), Want: fmt.Sprintf("below %g", maxMonthly)})
	}
	for _, e := range []error{
		finite("outside.constant", c.Outside.Constant, -1e6, 1e6),
		finite("outside.trend_per_year", c.Outside.TrendPerYear, -1e3, 1e3),
		finite("outside.margin", c.Outside.Margin, 0, 1),
		finite("preview_penalty", c.PreviewPenalty, -1e6, 1e6),
		finite("spend_growth", c.SpendGrowth, -0.9, 10),
	} {
		if e != nil {
			return e
		}
	}
	return nil
}

// maxMonthly bounds any monthly money figure of a valid market (1e30 USD,
// far beyond any economy and far within float64 and the fixed-point sums).
const maxMonthly = 1e30

// maxMonthlySpend bounds total buyer spend in any month: every account at
// the largest budget a draw can give (8.3 standard deviations: the normal
// quantile of the smallest uniform draw), at the highest price and growth.
func (c *Config) maxMonthlySpend() float64 {
	maxPrice := 1.0
	for _, s := range c.Sellers {
		maxPrice = math.Max(maxPrice, s.ListPrice)
	}
	years := c.End.YearsSince(c.SpendGrowthFrom)
	growth := math.Max(1, detmath.Pow(1+c.SpendGrowth, math.Max(0, years)))
	return c.Buyers.Accounts * c.Buyers.BudgetMedian * detmath.Exp(8.3*c.Buyers.BudgetSigma) * growth * maxPrice
}

// DefaultConfig returns the default market, before calibration. Figures
// name their source; "assumption" marks a value no source gives, to vary.
func DefaultConfig() Config {
	var c Config
	c.Start = agents.MonthOf(2019, 7) // the 2019 deal (deal_timeline.csv)
	c.End = agents.MonthOf(2032, 12)  // Microsoft's IP rights run to 2032 (docs/facts.md)
	b := &c.Buyers
	b.Agents = 10_000
	// Assumption: 200,000 organisations that could buy model access; the
	// Azure customer counts (2,500 then 11,000 in 2023) are a few percent.
	b.Accounts = 200_000
	b.BudgetMedian = 1_000 // assumption, calibrated: USD per month at full ramp
	b.BudgetSigma = 1.6    // heavy tail: the top 1% of accounts ~40x the median
	// Assumption: about a third regulated (finance, health, government).
	b.Segments[agents.SegmentRegulated].Share = 0.30
	b.Segments[agents.SegmentDigitalNative].Share = 0.20
	b.Segments[agents.SegmentTraditional].Share = 0.50
	w := func(mean, cv float64) agents.Spread { return agents.Spread{Mean: mean, CV: cv} }
	// Preference weights per segment, in utility per unit of attribute
	// (assumptions; regulated's security weight is calibrated): regulated
	// buyers weigh security (docs/facts.md: financial customers moved to Azure for
	// security), digital natives price and early access.
	b.Segments[agents.SegmentRegulated].Weights = [agents.NumPreferences]agents.Spread{
		w(2.0, 0.3), w(1.0, 0.3), w(0.2, 0.5), w(1.0, 0.3), w(0.3, 0.5), w(1.5, 0.3)}
	b.Segments[agents.SegmentDigitalNative].Weights = [agents.NumPreferences]agents.Spread{
		w(0.3, 0.5), w(1.5, 0.3), w(0.6, 0.5), w(0.5, 0.3), w(0.8, 0.5), w(0.8, 0.3)}
	b.Segments[agents.SegmentTraditional].Weights = [agents.NumPreferences]agents.Spread{
		w(0.8, 0.3), w(1.0, 0.3), w(0.1, 0.5), w(1.2, 0.3), w(0.3, 0.5), w(1.5, 0.3)}
	// data/cloud_shares.csv 2023Q4 (Synergy, tag E): AWS 31%, Microsoft 24%,
	// Google 11%; the rest (34%) other or none.
	b.CloudShares = [agents.NumClouds]float64{0.24, 0.31, 0.11, 0.34}
	b.Diffusion = agents.Diffusion{Start: agents.ChatGPTShock, P: 0.02, Q: 0.15, Potential: 0.85}
	b.RampMonths = 12
	b.RenewalMonths = 12

	sellers := &c.Sellers
	// OpenAI direct: early access and direct support (docs/facts.md, 000); its
	// enterprise team from 2023-07 (000, 004). Reach in accounts per month
	// (every seller's is an assumption: a team contacting 1–1.5% of the
	// market's accounts a month at full strength).
	sellers[agents.ChannelOpenAI] = agents.SellerConfig{
		Reach:     agents.Reach{From: agents.MonthOf(2023, 7), Initial: 100, Full: 1_000, RampMonths: 24},
		Targeting: agents.TargetLargestFirst,
		Security:  0.4, Support: 1.0, Constant: 0.3, PitchBonus: 0.5,
		ListPrice: 1, Margin: 0.40, // "similar margin" to Azure (004)
	}
	// Azure: security and compliance, bundle discounts with compute (000,
	// 003); 40% gross margin (004); price cuts from 2024 (004).
	sellers[agents.ChannelAzure] = agents.SellerConfig{
		Reach:     agents.Reach{From: agents.MonthOf(2023, 1), Initial: 500, Full: 1_500, RampMonths: 12},
		Targeting: agents.TargetOwnCloudFirst,
		Security:  1.0, Support: 0.5, PitchBonus: 0.5,
		ListPrice: 1, BundleDiscount: 0.10, Margin: 0.40,
		Adaptive: agents.AdaptivePricing{Enabled: true, From: agents.MonthOf(2024, 1), LookbackMonths: 6,
			Trigger: 0.05, Step: 0.05, MarginFloor: 0.25},
	}
	// Bedrock at parity with OpenAI direct (deal_timeline.csv 2026-06-01, U).
	sellers[agents.ChannelAWS] = agents.SellerConfig{
		Reach:     agents.Reach{From: agents.MonthOf(2026, 4), Initial: 250, Full: 1_500, RampMonths: 12},
		Targeting: agents.TargetOwnCloudFirst,
		Security:  1.0, Support: 0.5, PitchBonus: 0.5,
		ListPrice: 1, BundleDiscount: 0.10, Margin: 0.40,
	}
	sellers[agents.ChannelGCP] = agents.SellerConfig{
		Reach:     agents.Reach{From: agents.MonthOf(2027, 1), Initial: 150, Full: 800, RampMonths: 12},
		Targeting: agents.TargetOwnCloudFirst,
		Security:  1.0, Support: 0.5, PitchBonus: 0.5,
		ListPrice: 1, BundleDiscount: 0.10, Margin: 0.40,
	}
	c.Outside = Outside{Constant: 1.5, TrendPerYear: -0.3, TrendFrom: agents.ChatGPTShock, Margin: 0.40}
	c.PreviewPenalty = 1.0
	c.SpendGrowth = 0.30
	c.SpendGrowthFrom = agents.MonthOf(2024, 1)
	c.OtherRevenue = DefaultOtherRevenue()
	return c
}

// valueErr returns an *agents.ValueError wrapped with this package's prefix.
func valueErr(key string, v any, want string) error {
	return fmt.Errorf("market: %w", &agents.ValueError{Key: key, Value: v, Want: want})
}
