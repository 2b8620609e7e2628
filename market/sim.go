package market

import (
	"errors"
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents"
)

const (
	nAlt = agents.NumAlternatives
	// Spend is kept in a slot per channel, buyer segment and incumbent cloud
	// (see slot), at list prices, so that the discounted spend (the bundle
	// discount goes to buyers whose cloud is the channel's), the cost of
	// serving it at list (gross profit) and the breakdowns by segment and
	// cloud all follow.
	nSlot    = nAlt * agents.NumSegments * agents.NumClouds
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
	cur        []int8    // each workload's channel, by slot (populationCache.buyers)
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
	// inc is each workload's incumbent cloud this run (cloud pull moves a
	// buyer's); held counts each buyer's workloads on each channel
	// ([buyer*nAlt+channel]), so that customers count accounts.
	inc   []agents.Cloud
	held  []uint8
	W     int     // workloads per buyer
	wMul  uint64  // buyerSlot's multiplier for W
	pull  float64 // Clouds.Pull
	moves int     // buyers moved by cloud pull this run
	// touched keeps what touch read, so that its reads are not optimised
	// away; it means nothing.
	touched uint64
}

// monthEnv is what a decision needs to know about the month.
type monthEnv struct {
	k        int
	t        Month
	avail    agents.Available
	constant [nChan]float64
	constW   [nChan]float64 // e^constant, the constant's factor in a weight
	security [nChan]float64
	support  [nChan]float64
	lag      [nChan]float64
	price    [nChan]float64
	bundle   [nChan]float64
	bonus    [nChan]float64
	misfit   float64
	bonusW   [nChan]float64
	fast     bool // cached weights are safe this month (runFast, every constant small)
	runFast  bool // cached weights are safe in this run (every pitch bonus small)
	// open lists the month's available channels in order, nOpen of them.
	open   [nChan]int8
	nOpen  int
	st     agents.Stream
	ramp   int32
	months int32
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
// transfers and the cap (docs/model.md §7.9).
func (s *Sim) account(cfg *Config, reg *Compiled, d *dynamics, out *Series) {
	T := cfg.Months()
	var fee [nChan]float64
	for c := range fee {
		fee[c] = cfg.Sellers[c].Fee
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
		var gross, profit [nAlt]float64
		spend := s.grossMonth(cfg, d, k, &gross, &profit, out)
		other := s.other[k]
		acct := Settle(t, terms, &gross, &profit, &fee, other, other*cfg.OtherRevenue.Margin, &led)
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
		s.recordCounts(d, k, out)
	}
	out.CloudMoves = d.moves
}

// recordCounts copies month index k's prices, adoption and customers
// (weighted to accounts; by segment and cloud with a breakdown) from
// dynamics d to out.
func (s *Sim) recordCounts(d *dynamics, k int, out *Series) {
	weight := s.popc.pop.Weight
	out.Price[k] = d.price[k]
	out.Adopted[k] = float64(d.adopted[k]) / float64(s.popc.pop.Buyers())
	for a := 0; a < nAlt; a++ {
		out.Customers[k][a] = float64(d.count[k][a]) * weight
	}
	if len(out.BySegment) == 0 {
		return
	}
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

// grossMonth fills month index k's gross revenue and gross profit by
// channel, the spend by maker and (with a breakdown) by segment and cloud,
// and returns total spend. Revenue is usage at list prices times the
// channel's price, less the bundle discount on its own cloud's buyers,
// times usage growth and the agent weight; the cost of serving is
// (1−margin) of the list price of all the usage, so price cuts and bundle
// discounts come out of the margin.
func (s *Sim) grossMonth(cfg *Config, d *dynamics, k int, gross, profit *[nAlt]float64, out *Series) float64 {
	const perChan = agents.NumSegments * agents.NumClouds
	g := s.growth[k] * s.popc.pop.Weight
	breakdown := len(out.SpendBySegment) > 0
	if breakdown {
		out.SpendBySegment[k] = [agents.NumSegments][nAlt]float64{}
		out.SpendByCloud[k] = [agents.NumClouds][nAlt]float64{}
	}
	out.MakerGross[k] = [agents.NumMakers]float64{}
	spend := 0.0
	for a := 0; a < nAlt; a++ {
		sc := &cfg.Sellers[a]
		p := d.price[k][a]
		own := agents.ChannelCloud[a]
		list := 0.0
		for j := a * perChan; j < (a+1)*perChan; j++ {
			u := d.usage[k][j]
			if u == 0 {
				continue
			}
			cl := agents.Cloud(j % agents.NumClouds)
			r := g * p * u
			if cl == own {
				r *= 1 - sc.BundleDiscount
			}
			gross[a] += r
			list += u
			if breakdown {
				out.SpendBySegment[k][(j/agents.NumClouds)%agents.NumSegments][a] += r
				out.SpendByCloud[k][cl][a] += r
			}
		}
		profit[a] = gross[a] - g*(1-sc.Margin)*sc.ListPrice*list
		spend += gross[a]
		out.MakerGross[k][agents.ChannelMaker[a]] += gross[a]
	}
	return spend
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
	s.inc = resize(s.inc, n)
	s.held = resize(s.held, s.popc.pop.Buyers()*nAlt)
	s.renewEnd = resize(s.renewEnd, cfg.Buyers.RenewalMonths)
	s.dA = resize(s.dA, (T+1)*nSlot)
	s.dB = resize(s.dB, (T+1)*nSlot)
	s.shareHist = resize(s.shareHist, T)
	s.growth = resize(s.growth, T)
	for k := range s.growth {
		s.growth[k] = cfg.UsageGrowth(cfg.Start + Month(k))
	}
}

// buyerSlot is the buyer slot of the workload at slot: slot/W, by a
// multiplication (a division costs a decision more than the rest of its
// integer work). With m = ⌊2^37/W⌋+1 = 2^37/W + e/W, 0 < e ≤ W,
// slot·m/2^37 = slot/W + slot·e/(W·2^37), and the error term is below 1/W
// (so the floor is exact) while slot < 2^37/W: slots are below
// agents.MaxSlots = 50,000,000 < 2^26 and W ≤ agents.MaxWorkloads = 8.
// TestBuyerSlot checks it.
func (s *Sim) buyerSlot(slot int) int { return int(uint64(slot) * s.wMul >> 37) }

// buyerSlotMul is buyerSlot's multiplier for W workloads per buyer.
func buyerSlotMul(W int) uint64 { return 1<<37/uint64(W) + 1 }
