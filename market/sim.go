package market

import (
	"errors"
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

const (
	nAlt = agents.NumAlternatives
	// Spend is kept in two slots per alternative, slot 2a+1 for buyers whose
	// incumbent cloud is the channel's (they get its bundle discount) and 2a
	// for the others, at list prices, so that both the discounted spend and
	// the cost of serving it at list (gross profit) follow.
	nSlot    = 2 * nAlt
	nChan    = agents.NumChannels
	noChoice = int8(-1)
)

// Sim simulates one market at a time. It keeps its buffers, and caches
// keyed by what they depend on, from run to run: the buyer population,
// schedule and targeting orders of a run key (populationCache), OpenAI's
// other revenue (otherCache), the buyer dynamics of up to 16 regime views
// buyers see differently in one run key (dynamicsCache), and each buyer's
// logit weights (logitCache). Runs allocate nothing once the buffers have
// grown to the market's size (the first run of a market, and the first run
// of each of those regime views). A Sim is not safe for concurrent use:
// give each goroutine its own.
type Sim struct {
	popc   populationCache
	otherc otherCache
	dync   dynamicsCache
	logit  logitCache

	// Per-run state.
	other      []float64 // otherc's series
	cur        []int8
	renewEnd   []int32   // per renewal bucket, the end of the renewals due so far
	dA, dB     []float64 // difference arrays of spend ramps, [month][alternative]
	shareHist  [][nChan]float64
	growth     []float64
	count      [nAlt]int32
	segCount   [agents.NumSegments][nAlt]int32
	cloudCount [agents.NumClouds][nAlt]int32
	env        monthEnv
	rs         runState
	decisions  int
}

// monthEnv is what a decision needs to know about the month.
type monthEnv struct {
	k        int
	t        Month
	avail    agents.Available
	constant [nChan]float64
	security [nChan]float64
	support  [nChan]float64
	lag      [nChan]float64
	price    [nChan]float64
	bundle   [nChan]float64
	bonus    [nChan]float64
	outside  float64
	outsideW float64 // e^outside
	bonusW   [nChan]float64
	fast     bool // cached weights are safe this month
	st       agents.Stream
	ramp     int32
	months   int32
}

// ErrSpan reports a compiled regime that does not cover the run's months.
var ErrSpan = errors.New("market: regime compiled for other months than the market's")

// Run simulates cfg under the compiled regime reg for run key, filling out.
// cfg must be valid (Config.Validate) and reg compiled for cfg.Start to
// cfg.End. With breakdown, out also gets customers by segment and cloud.
func (s *Sim) Run(cfg *Config, reg *Compiled, key agents.Key, out *Series, breakdown bool) error {
	T := cfg.Months()
	if reg.Start != cfg.Start || reg.Months() != T {
		return fmt.Errorf("%w: regime %q covers %s+%d months, market %s+%d", ErrSpan, reg.Name, reg.Start, reg.Months(), cfg.Start, T)
	}
	s.prepare(cfg, key, T)
	dk := dynamicsKeyOf(cfg, key, breakdown)
	d := s.dync.lookup(dk, reg)
	if d == nil {
		d = s.dync.store(dk, reg, T)
		s.simulateBuyers(cfg, reg, d)
	}
	out.Reset(cfg.Start, T, breakdown)
	out.Regime = reg.Name
	out.Decisions = d.decisions
	s.account(cfg, reg, d, out)
	return nil
}

// account books every month of dynamics d under the regime's terms into
// out: gross revenue at the month's prices and spend growth, gross profit,
// transfers and the cap.
func (s *Sim) account(cfg *Config, reg *Compiled, d *dynamics, out *Series) {
	T := cfg.Months()
	weight := s.popc.pop.Weight
	n := float64(s.popc.pop.Len())
	var list, margin, bundle [nChan]float64
	for c := range list {
		list[c], margin[c], bundle[c] = cfg.Sellers[c].ListPrice, cfg.Sellers[c].Margin, cfg.Sellers[c].BundleDiscount
	}
	// Cumulative payments count from the start of the cap window in force
	// (from the first cap's before it), or from the first month in a regime
	// without a cap.
	capFrom := Month(math.MaxInt32)
	for k := range reg.Terms {
		if reg.Terms[k].HasCap {
			capFrom = reg.Terms[k].CapStart
			break
		}
	}
	var led Ledger
	cum := 0.0
	hadCap := false
	for k := 0; k < T; k++ {
		t := cfg.Start + Month(k)
		terms := &reg.Terms[k]
		price := d.price[k]
		var gross, profit [nAlt]float64
		g := s.growth[k] * weight
		spend := 0.0
		for a := 0; a < nAlt; a++ {
			p, m, l, b := 1.0, cfg.Outside.Margin, 1.0, 0.0
			if a < nChan {
				p, m, l, b = price[a], margin[a], list[a], bundle[a]
			}
			others, own := d.usage[k][2*a], d.usage[k][2*a+1]
			gross[a] = g * p * (others + own*(1-b))
			// The cost of serving is (1−margin) of the list price of all the
			// usage: price cuts and bundle discounts come out of the margin.
			profit[a] = gross[a] - g*(1-m)*l*(others+own)
			spend += gross[a]
			out.Customers[k][a] = float64(d.count[k][a]) * weight
		}
		other := s.other[k]
		acct := Settle(t, terms, &gross, &profit, other, other*cfg.OtherRevenue.Margin, &led)
		if terms.HasCap && (terms.CapStart != capFrom || !hadCap) && t >= terms.CapStart {
			capFrom, cum = terms.CapStart, 0 // a new window
		}
		hadCap = terms.HasCap
		if t >= capFrom || capFrom == Month(math.MaxInt32) {
			cum += acct.ToMicrosoft
		}
		out.Gross[k] = gross
		out.FirmGross[k] = acct.FirmGross
		out.FirmNet[k] = acct.FirmNet
		out.FirmProfit[k] = acct.FirmProfit
		out.Other[k] = other
		out.Spend[k] = spend
		out.ToMicrosoft[k] = acct.ToMicrosoft
		out.ToOpenAI[k] = acct.ToOpenAI
		out.CumToMicrosoft[k] = cum
		out.CapBound[k] = led.CapBound
		out.Price[k] = price
		out.Adopted[k] = float64(d.adopted[k]) / n
		if len(out.BySegment) > 0 {
			for sg := range d.bySegment[k] {
				for a := range d.bySegment[k][sg] {
					out.BySegment[k][sg][a] = float64(d.bySegment[k][sg][a]) * weight
				}
			}
			for cl := range d.byCloud[k] {
				for a := range d.byCloud[k][cl] {
					out.ByCloud[k][cl][a] = float64(d.byCloud[k][cl][a]) * weight
				}
			}
		}
	}
}

// prepare makes the population, schedule, orders and other revenue of run
// key ready (from the caches where they are current) and sizes the per-run
// buffers.
func (s *Sim) prepare(cfg *Config, key agents.Key, T int) {
	if s.popc.prepare(cfg, key) {
		s.logit.reset(&s.popc.pop, s.popc.slotOf)
	}
	s.other = s.otherc.get(cfg, key)
	n := s.popc.pop.Len()
	s.cur = resize(s.cur, n)
	s.renewEnd = resize(s.renewEnd, cfg.Buyers.RenewalMonths)
	s.dA = resize(s.dA, (T+1)*nSlot)
	s.dB = resize(s.dB, (T+1)*nSlot)
	s.shareHist = resize(s.shareHist, T)
	s.growth = resize(s.growth, T)
	for k := range s.growth {
		t := cfg.Start + Month(k)
		s.growth[k] = 1
		if t > cfg.SpendGrowthFrom {
			s.growth[k] = detmath.Pow(1+cfg.SpendGrowth, t.YearsSince(cfg.SpendGrowthFrom))
		}
	}
}
