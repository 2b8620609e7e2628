package agents

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/coopsim/coopsim/agents/detmath"
)

// Preference indexes the preference weights of a buyer.
type Preference uint8

// The preference weights: how much a buyer values a channel's security and
// compliance, a lower net price, early access to new models (a shorter
// release lag), fit with its incumbent cloud, technical support, and staying
// with its current channel (inertia, the switching cost).
const (
	PrefSecurity Preference = iota
	PrefPrice
	PrefEarlyAccess
	PrefFit
	PrefSupport
	PrefStay
	NumPreferences = 6
)

// PreferenceNames are the weights' names in TOML.
var PreferenceNames = [NumPreferences]string{"security", "price", "early_access", "fit", "support", "stay"}

// Spread is a distribution of a positive-or-zero weight across buyers of a
// segment: lognormal with the given Mean and coefficient of variation CV,
// so CV = 0 gives every buyer exactly Mean.
type Spread struct {
	Mean float64 `toml:"mean"`
	CV   float64 `toml:"cv"`
}

// SegmentConfig describes one segment of buyers.
type SegmentConfig struct {
	// Share is the fraction of buyer agents in the segment.
	Share float64 `toml:"share"`
	// Weights are the segment's preference-weight distributions, indexed by
	// Preference.
	Weights [NumPreferences]Spread `toml:"-"`
}

// Diffusion is how buyers adopt generative AI over time.
type Diffusion struct {
	// AllAtStart makes every buyer adopt in the first simulated month.
	AllAtStart bool `toml:"all_at_start"`
	// Start is the month adoption begins (default: the ChatGPT shock, 2022-11).
	Start Month `toml:"start"`
	// P and Q are the Bass model's innovation and imitation rates per month.
	P float64 `toml:"p"`
	Q float64 `toml:"q"`
	// Potential is the fraction of buyers that ever adopt.
	Potential float64 `toml:"potential"`
}

// AdoptedShare returns the Bass cumulative adoption share at t months after
// the start (Bass 1969): Potential·(1−e^{−(p+q)t})/(1+(q/p)e^{−(p+q)t}).
func (d Diffusion) AdoptedShare(t float64) float64 {
	if d.AllAtStart {
		return 1
	}
	if t <= 0 {
		return 0
	}
	e := detmath.Exp(-(d.P + d.Q) * t)
	return d.Potential * (1 - e) / (1 + d.Q/d.P*e)
}

// adoptionDelay inverts the Bass distribution: the time in months at which
// a buyer with uniform draw u in (0,1) adopts, or +Inf if it never does.
func (d Diffusion) adoptionDelay(u float64) float64 {
	if u >= d.Potential {
		return math.Inf(1)
	}
	f := u / d.Potential
	return -detmath.Log((1-f)/(1+d.Q/d.P*f)) / (d.P + d.Q)
}

// BuyerConfig describes the population of buyer agents. It is comparable
// with ==, which the market uses to reuse a population across scenarios
// that share it.
type BuyerConfig struct {
	// Agents is the number of buyer agents in a run.
	Agents int `toml:"agents"`
	// Accounts is the number of real enterprise accounts the agents stand
	// for; each agent's weight is Accounts/Agents (docs/model.md: one agent
	// may stand for several accounts).
	Accounts float64 `toml:"accounts"`
	// BudgetMedian is the median monthly spend on AI models of one real
	// account at full ramp, in US dollars at OpenAI's list prices.
	BudgetMedian float64 `toml:"budget_median_usd"`
	// BudgetSigma is the lognormal sigma of budgets (heavy tail).
	BudgetSigma float64 `toml:"budget_sigma"`
	// Segments are the segments, indexed by Segment.
	Segments [NumSegments]SegmentConfig `toml:"-"`
	// CloudShares are the shares of incumbent clouds, indexed by Cloud.
	CloudShares [NumClouds]float64 `toml:"-"`
	// Diffusion is the adoption process.
	Diffusion Diffusion `toml:"diffusion"`
	// RampMonths is how many months a buyer's spend takes to reach its
	// budget after adoption (linear ramp).
	RampMonths int `toml:"ramp_months"`
	// RenewalMonths is the contract length: a buyer reconsiders its channel
	// every RenewalMonths months, at a phase drawn per buyer.
	RenewalMonths int `toml:"renewal_months"`
	// Workloads is how many workloads each buyer holds; each chooses its
	// channel separately, so a buyer's spend splits over makers
	// (multi-homing, docs/model.md §7.4). WorkloadDecay sets how the budget
	// splits: workload w gets WorkloadDecay^w of the budget, normalised (1:
	// equal parts).
	Workloads     int     `toml:"workloads"`
	WorkloadDecay float64 `toml:"workload_decay"`
}

// WorkloadShares writes the budget share of each of the buyer's workloads
// into dst (len Workloads): decay^w / Σ_j decay^j.
func (c *BuyerConfig) WorkloadShares(dst []float64) {
	sum, x := 0.0, 1.0
	for w := range dst {
		dst[w] = x
		sum += x
		x *= c.WorkloadDecay
	}
	for w := range dst {
		dst[w] /= sum
	}
}

// MaxWorkloads bounds BuyerConfig.Workloads.
const MaxWorkloads = 8

// MaxSlots bounds buyers.agents and agents × workloads, the workloads a
// market simulates (market.Sim.buyerSlot's arithmetic is exact below it).
const MaxSlots = 50_000_000

// Validate reports the first impossible value, naming its key.
func (c *BuyerConfig) Validate() error {
	switch {
	case c.Agents < 1 || c.Agents > MaxSlots:
		return valueErr("buyers.agents", c.Agents, fmt.Sprintf("1 to %d", MaxSlots))
	case !(c.Accounts > 0) || math.IsInf(c.Accounts, 0):
		return valueErr("buyers.accounts", c.Accounts, "a positive number")
	case !(c.BudgetMedian >= 0) || math.IsInf(c.BudgetMedian, 0):
		return valueErr("buyers.budget_median_usd", c.BudgetMedian, "0 or more")
	case !(c.BudgetSigma >= 0 && c.BudgetSigma <= 5):
		return valueErr("buyers.budget_sigma", c.BudgetSigma, "0 to 5")
	case c.RampMonths < 1 || c.RampMonths > 240:
		return valueErr("buyers.ramp_months", c.RampMonths, "1 to 240")
	case c.RenewalMonths < 1 || c.RenewalMonths > 120:
		return valueErr("buyers.renewal_months", c.RenewalMonths, "1 to 120")
	case c.Workloads < 1 || c.Workloads > MaxWorkloads:
		return valueErr("buyers.workloads", c.Workloads, fmt.Sprintf("1 to %d", MaxWorkloads))
	case !(c.WorkloadDecay > 0 && c.WorkloadDecay <= 1):
		return valueErr("buyers.workload_decay", c.WorkloadDecay, "a factor in (0, 1]")
	case c.Agents*c.Workloads > MaxSlots:
		return valueErr("buyers.agents", c.Agents, fmt.Sprintf("1 to %d with buyers.workloads = %d (at most %d agents × workloads in all): lower buyers.agents or buyers.workloads", MaxSlots/c.Workloads, c.Workloads, MaxSlots))
	}
	d := c.Diffusion
	if !d.AllAtStart {
		switch {
		case !(d.P > 0 && d.P <= 1):
			return valueErr("buyers.diffusion.p", d.P, "a rate in (0, 1] per month")
		case !(d.Q >= 0 && d.Q <= 5):
			return valueErr("buyers.diffusion.q", d.Q, "0 to 5 per month")
		case !(d.Potential > 0 && d.Potential <= 1):
			return valueErr("buyers.diffusion.potential", d.Potential, "a share in (0, 1]")
		}
	}
	if err := checkShares("buyers.segments.<name>.share", c.Segments[0].Share, c.Segments[1].Share, c.Segments[2].Share); err != nil {
		return err
	}
	if err := checkShares("buyers.cloud_shares", c.CloudShares[:]...); err != nil {
		return err
	}
	for s := range c.Segments {
		for p, w := range c.Segments[s].Weights {
			key := fmt.Sprintf("buyers.segments.%s.%s", SegmentNames[s], PreferenceNames[p])
			if !(w.Mean >= 0 && w.Mean <= 1e6) {
				return valueErr(key+".mean", w.Mean, "0 to 1e6")
			}
			if !(w.CV >= 0 && w.CV <= 10) {
				return valueErr(key+".cv", w.CV, "0 to 10")
			}
		}
	}
	return nil
}

func checkShares(key string, shares ...float64) error {
	sum := 0.0
	for _, s := range shares {
		if !(s >= 0 && s <= 1) {
			return fmt.Errorf("agents: %w", &ValueError{Key: key, Got: "has " + FormatValue(s), Want: "shares between 0 and 1"})
		}
		sum += s
	}
	if math.Abs(sum-1) > 1e-6 {
		return fmt.Errorf("agents: %w", &ValueError{Key: key, Got: "sum to " + FormatValue(sum), Want: "1"})
	}
	return nil
}

// Never is the adoption month of a buyer that never adopts.
const Never = Month(math.MaxInt32)

// Population is one run's buyer agents as a structure of arrays, indexed by
// workload: buyer b's workloads are b·Workloads .. b·Workloads+Workloads−1,
// each with the buyer's attributes and its share of the budget. Generate
// fills it; its slices are reused from run to run.
type Population struct {
	Weight    float64 // real accounts per buyer agent, the same for every agent
	Workloads int     // workloads per buyer
	Budget    []float64
	Segment   []Segment
	Incumbent []Cloud
	// Pref holds the preference weights, Pref[p][i] for buyer i.
	Pref [NumPreferences][]float64
	// Adopt is the month the buyer adopts generative AI, or Never.
	Adopt []Month
	// Phase is the months from adoption to the first renewal, 1..RenewalMonths.
	Phase []int32

	src rand.PCG // reseeded per buyer; a field so that it need not escape
}

// Len returns the number of workloads (buyers × workloads).
func (p *Population) Len() int { return len(p.Budget) }

// Buyers returns the number of buyer agents.
func (p *Population) Buyers() int {
	if p.Workloads == 0 {
		return 0
	}
	return len(p.Budget) / p.Workloads
}

// Generate draws the population of run key from cfg, from month start on
// (the first month buyers can adopt when cfg.Diffusion.AllAtStart).
// Every buyer's attributes depend only on (key, buyer), never on other
// buyers. cfg must be valid.
func (p *Population) Generate(cfg *BuyerConfig, key Key, start Month) {
	n := cfg.Agents
	W := cfg.Workloads
	p.Weight = cfg.Accounts / float64(n)
	p.Workloads = W
	p.resizeAll(n * W)
	var shares [MaxWorkloads]float64
	cfg.WorkloadShares(shares[:W])
	tb := newDrawTables(cfg, start)
	st := key.Stream()
	rng := rand.New(&p.src)
	for bi := 0; bi < n; bi++ {
		i := bi * W // the buyer's first workload; the others copy it below
		p.drawBuyer(cfg, &tb, st, rng, bi, i)
		p.copyWorkloads(i, W, &shares)
	}
}

// resizeAll sizes the population's columns for n workloads.
func (p *Population) resizeAll(n int) {
	p.Budget = resize(p.Budget, n)
	p.Segment = resize(p.Segment, n)
	p.Incumbent = resize(p.Incumbent, n)
	p.Adopt = resize(p.Adopt, n)
	p.Phase = resize(p.Phase, n)
	for k := range p.Pref {
		p.Pref[k] = resize(p.Pref[k], n)
	}
}

// drawTables is what Generate works out once from the config: the
// segments' and clouds' cumulative shares, the preferences' lognormal
// spreads, the budget's log median and the first month of diffusion.
type drawTables struct {
	segCDF    [NumSegments]float64
	cloudCDF  [NumClouds]float64
	sigma     [NumSegments][NumPreferences]float64
	logMedian float64
	ds        Month
}

func newDrawTables(cfg *BuyerConfig, start Month) drawTables {
	var tb drawTables
	acc := 0.0
	for s := range tb.segCDF {
		acc += cfg.Segments[s].Share
		tb.segCDF[s] = acc
	}
	acc = 0
	for c := range tb.cloudCDF {
		acc += cfg.CloudShares[c]
		tb.cloudCDF[c] = acc
	}
	// Lognormal spreads: w = mean·exp(σz − σ²/2) has mean `mean` and
	// coefficient of variation CV when σ² = ln(1+CV²).
	for s := range tb.sigma {
		for k := range tb.sigma[s] {
			cv := cfg.Segments[s].Weights[k].CV
			tb.sigma[s][k] = math.Sqrt(math.Log1p(cv * cv))
		}
	}
	tb.logMedian = detmath.Log(cfg.BudgetMedian)
	tb.ds = cfg.Diffusion.Start
	if cfg.Diffusion.AllAtStart || tb.ds < start {
		tb.ds = start
	}
	return tb
}

// drawBuyer draws buyer bi's attributes into workload i (its first) from
// stream st, with rng (reading p.src) for its preferences.
func (p *Population) drawBuyer(cfg *BuyerConfig, tb *drawTables, st Stream, rng *rand.Rand, bi, i int) {
	b := uint32(bi)
	p.src.Seed(st.Seeds(PurposePreference, b))
	seg := Segment(pick(tb.segCDF[:], st.Float64(PurposeSegment, b, 0)))
	p.Segment[i] = seg
	p.Incumbent[i] = Cloud(pick(tb.cloudCDF[:], st.Float64(PurposeCloud, b, 0)))
	if cfg.BudgetMedian == 0 {
		p.Budget[i] = 0
	} else {
		p.Budget[i] = detmath.Exp(tb.logMedian + cfg.BudgetSigma*NormalQuantile(st.Float64(PurposeBudget, b, 0)))
	}
	for k := 0; k < NumPreferences; k++ {
		w := cfg.Segments[seg].Weights[k]
		// Drawn even when σ = 0, so streams stay aligned. NormFloat64's
		// ziggurat calls math.Exp (whose last bit depends on the CPU) only
		// in a rare rejection step, comparing float32 roundings: a draw
		// could differ between CPUs with probability below 1e-18.
		z := rng.NormFloat64()
		sg := tb.sigma[seg][k]
		p.Pref[k][i] = w.Mean * detmath.Exp(sg*z-sg*sg/2)
	}
	if cfg.Diffusion.AllAtStart {
		p.Adopt[i] = tb.ds
	} else if d := cfg.Diffusion.adoptionDelay(st.Float64(PurposeAdoption, b, 0)); d > 1e6 {
		p.Adopt[i] = Never
	} else {
		p.Adopt[i] = tb.ds + Month(d)
	}
	p.Phase[i] = 1 + int32(st.Uint64(PurposeRenewalPhase, b, 0)%uint64(cfg.RenewalMonths))
}

// copyWorkloads gives workloads i+1 .. i+W−1 the attributes of workload i
// (the buyer's) and each workload its share of the buyer's budget.
func (p *Population) copyWorkloads(i, W int, shares *[MaxWorkloads]float64) {
	budget := p.Budget[i]
	for w := 0; w < W; w++ {
		j := i + w
		p.Budget[j] = budget * shares[w]
		if w == 0 {
			continue
		}
		p.Segment[j], p.Incumbent[j], p.Adopt[j], p.Phase[j] = p.Segment[i], p.Incumbent[i], p.Adopt[i], p.Phase[i]
		for k := range p.Pref {
			p.Pref[k][j] = p.Pref[k][i]
		}
	}
}

// pick returns the index of the first cumulative share above u; shares of
// zero are never picked.
func pick(cdf []float64, u float64) int {
	u *= cdf[len(cdf)-1]
	for i, c := range cdf {
		if u < c {
			return i
		}
	}
	for i := len(cdf) - 1; i > 0; i-- { // u at the top: the last non-empty bin
		if cdf[i] > cdf[i-1] {
			return i
		}
	}
	return 0
}

func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
