package market

import (
	"fmt"
	"math"
	"sort"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/market/suggest"
)

// ParamKind is the type of value a parameter takes.
type ParamKind uint8

// The kinds of parameter values.
const (
	KindFloat ParamKind = iota
	KindInt
	KindBool
	KindMonth
	KindTargeting
)

func (k ParamKind) String() string {
	return [...]string{"a number", "an integer", "true or false", `a month "YYYY-MM"`, "a targeting policy (largest_first, own_cloud_first, random)"}[k]
}

// Param is one settable parameter of a Config, addressed by a dotted path
// such as "sellers.azure.bundle_discount". Experiments set the market,
// scenario overrides, sweeps and calibration through these paths, so each
// parameter has one name everywhere.
type Param struct {
	Path string
	Kind ParamKind
	// Doc says what the parameter is, with its unit.
	Doc string
	f   func(*Config) *float64
	i   func(*Config) *int
	b   func(*Config) *bool
	m   func(*Config) *Month
	t   func(*Config) *agents.Targeting
}

var params = buildParams()

func buildParams() map[string]*Param {
	ps := map[string]*Param{}
	add := func(p *Param) { ps[p.Path] = p }
	fl := func(path, doc string, f func(*Config) *float64) {
		add(&Param{Path: path, Kind: KindFloat, Doc: doc, f: f})
	}
	in := func(path, doc string, f func(*Config) *int) { add(&Param{Path: path, Kind: KindInt, Doc: doc, i: f}) }
	bo := func(path, doc string, f func(*Config) *bool) { add(&Param{Path: path, Kind: KindBool, Doc: doc, b: f}) }
	mo := func(path, doc string, f func(*Config) *Month) {
		add(&Param{Path: path, Kind: KindMonth, Doc: doc, m: f})
	}

	in("buyers.agents", "buyer agents per run", func(c *Config) *int { return &c.Buyers.Agents })
	fl("buyers.accounts", "real accounts the agents stand for", func(c *Config) *float64 { return &c.Buyers.Accounts })
	fl("buyers.budget_median_usd", "median monthly spend of an account at full ramp, USD at list prices", func(c *Config) *float64 { return &c.Buyers.BudgetMedian })
	fl("buyers.budget_sigma", "lognormal sigma of budgets", func(c *Config) *float64 { return &c.Buyers.BudgetSigma })
	in("buyers.ramp_months", "months from adoption to full spend", func(c *Config) *int { return &c.Buyers.RampMonths })
	in("buyers.renewal_months", "contract length: months between reconsiderations", func(c *Config) *int { return &c.Buyers.RenewalMonths })
	bo("buyers.diffusion.all_at_start", "every buyer adopts in the first month", func(c *Config) *bool { return &c.Buyers.Diffusion.AllAtStart })
	mo("buyers.diffusion.start", "month adoption starts (the ChatGPT shock)", func(c *Config) *Month { return &c.Buyers.Diffusion.Start })
	fl("buyers.diffusion.p", "Bass innovation rate per month", func(c *Config) *float64 { return &c.Buyers.Diffusion.P })
	fl("buyers.diffusion.q", "Bass imitation rate per month", func(c *Config) *float64 { return &c.Buyers.Diffusion.Q })
	fl("buyers.diffusion.potential", "share of accounts that ever adopt", func(c *Config) *float64 { return &c.Buyers.Diffusion.Potential })
	for s := 0; s < agents.NumSegments; s++ {
		s := s
		seg := agents.SegmentNames[s]
		fl("buyers.segments."+seg+".share", "share of agents in the segment", func(c *Config) *float64 { return &c.Buyers.Segments[s].Share })
		for k := 0; k < agents.NumPreferences; k++ {
			k := k
			pref := agents.PreferenceNames[k]
			fl("buyers.segments."+seg+"."+pref+".mean", "mean "+pref+" weight (utility per unit)", func(c *Config) *float64 { return &c.Buyers.Segments[s].Weights[k].Mean })
			fl("buyers.segments."+seg+"."+pref+".cv", "coefficient of variation of the "+pref+" weight (0: all equal)", func(c *Config) *float64 { return &c.Buyers.Segments[s].Weights[k].CV })
		}
	}
	for cl := 0; cl < agents.NumClouds; cl++ {
		cl := cl
		fl("buyers.cloud_shares."+agents.CloudNames[cl], "share of buyers whose incumbent cloud this is", func(c *Config) *float64 { return &c.Buyers.CloudShares[cl] })
	}
	for ch := 0; ch < agents.NumChannels; ch++ {
		ch := ch
		p := "sellers." + agents.ChannelNames[ch] + "."
		sc := func(c *Config) *agents.SellerConfig { return &c.Sellers[ch] }
		mo(p+"reach.from", "month the sales team starts", func(c *Config) *Month { return &sc(c).Reach.From })
		fl(p+"reach.initial", "reach at the start, accounts per month, spent as pitches to workloads (docs/model.md §7.5)", func(c *Config) *float64 { return &sc(c).Reach.Initial })
		fl(p+"reach.full", "reach at full strength, accounts per month, spent as pitches to workloads (docs/model.md §7.5)", func(c *Config) *float64 { return &sc(c).Reach.Full })
		in(p+"reach.ramp_months", "months from initial to full reach", func(c *Config) *int { return &sc(c).Reach.RampMonths })
		add(&Param{Path: p + "targeting", Kind: KindTargeting, Doc: "order in which the team pitches workloads",
			t: func(c *Config) *agents.Targeting { return &sc(c).Targeting }})
		fl(p+"security", "security and compliance as buyers see it, 0-1", func(c *Config) *float64 { return &sc(c).Security })
		fl(p+"support", "technical support, 0-1", func(c *Config) *float64 { return &sc(c).Support })
		fl(p+"constant", "channel-specific utility constant", func(c *Config) *float64 { return &sc(c).Constant })
		fl(p+"pitch_bonus", "utility a pitch adds in the decision it triggers", func(c *Config) *float64 { return &sc(c).PitchBonus })
		fl(p+"list_price", "price index relative to OpenAI's list price", func(c *Config) *float64 { return &sc(c).ListPrice })
		fl(p+"bundle_discount", "discount for buyers of the channel's own cloud, 0-0.99", func(c *Config) *float64 { return &sc(c).BundleDiscount })
		fl(p+"margin", "gross margin at list price, 0-1", func(c *Config) *float64 { return &sc(c).Margin })
		fl(p+"fee", "share of revenue the cloud keeps reselling a rival's models (1: the cloud serves them; OpenAI's channels use the regime's fee)", func(c *Config) *float64 { return &sc(c).Fee })
		bo(p+"adaptive.enabled", "cut price when losing share", func(c *Config) *bool { return &sc(c).Adaptive.Enabled })
		mo(p+"adaptive.from", "first month the seller may cut", func(c *Config) *Month { return &sc(c).Adaptive.From })
		in(p+"adaptive.lookback_months", "months over which share is compared", func(c *Config) *int { return &sc(c).Adaptive.LookbackMonths })
		fl(p+"adaptive.trigger", "relative fall in share that triggers a cut", func(c *Config) *float64 { return &sc(c).Adaptive.Trigger })
		fl(p+"adaptive.step", "relative size of each price cut", func(c *Config) *float64 { return &sc(c).Adaptive.Step })
		fl(p+"adaptive.margin_floor", "gross margin below which the seller will not cut", func(c *Config) *float64 { return &sc(c).Adaptive.MarginFloor })
	}
	for m := 0; m < agents.NumMakers; m++ {
		m := m
		fl("makers."+agents.MakerNames[m]+".constant", "utility constant of every channel selling the maker's models", func(c *Config) *float64 { return &c.Makers.Constant[m] })
	}
	fl("makers.release_weight", "utility a new frontier release adds to its maker's standing", func(c *Config) *float64 { return &c.Makers.ReleaseWeight })
	fl("makers.release_fade", "a release's standing falls by e^-fade with each later frontier release by another maker", func(c *Config) *float64 { return &c.Makers.ReleaseFade })
	for ch := agents.NumOpenAIChannels; ch < agents.NumChannels; ch++ {
		ch := ch
		mo("channels."+agents.ChannelNames[ch]+".opens", "month the rival channel opens unless a regime says otherwise", func(c *Config) *Month { return &c.Opens[ch] })
	}
	fl("clouds.misfit", "utility lost buying through a cloud that is not the buyer's incumbent", func(c *Config) *float64 { return &c.Clouds.Misfit })
	fl("clouds.pull", "probability a renewal of a main workload bought through another cloud moves the buyer's incumbent cloud there", func(c *Config) *float64 { return &c.Clouds.Pull })
	in("buyers.workloads", "workloads per buyer, each choosing its channel (multi-homing)", func(c *Config) *int { return &c.Buyers.Workloads })
	fl("buyers.workload_decay", "workload w gets decay^w of the budget, normalised (1: equal parts)", func(c *Config) *float64 { return &c.Buyers.WorkloadDecay })
	fl("spend_growth_long_run", "annual growth of spend per account in the long run", func(c *Config) *float64 { return &c.SpendGrowthLongRun })
	fl("spend_growth_half_life_months", "half-life of the decay of spend growth to its long-run rate", func(c *Config) *float64 { return &c.SpendGrowthHalfLife })
	fl("preview_penalty", "utility lost by a channel in limited preview", func(c *Config) *float64 { return &c.PreviewPenalty })
	fl("spend_growth", "initial annual growth of adopted buyers' spend at list prices", func(c *Config) *float64 { return &c.SpendGrowth })
	mo("spend_growth_from", "month spend growth starts", func(c *Config) *Month { return &c.SpendGrowthFrom })
	o := func(c *Config) *OtherRevenue { return &c.OtherRevenue }
	fl("other_revenue.non_api_share", "part of OpenAI's all-products revenue outside the API market", func(c *Config) *float64 { return &o(c).NonAPIShare })
	mo("other_revenue.from", "first month of OpenAI's other revenue", func(c *Config) *Month { return &o(c).From })
	fl("other_revenue.long_run_growth", "mean long-run annual log growth", func(c *Config) *float64 { return &o(c).LongRunGrowth })
	fl("other_revenue.long_run_growth_sd", "spread of long-run growth across runs", func(c *Config) *float64 { return &o(c).LongRunGrowthSD })
	fl("other_revenue.half_life_months", "half-life of the decay to long-run growth", func(c *Config) *float64 { return &o(c).HalfLifeMonths })
	fl("other_revenue.noise_sd", "sd of monthly log noise", func(c *Config) *float64 { return &o(c).NoiseSD })
	fl("other_revenue.margin", "gross margin of OpenAI's other revenue", func(c *Config) *float64 { return &o(c).Margin })
	return ps
}

// Params lists every settable parameter, sorted by path.
func Params() []*Param {
	out := make([]*Param, 0, len(params))
	for _, p := range params {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// UnknownParamError is a parameter path that names no parameter, with
// the closest known path when one is close.
type UnknownParamError struct {
	Path string
	// Closest is the nearest known path, or "" when none is close.
	Closest string
}

func (e *UnknownParamError) Error() string {
	return fmt.Sprintf("market: unknown parameter %q%s", e.Path, e.Hint())
}

// Hint is the message's advice: the closest path, or where to find them.
func (e *UnknownParamError) Hint() string {
	if e.Closest != "" {
		return fmt.Sprintf(" (did you mean %q?)", e.Closest)
	}
	return " (coopsim params lists them)"
}

// LookupParam returns the parameter at path, or an *UnknownParamError.
func LookupParam(path string) (*Param, error) {
	if p, ok := params[path]; ok {
		return p, nil
	}
	e := &UnknownParamError{Path: path}
	if best, d, ok := suggest.Closest(path, paramPaths); ok && d <= max(3, len(path)/4) {
		e.Closest = best
	}
	return nil, e
}

// paramPaths lists every parameter path, for suggestions.
var paramPaths = func() []string {
	out := make([]string, 0, len(params))
	for p := range params {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}()

// Get returns the parameter's value in c as float64 (numbers, ints,
// months as month counts, bools as 0 or 1).
func (p *Param) Get(c *Config) float64 {
	switch p.Kind {
	case KindFloat:
		return *p.f(c)
	case KindInt:
		return float64(*p.i(c))
	case KindBool:
		if *p.b(c) {
			return 1
		}
		return 0
	case KindMonth:
		return float64(*p.m(c))
	default:
		return float64(*p.t(c))
	}
}

// Set sets the parameter in c from a value as TOML decodes it (float64,
// int64, bool or string). Its error is an *agents.ValueError naming the
// path and what the parameter takes.
func (p *Param) Set(c *Config, v any) error {
	bad := func(want string) error {
		return fmt.Errorf("market: %w", &agents.ValueError{Key: p.Path, Value: v, Want: want})
	}
	switch p.Kind {
	case KindFloat:
		x, ok := toFloat(v)
		if !ok {
			return bad(p.Kind.String())
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("a finite number")
		}
		*p.f(c) = x
	case KindInt:
		x, ok := ToInt(v)
		if !ok {
			return bad("a whole number from -2147483648 to 2147483647")
		}
		*p.i(c) = x
	case KindBool:
		x, ok := v.(bool)
		if !ok {
			return bad(p.Kind.String())
		}
		*p.b(c) = x
	case KindMonth:
		x, ok := v.(string)
		if !ok {
			return bad(p.Kind.String())
		}
		m, err := agents.ParseMonth(x)
		if err != nil {
			return bad(p.Kind.String())
		}
		*p.m(c) = m
	case KindTargeting:
		x, ok := v.(string)
		if !ok {
			return bad(p.Kind.String())
		}
		t, err := agents.ParseTargeting(x)
		if err != nil {
			return bad(p.Kind.String())
		}
		*p.t(c) = t
	}
	return nil
}

// toFloat reads a number as TOML decodes it.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}

// ToInt reads a whole number in int32's range (a float64 with no fraction
// counts): the values an integer parameter (KindInt) takes, wherever they
// come from (an experiment file, a posterior's column).
func ToInt(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return int(x), true
		}
	case int:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return x, true
		}
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= math.MaxInt32 {
			return int(x), true
		}
	}
	return 0, false
}

// SetParam sets the parameter at path in c.
func SetParam(c *Config, path string, v any) error {
	p, err := LookupParam(path)
	if err != nil {
		return err
	}
	return p.Set(c, v)
}
