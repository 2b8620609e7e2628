package market

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// MaxReleases bounds the frontier releases listed per maker.
const MaxReleases = 24

// Makers are the model makers' standing with buyers (docs/model.md §7.3):
// a constant per maker and a standing that each frontier release raises
// and later releases by other makers wear down.
type Makers struct {
	// Constant is each maker's utility constant, added to every channel
	// selling its models; indexed by agents.Maker.
	Constant [agents.NumMakers]float64 `toml:"-"`
	// ReleaseWeight (β) is the utility a new frontier release adds to its
	// maker's standing.
	ReleaseWeight float64 `toml:"release_weight"`
	// ReleaseFade (λ): a release's contribution is β·e^(−λ·n), n the
	// frontier releases by other makers since.
	ReleaseFade float64 `toml:"release_fade"`
	// Releases are each maker's frontier releases, the months their models
	// became generally usable through the maker's own API, in date order;
	// zero months are unused slots (docs/data/frontier_releases.csv).
	Releases [agents.NumMakers][MaxReleases]Month `toml:"-"`
}

// Clouds are how a buyer's incumbent cloud steers its choice
// (docs/model.md §7.3, §7.11).
type Clouds struct {
	// Misfit is the utility a buyer loses buying through a cloud that is
	// not its incumbent one.
	Misfit float64 `toml:"misfit"`
	// Pull is the probability that a buyer whose main workload buys
	// through another cloud than its incumbent moves its incumbent cloud to
	// that one, at each renewal of that workload.
	Pull float64 `toml:"pull"`
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
	// Opens is the month each rival channel opens unless a regime says
	// otherwise (docs/data/rival_channels.csv); 0: open from the start.
	// OpenAI's channels (the first four) follow the regime only.
	Opens [agents.NumChannels]Month `toml:"-"`
	// Makers are the model makers' constants and frontier releases.
	Makers Makers `toml:"makers"`
	// Clouds are cloud fit and cloud pull.
	Clouds Clouds `toml:"clouds"`
	// PreviewPenalty is the utility buyers subtract from a channel in
	// limited preview.
	PreviewPenalty float64 `toml:"preview_penalty"`
	// SpendGrowth is the annual growth of every adopted buyer's spend at list
	// prices from SpendGrowthFrom (usage per account growing faster than
	// prices per token fall); the growth rate decays towards
	// SpendGrowthLongRun with half-life SpendGrowthHalfLife months
	// (docs/model.md §7.6).
	SpendGrowth         float64 `toml:"spend_growth"`
	SpendGrowthFrom     Month   `toml:"spend_growth_from"`
	SpendGrowthLongRun  float64 `toml:"spend_growth_long_run"`
	SpendGrowthHalfLife float64 `toml:"spend_growth_half_life_months"`
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
		return fmt.Errorf("market: %w", &agents.ValueError{Key: "end", Value: c.End, Got: fmt.Sprintf("%s gives %d months from start %s", c.End, c.Months(), c.Start), Want: "at most 1200 months: " + c.endFix()})
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
	for m := range c.Makers.Constant {
		if err := finite("makers."+agents.MakerNames[m]+".constant", c.Makers.Constant[m], -1e6, 1e6); err != nil {
			return err
		}
	}
	// Every monthly figure must stay finite, and small enough for exact
	// fixed-point sums over runs (experiments): bound the largest month.
	if b := c.maxMonthlySpend(); !(b < maxMonthly) {
		return fmt.Errorf("market: %w", &agents.ValueError{Key: "buyers", Value: b, Got: fmt.Sprintf("could spend %.3g USD in a month (accounts × budget_median_usd × the lognormal tail of budget_sigma × spend_growth × list_price)", b), Want: fmt.Sprintf("below %g", maxMonthly)})
	}
	if b := c.OtherRevenue.maxMonthly(c.Start, c.End); !(b < maxMonthly) {
		return c.otherRevenueTooLarge(b)
	}
	for _, e := range []error{
		finite("makers.release_weight", c.Makers.ReleaseWeight, -1e3, 1e3),
		finite("makers.release_fade", c.Makers.ReleaseFade, 0, 100),
		finite("clouds.misfit", c.Clouds.Misfit, -1e3, 1e3),
		finite("clouds.pull", c.Clouds.Pull, 0, 1),
		finite("preview_penalty", c.PreviewPenalty, -1e6, 1e6),
		finite("spend_growth", c.SpendGrowth, -0.9, 10),
		finite("spend_growth_long_run", c.SpendGrowthLongRun, -0.9, 10),
		finite("spend_growth_half_life_months", c.SpendGrowthHalfLife, 0.1, 1e4),
	} {
		if e != nil {
			return e
		}
	}
	return nil
}

// otherRevenueTooLarge is the error for other revenue that could reach b
// USD in a month by the end: at end, with the latest end that keeps it in
// bounds, where one at or after the start does (the bound grows with the
// end), else at other_revenue.
func (c *Config) otherRevenueTooLarge(b float64) error {
	fix := "lower other_revenue.long_run_growth or its sd"
	end := c.latestEnd(c.End)
	if end < c.Start {
		return fmt.Errorf("market: %w", &agents.ValueError{Key: "other_revenue", Value: b, Got: fmt.Sprintf("could reach %.3g USD in a month by %s (long_run_growth and its sd)", b, c.End), Want: fmt.Sprintf("below %g: %s", maxMonthly, fix)})
	}
	return fmt.Errorf("market: %w", &agents.ValueError{Key: "end", Value: c.End, Got: fmt.Sprintf("%s lets other_revenue reach %.3g USD in a month (long_run_growth and its sd)", c.End, b), Want: fmt.Sprintf("below %g: end at most %s, or %s", maxMonthly, end, fix)})
}

// endFix says the latest end that works for a span over 1200 months.
func (c *Config) endFix() string {
	end := c.latestEnd(c.Start + 1199)
	if end < c.Start+1199 {
		return fmt.Sprintf("end at most %s (later, other_revenue could pass %g USD a month)", end, maxMonthly)
	}
	return fmt.Sprintf("end at most %s", end)
}

// latestEnd returns the latest end at most limit for which other revenue
// stays within maxMonthly (its bound only grows with the end), or the
// month before the start if none does.
func (c *Config) latestEnd(limit Month) Month {
	ok := func(end Month) bool { return c.OtherRevenue.maxMonthly(c.Start, end) < maxMonthly }
	if ok(limit) {
		return limit
	}
	if !ok(c.Start) {
		return c.Start - 1
	}
	lo, hi := c.Start, limit // ok(lo), !ok(hi)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if ok(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
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
	growth := 1.0
	for t := c.Start; t <= c.End; t++ {
		growth = math.Max(growth, c.UsageGrowth(t))
	}
	return c.Buyers.Accounts * c.Buyers.BudgetMedian * detmath.Exp(8.3*c.Buyers.BudgetSigma) * growth * maxPrice
}

// UsageGrowth is the factor by which every adopted buyer's spend at list
// prices has grown by month t (docs/model.md §7.6): with r₀ = ln(1+g₀) and
// r∞ = ln(1+g∞) the initial and long-run annual log growth, y the years
// since SpendGrowthFrom and h the half-life in years,
// ln G = r∞·y + (r₀ − r∞)·(h/ln 2)·(1 − 2^(−y/h)); 1 before SpendGrowthFrom.
func (c *Config) UsageGrowth(t Month) float64 {
	if t <= c.SpendGrowthFrom {
		return 1
	}
	y := t.YearsSince(c.SpendGrowthFrom)
	h := c.SpendGrowthHalfLife / 12
	r0, rl := detmath.Log(1+c.SpendGrowth), detmath.Log(1+c.SpendGrowthLongRun)
	return detmath.Exp(rl*y + (r0-rl)*h/math.Ln2*(1-detmath.Exp(-math.Ln2*y/h)))
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
	// Multi-homing (assumption): three workloads, the budget split 4:2:1
	// (a 2025 survey: most large companies use three or more model
	// families; docs/model.md §7.4).
	b.Workloads = 3
	b.WorkloadDecay = 0.5

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
	defaultRivals(&c)
	c.PreviewPenalty = 1.0
	// Usage growth (assumptions, the initial rate calibrated): list prices
	// per token fell about tenfold a year over 2023–2024
	// (docs/data/openai_list_prices.csv) while spend per customer rose, so
	// usage grew faster still; the growth of spend decays to 10% a year.
	c.SpendGrowth = 0.60
	c.SpendGrowthFrom = agents.MonthOf(2023, 7)
	c.SpendGrowthLongRun = 0.10
	c.SpendGrowthHalfLife = 24
	c.OtherRevenue = DefaultOtherRevenue()
	return c
}

// defaultRivals sets the rival makers' channels, their opening months
// (docs/data/rival_channels.csv), the makers' constants and frontier
// releases (docs/data/frontier_releases.csv) and cloud fit and pull.
func defaultRivals(c *Config) {
	direct := func(security, support float64) agents.SellerConfig {
		return agents.SellerConfig{Targeting: agents.TargetLargestFirst, Security: security, Support: support, ListPrice: 1, Margin: 0.40}
	}
	// A cloud reselling a rival's models: its security and bundle like
	// OpenAI's models on it; fee 25% like the marketplace fee (assumption).
	onCloud := func(fee float64) agents.SellerConfig {
		return agents.SellerConfig{Targeting: agents.TargetOwnCloudFirst, Security: 1.0, Support: 0.5,
			ListPrice: 1, BundleDiscount: 0.10, Margin: 0.40, Fee: fee}
	}
	s := &c.Sellers
	s[agents.ChannelAnthropic] = direct(0.4, 0.8)
	s[agents.ChannelAnthropicAWS] = onCloud(0.25)
	s[agents.ChannelAnthropicGCP] = onCloud(0.25)
	s[agents.ChannelAnthropicAzure] = onCloud(0.25)
	s[agents.ChannelGoogle] = direct(0.4, 0.5)
	s[agents.ChannelGoogleGCP] = onCloud(0) // Google's own models on its cloud: all Google's
	// Open-weight models in-house: data stays home, support is the buyer's.
	s[agents.ChannelOpen] = direct(0.8, 0.2)
	// Open-weight models a cloud hosts: the cloud serves them (fee 1).
	s[agents.ChannelOpenAzure] = onCloud(1)
	s[agents.ChannelOpenAWS] = onCloud(1)
	s[agents.ChannelOpenGCP] = onCloud(1)
	o := &c.Opens
	o[agents.ChannelAnthropic] = agents.MonthOf(2023, 3)
	o[agents.ChannelAnthropicAWS] = agents.MonthOf(2023, 9)
	o[agents.ChannelAnthropicGCP] = agents.MonthOf(2024, 3)
	o[agents.ChannelAnthropicAzure] = agents.MonthOf(2025, 11)
	o[agents.ChannelGoogle] = agents.MonthOf(2023, 12)
	o[agents.ChannelGoogleGCP] = agents.MonthOf(2023, 12)
	o[agents.ChannelOpen] = 0 // in-house builds: always an option
	for _, ch := range []agents.Channel{agents.ChannelOpenAzure, agents.ChannelOpenAWS, agents.ChannelOpenGCP} {
		o[ch] = agents.MonthOf(2023, 7) // Llama 2 on every cloud
	}
	// Makers' constants relative to OpenAI (calibrated to the 2023 and
	// 2024 shares of spend by maker); release weight and fade: assumptions,
	// the weight calibrated.
	c.Makers.Constant = [agents.NumMakers]float64{0, -0.5, -1.0, 0.5}
	c.Makers.ReleaseWeight = 0.5
	c.Makers.ReleaseFade = 0.3
	c.Makers.Releases = DefaultReleases()
	// Cloud fit (assumption, calibrated): buying through a cloud a buyer
	// does not use costs it; cloud pull (assumption): 5% of renewals of a
	// main workload bought through another cloud move the buyer there.
	c.Clouds = Clouds{Misfit: 1.0, Pull: 0.05}
}

// frontierReleases are docs/data/frontier_releases.csv's months by maker.
var frontierReleases = [agents.NumMakers][]string{
	{"2023-03", "2023-03", "2023-11", "2024-05", "2024-09", "2024-12", "2025-04", "2025-08", "2025-11"},
	{"2023-03", "2023-07", "2023-11", "2024-03", "2024-06", "2024-10", "2025-02", "2025-05", "2025-09", "2025-11"},
	{"2023-05", "2023-12", "2024-02", "2024-12", "2025-03", "2025-11"},
	{"2023-07", "2024-04", "2024-07", "2025-01"},
}

// DefaultReleases returns the makers' frontier releases by month
// (docs/data/frontier_releases.csv).
func DefaultReleases() (r [agents.NumMakers][MaxReleases]Month) {
	for m, list := range frontierReleases {
		for i, s := range list {
			t, err := agents.ParseMonth(s)
			if err != nil {
				panic("market: bad built-in release month " + s) // a constant table: caught by every test
			}
			r[m][i] = t
		}
	}
	return r
}

// valueErr returns an *agents.ValueError wrapped with this package's prefix.
func valueErr(key string, v any, want string) error {
	return fmt.Errorf("market: %w", &agents.ValueError{Key: key, Value: v, Want: want})
}
