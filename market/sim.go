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

// simulateBuyers steps the buyers through every month of the regime,
// recording their dynamics in d.
func (s *Sim) simulateBuyers(cfg *Config, reg *Compiled, d *dynamics) {
	T := cfg.Months()
	pop := &s.popc.pop
	n := pop.Len()
	breakdown := d.key.breakdown
	s.decisions = 0

	for i := range s.cur {
		s.cur[i] = noChoice
	}
	clear(s.dA)
	clear(s.dB)
	s.count = [nAlt]int32{}
	s.segCount = [agents.NumSegments][nAlt]int32{}
	s.cloudCount = [agents.NumClouds][nAlt]int32{}
	copy(s.renewEnd, s.popc.renewStart[:len(s.renewEnd)])
	s.logit.startRun()

	env := &s.env
	env.st = d.key.run.Stream()
	env.ramp = int32(cfg.Buyers.RampMonths)
	env.months = int32(T)
	var price, floor [nChan]float64
	for c := range price {
		sc := &cfg.Sellers[c]
		price[c] = sc.ListPrice
		floor[c] = sc.PriceFloor()
		env.security[c], env.support[c] = sc.Security, sc.Support
		env.bundle[c], env.bonus[c] = sc.BundleDiscount, sc.PitchBonus
	}
	var lastCut [nChan]int
	for c := range lastCut {
		lastCut[c] = math.MinInt32
	}
	var carry [nChan]float64
	var cursor [nChan]int
	var runA, runB [nSlot]float64
	adopted := 0
	renewN := int(cfg.Buyers.RenewalMonths)
	prevAvail := agents.Available(0)
	weight := pop.Weight

	for k := 0; k < T; k++ {
		t := cfg.Start + Month(k)
		terms := &reg.Terms[k]
		env.k, env.t, env.avail = k, t, reg.Avail[k]
		for c := 0; c < nChan; c++ {
			env.constant[c] = cfg.Sellers[c].Constant
			if terms.Preview[c] {
				env.constant[c] -= cfg.PreviewPenalty
			}
			env.lag[c] = reg.Lag[k][c]
			env.price[c] = price[c]
		}
		env.outside = cfg.Outside.Constant
		if t > cfg.Outside.TrendFrom {
			env.outside += cfg.Outside.TrendPerYear * t.YearsSince(cfg.Outside.TrendFrom)
		}
		env.fast = math.Abs(env.outside) <= maxCachedExponent
		env.outsideW = detmath.Exp(env.outside)
		for c := 0; c < nChan; c++ {
			env.bonusW[c] = detmath.Exp(env.bonus[c])
			env.fast = env.fast && math.Abs(env.bonus[c]) <= maxCachedExponent
			seen := channelView{env.avail.Has(c), env.constant[c], env.lag[c], env.price[c]}
			s.logit.observe(c, seen)
		}

		// A channel that closes sends its customers back to choose.
		if lost := prevAvail &^ env.avail; lost != 0 {
			for i := 0; i < n; i++ {
				if c := s.cur[i]; c >= 0 && lost.Has(int(c)) {
					s.decide(i, agents.PurposeDecideForced, -1)
				}
			}
		}
		prevAvail = env.avail

		for _, i := range s.popc.adoptList[s.popc.adoptStart[k]:s.popc.adoptStart[k+1]] {
			adopted++
			s.decide(int(i), agents.PurposeDecideAdopt, -1)
		}

		b := k % renewN
		end := s.renewEnd[b]
		for end < s.popc.renewStart[b+1] && s.popc.firstRenew[s.popc.renewList[end]] <= int32(k) {
			end++
		}
		s.renewEnd[b] = end
		for _, i := range s.popc.renewList[s.popc.renewStart[b]:end] {
			s.decide(int(i), agents.PurposeDecideRenew, -1)
		}

		if adopted > 0 {
			for c := 0; c < nChan; c++ {
				if !env.avail.Has(c) || (agents.Channel(c) == agents.ChannelOpenAI && !terms.DirectSales) {
					continue
				}
				r := cfg.Sellers[c].Reach
				if since := reg.OpenSince[k][c]; since > r.From {
					r.From = since
				}
				carry[c] += r.At(t) / weight
				want := int(carry[c])
				carry[c] -= float64(want)
				order := s.popc.order[c]
				pos := cursor[c]
				for scanned := 0; want > 0 && scanned < n; scanned++ {
					i := order[pos]
					pos++
					if pos == n {
						pos = 0
					}
					if cc := s.cur[i]; cc >= 0 && int(cc) != c {
						s.decide(int(i), agents.PurposeDecidePitch, c)
						want--
					}
				}
				if want > 0 { // fewer prospects than reach: the rest is idle
					carry[c] = 0
				}
				cursor[c] = pos
			}
		}

		// Usage of each alternative: running sums of the ramps, at list
		// prices by slot, then after bundle discounts.
		var slots [nSlot]float64
		var usage [nAlt]float64
		for j := 0; j < nSlot; j++ {
			runA[j] += s.dA[k*nSlot+j]
			runB[j] += s.dB[k*nSlot+j]
			if s.count[j/2] > 0 {
				slots[j] = math.Max(0, runA[j]+runB[j]*float64(k))
			}
		}
		for a := 0; a < nAlt; a++ {
			usage[a] = slots[2*a]
			if a < nChan {
				usage[a] += slots[2*a+1] * (1 - env.bundle[a])
			} else {
				usage[a] += slots[2*a+1]
			}
		}
		d.usage[k] = slots
		d.count[k] = s.count
		d.price[k] = price
		d.adopted[k] = int32(adopted)
		if breakdown {
			d.bySegment[k] = s.segCount
			d.byCloud[k] = s.cloudCount
		}

		// Adaptive pricing: a seller whose share of OpenAI-model usage fell
		// by more than its trigger over the lookback cuts its price, at most
		// once a lookback, never below its floor. Share is of usage at list
		// prices, so the seller's own cut does not feed back into it.
		tot := 0.0
		for c := 0; c < nChan; c++ {
			tot += usage[c]
		}
		for c := 0; c < nChan; c++ {
			sh := 0.0
			if tot > 0 {
				sh = usage[c] / tot
			}
			s.shareHist[k][c] = sh
			ap := &cfg.Sellers[c].Adaptive
			if !ap.Enabled || t < ap.From || k < ap.LookbackMonths || k-lastCut[c] < ap.LookbackMonths {
				continue
			}
			if sh < s.shareHist[k-ap.LookbackMonths][c]*(1-ap.Trigger) && price[c] > floor[c] {
				price[c] = math.Max(floor[c], price[c]*(1-ap.Step))
				lastCut[c] = k
			}
		}
	}
	d.decisions = s.decisions
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

// utility is buyer i's deterministic utility of channel c this month,
// without the stay and pitch terms.
func (s *Sim) utility(i, c int) float64 {
	env := &s.env
	pop := &s.popc.pop
	net := env.price[c]
	u := env.constant[c] +
		pop.Pref[agents.PrefSecurity][i]*env.security[c] +
		pop.Pref[agents.PrefSupport][i]*env.support[c] -
		pop.Pref[agents.PrefEarlyAccess][i]*env.lag[c]
	if agents.ChannelCloud[c] == pop.Incumbent[i] {
		net *= 1 - env.bundle[c]
		u += pop.Pref[agents.PrefFit][i]
	}
	return u - pop.Pref[agents.PrefPrice][i]*net
}

// decide lets buyer i choose among this month's available alternatives,
// with a pitch bonus for channel pitch (or none, -1), and moves its spend.
//
// Utilities change only when a channel's terms or price do, so each
// buyer's channel weights e^utility are cached and recomputed only when
// stale; the stay and pitch terms enter as factors. A decision then costs
// one keyed draw, a few loads and a scan, with an exponential only for a
// stale channel. Buyers or months with utilities too large for that take
// the log-sum-exp path (agents.ChooseLogit); both sample the same logit.
func (s *Sim) decide(i int, purpose agents.Purpose, pitch int) {
	env := &s.env
	cur := int(s.cur[i])
	u := env.draw(purpose, i, pitch)
	s.decisions++
	choice := -1
	if bc := &s.logit.buyers[i]; env.fast && !bc.slow {
		var w [nAlt]float64
		for c := 0; c < nChan; c++ {
			// A channel's version changes with its availability, so the
			// cached weight of an unavailable channel is a fresh zero.
			if bc.ver[c] != s.logit.ver[c] {
				bc.w[c] = 0
				if env.avail.Has(c) {
					v := s.utility(i, c)
					if math.Abs(v) > maxCachedExponent {
						bc.slow = true
						break
					}
					bc.w[c] = detmath.Exp(v)
				}
				bc.ver[c] = s.logit.ver[c]
			}
			w[c] = bc.w[c]
		}
		if !bc.slow {
			w[agents.Outside] = env.outsideW
			if cur >= 0 {
				w[cur] *= bc.stayW
			}
			if pitch >= 0 {
				w[pitch] *= env.bonusW[pitch]
			}
			choice = agents.ChooseWeighted(&w, env.avail, u)
		}
	}
	if choice < 0 {
		var v [nAlt]float64
		for c := 0; c < nChan; c++ {
			if env.avail.Has(c) {
				v[c] = s.utility(i, c)
			}
		}
		v[agents.Outside] = env.outside
		wst := s.popc.pop.Pref[agents.PrefStay][i]
		if cur >= 0 {
			v[cur] += wst
		}
		if pitch >= 0 {
			v[pitch] += env.bonus[pitch]
		}
		choice = agents.ChooseLogit(&v, env.avail, u)
	}
	if choice == cur {
		return
	}
	k := env.k
	if cur >= 0 {
		s.addRamp(i, cur, k, -1)
	}
	s.addRamp(i, choice, k, +1)
	s.cur[i] = int8(choice)
}

// draw is the uniform for buyer i's decision of this purpose this month.
// Several sellers may pitch one buyer in the same month, so a pitch's draw
// is keyed by the pitching channel too (in index bits above the month's),
// else those decisions would share one uniform.
func (e *monthEnv) draw(purpose agents.Purpose, i, pitch int) float64 {
	idx := uint32(e.t)
	if pitch > 0 {
		idx |= uint32(pitch) << 20 // months are below 2^16; the index takes 26 bits
	}
	return e.st.Float64(purpose, uint32(i), idx)
}

// addRamp adds (sign +1) or removes (-1) buyer i's spend on alternative alt
// from month index k on, in its slot, at list prices. Its spend ramps
// linearly from adoption month a to
// its budget at e = a+ramp−1 and stays there: value(t) = slope·t + icpt on
// [a, e], then budget. Only two difference-array cells change.
func (s *Sim) addRamp(i, alt, k int, sign float64) {
	pop := &s.popc.pop
	c := pop.Budget[i] * sign
	inc := pop.Incumbent[i]
	j := 2 * alt // the buyer's slot
	if alt < nChan && agents.ChannelCloud[alt] == inc {
		j++
	}
	a := int(pop.Adopt[i] - s.popc.key.start)
	e := a + int(s.env.ramp) - 1
	if k < e {
		r := float64(s.env.ramp)
		slope := c / r
		icpt := c * float64(1-a) / r
		s.dB[k*nSlot+j] += slope
		s.dA[k*nSlot+j] += icpt
		if e < int(s.env.months) {
			s.dB[e*nSlot+j] -= slope
			s.dA[e*nSlot+j] += c - icpt
		}
	} else {
		s.dA[k*nSlot+j] += c
	}
	d := int32(sign)
	s.count[alt] += d
	s.segCount[pop.Segment[i]][alt] += d
	s.cloudCount[inc][alt] += d
}

// prepare makes the population, schedule, orders and other revenue of run
// key ready (from the caches where they are current) and sizes the per-run
// buffers.
func (s *Sim) prepare(cfg *Config, key agents.Key, T int) {
	if s.popc.prepare(cfg, key) {
		s.logit.reset(&s.popc.pop)
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
