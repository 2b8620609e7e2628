package market

import (
	"errors"
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents"
)

const (
	nAlt     = agents.NumAlternatives
	nChan    = agents.NumChannels
	noChoice = int8(-1)
)

// Sim simulates one market at a time. It keeps its buffers, and the last
// run's buyer population, from run to run: a second scenario of the same
// run key with the same buyer configuration reuses the population, and no
// run after the first allocates. A Sim is not safe for concurrent use: give
// each goroutine its own.
type Sim struct {
	// The population and its schedule, valid for popCfg/popKey/popStart/popMonths.
	pop       agents.Population
	havePop   bool
	popCfg    agents.BuyerConfig
	popKey    agents.Key
	popStart  Month
	popMonths int
	// adoptList holds buyers by adoption month index: month k's are
	// adoptList[adoptStart[k]:adoptStart[k+1]].
	adoptStart []int32
	adoptList  []int32
	// firstRenew is each buyer's first renewal month index (or MaxInt32).
	// renewList holds buyers by bucket firstRenew mod RenewalMonths, each
	// bucket sorted by firstRenew, bucket b at renewStart[b]:renewStart[b+1].
	firstRenew []int32
	renewStart []int32
	renewList  []int32
	renewEnd   []int32
	counts     []int32
	sortBuf    []int32
	// order[c] is seller c's targeting order, valid when orderOK[c];
	// byBudget is the population's largest-first order.
	byBudget  []int32
	sortTmp   []int32
	sortKeys  []uint64
	order     [nChan][]int32
	orderOK   [nChan]bool
	orderPol  [nChan]agents.Targeting
	other     []float64
	haveOther bool
	otherCfg  OtherRevenue
	otherKey  agents.Key
	otherFrom Month

	// cache holds each buyer's logit weights (see weightCache); chanVer[c]
	// is channel c's current version. A channel's version changes whenever
	// anything buyers see of it changes, and every channel's at the start
	// of a run.
	cache    []weightCache
	chanVer  [nChan]uint32
	verCount uint32

	// Per-run state.
	cur        []int8
	dA, dB     []float64 // difference arrays of spend ramps, [month][alternative]
	shareHist  [][nChan]float64
	growth     []float64
	count      [nAlt]int32
	segCount   [agents.NumSegments][nAlt]int32
	cloudCount [agents.NumClouds][nAlt]int32
	env        monthEnv
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
	out.Reset(cfg.Start, T, breakdown)
	out.Regime = reg.Name
	pop := &s.pop
	n := pop.Len()

	for i := range s.cur {
		s.cur[i] = noChoice
	}
	clear(s.dA)
	clear(s.dB)
	s.count = [nAlt]int32{}
	s.segCount = [agents.NumSegments][nAlt]int32{}
	s.cloudCount = [agents.NumClouds][nAlt]int32{}
	copy(s.renewEnd, s.renewStart[:len(s.renewEnd)])
	for i := range s.cache {
		s.cache[i].slow = s.cache[i].stay > maxCachedExponent
	}
	s.bumpAllVersions()
	var prevSeen [nChan]channelView

	env := &s.env
	env.st = key.Stream()
	env.ramp = int32(cfg.Buyers.RampMonths)
	env.months = int32(T)
	var price, list, margin, floor [nChan]float64
	for c := range price {
		sc := &cfg.Sellers[c]
		price[c], list[c], margin[c] = sc.ListPrice, sc.ListPrice, sc.Margin
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
	var runA, runB [nAlt]float64
	var led Ledger
	capFrom := Month(math.MaxInt32)
	for k := range reg.Terms {
		if reg.Terms[k].HasCap {
			capFrom = reg.Terms[k].CapStart
			break
		}
	}
	cum := 0.0
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
		env.outsideW = agents.Exp(env.outside)
		for c := 0; c < nChan; c++ {
			env.bonusW[c] = math.Exp(env.bonus[c])
			env.fast = env.fast && math.Abs(env.bonus[c]) <= maxCachedExponent
			seen := channelView{env.avail.Has(c), env.constant[c], env.lag[c], env.price[c]}
			if seen != prevSeen[c] {
				s.verCount++
				s.chanVer[c] = s.verCount
				prevSeen[c] = seen
			}
		}

		// A channel that closes sends its customers back to choose.
		if lost := prevAvail &^ env.avail; lost != 0 {
			for i := 0; i < n; i++ {
				if c := s.cur[i]; c >= 0 && lost.Has(int(c)) {
					s.decide(i, agents.PurposeDecideForced, -1, out)
				}
			}
		}
		prevAvail = env.avail

		for _, i := range s.adoptList[s.adoptStart[k]:s.adoptStart[k+1]] {
			adopted++
			s.decide(int(i), agents.PurposeDecideAdopt, -1, out)
		}

		b := k % renewN
		end := s.renewEnd[b]
		for end < s.renewStart[b+1] && s.firstRenew[s.renewList[end]] <= int32(k) {
			end++
		}
		s.renewEnd[b] = end
		for _, i := range s.renewList[s.renewStart[b]:end] {
			s.decide(int(i), agents.PurposeDecideRenew, -1, out)
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
				order := s.order[c]
				pos := cursor[c]
				for scanned := 0; want > 0 && scanned < n; scanned++ {
					i := order[pos]
					pos++
					if pos == n {
						pos = 0
					}
					if cc := s.cur[i]; cc >= 0 && int(cc) != c {
						s.decide(int(i), agents.PurposeDecidePitch, c, out)
						want--
					}
				}
				if want > 0 { // fewer prospects than reach: the rest is idle
					carry[c] = 0
				}
				cursor[c] = pos
			}
		}

		// Spend of each alternative: running sums of the ramps.
		var usage, gross, profit [nAlt]float64
		g := s.growth[k] * weight
		for a := 0; a < nAlt; a++ {
			runA[a] += s.dA[k*nAlt+a]
			runB[a] += s.dB[k*nAlt+a]
			if s.count[a] > 0 {
				usage[a] = math.Max(0, runA[a]+runB[a]*float64(k))
			}
		}
		spend := 0.0
		for a := 0; a < nAlt; a++ {
			p, m, l := 1.0, cfg.Outside.Margin, 1.0
			if a < nChan {
				p, m, l = price[a], margin[a], list[a]
			}
			gross[a] = g * p * usage[a]
			profit[a] = gross[a] * (1 - (1-m)*l/p)
			spend += gross[a]
			out.Customers[k][a] = float64(s.count[a]) * weight
		}
		other := s.other[k]
		acct := Settle(t, terms, &gross, &profit, other, other*cfg.OtherRevenue.Margin, &led)
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
		out.Adopted[k] = float64(adopted) / float64(n)
		if breakdown {
			for sg := range s.segCount {
				for a := range s.segCount[sg] {
					out.BySegment[k][sg][a] = float64(s.segCount[sg][a]) * weight
				}
			}
			for cl := range s.cloudCount {
				for a := range s.cloudCount[cl] {
					out.ByCloud[k][cl][a] = float64(s.cloudCount[cl][a]) * weight
				}
			}
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
	return nil
}

// maxCachedExponent bounds the utilities whose exponentials are cached:
// a weight times the stay and pitch factors stays below e^600, far from
// overflow, even summed over five alternatives. Larger utilities (extreme
// preference weights) take the log-sum-exp path.
const maxCachedExponent = 200

// weightCache is one buyer's cached logit weights, packed in one cache
// line because a decision reads them together: w[c] = e^(utility of
// channel c without the stay and pitch terms), valid while ver[c] matches
// the channel's version; stayW = e^stay; slow marks a buyer whose
// utilities are too large for cached weights.
type weightCache struct {
	w     [nChan]float64
	ver   [nChan]uint32
	stayW float64
	stay  float64
	slow  bool
}

// channelView is what buyers see of a channel in a month; when it changes,
// cached weights of that channel are stale.
type channelView struct {
	avail                bool
	constant, lag, price float64
}

// bumpAllVersions invalidates every cached weight.
func (s *Sim) bumpAllVersions() {
	for c := range s.chanVer {
		s.verCount++
		s.chanVer[c] = s.verCount
	}
	if s.verCount > math.MaxUint32-1024 { // wrap: start afresh
		for i := range s.cache {
			s.cache[i].ver = [nChan]uint32{}
		}
		s.verCount = 1
		for c := range s.chanVer {
			s.verCount++
			s.chanVer[c] = s.verCount
		}
	}
}

// utility is buyer i's deterministic utility of channel c this month,
// without the stay and pitch terms.
func (s *Sim) utility(i, c int) float64 {
	env := &s.env
	pop := &s.pop
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
func (s *Sim) decide(i int, purpose agents.Purpose, pitch int, out *Series) {
	env := &s.env
	cur := int(s.cur[i])
	u := env.draw(purpose, i, pitch)
	out.Decisions++
	choice := -1
	if bc := &s.cache[i]; env.fast && !bc.slow {
		var w [nAlt]float64
		for c := 0; c < nChan; c++ {
			if !env.avail.Has(c) {
				continue
			}
			if bc.ver[c] != s.chanVer[c] {
				v := s.utility(i, c)
				if math.Abs(v) > maxCachedExponent {
					bc.slow = true
					break
				}
				bc.w[c] = agents.Exp(v)
				bc.ver[c] = s.chanVer[c]
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
		wst := s.pop.Pref[agents.PrefStay][i]
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
// from month index k on. Its spend ramps linearly from adoption month a to
// its budget at e = a+ramp−1 and stays there: value(t) = slope·t + icpt on
// [a, e], then budget. Only two difference-array cells change.
func (s *Sim) addRamp(i, alt, k int, sign float64) {
	pop := &s.pop
	c := pop.Budget[i]
	inc := pop.Incumbent[i]
	if alt < nChan && agents.ChannelCloud[alt] == inc {
		c *= 1 - s.env.bundle[alt]
	}
	c *= sign
	a := int(pop.Adopt[i] - s.popStart)
	e := a + int(s.env.ramp) - 1
	if k < e {
		r := float64(s.env.ramp)
		slope := c / r
		icpt := c * float64(1-a) / r
		s.dB[k*nAlt+alt] += slope
		s.dA[k*nAlt+alt] += icpt
		if e < int(s.env.months) {
			s.dB[e*nAlt+alt] -= slope
			s.dA[e*nAlt+alt] += c - icpt
		}
	} else {
		s.dA[k*nAlt+alt] += c
	}
	d := int32(sign)
	s.count[alt] += d
	s.segCount[pop.Segment[i]][alt] += d
	s.cloudCount[inc][alt] += d
}

// prepare makes the population, schedule, orders and other revenue of run
// key ready, regenerating only what changed since the last run.
func (s *Sim) prepare(cfg *Config, key agents.Key, T int) {
	if !s.havePop || s.popCfg != cfg.Buyers || s.popKey != key || s.popStart != cfg.Start || s.popMonths != T {
		s.pop.Generate(&cfg.Buyers, key, cfg.Start)
		s.popCfg, s.popKey, s.popStart, s.popMonths, s.havePop = cfg.Buyers, key, cfg.Start, T, true
		s.schedule(cfg, T)
		s.orderOK = [nChan]bool{}
		s.byBudget, s.sortTmp, s.sortKeys = agents.LargestFirst(s.byBudget, s.sortTmp, s.sortKeys, &s.pop)
		s.cache = resize(s.cache, s.pop.Len())
		for i, w := range s.pop.Pref[agents.PrefStay] {
			s.cache[i] = weightCache{stay: w, stayW: math.Exp(w)}
		}
	}
	st := key.Stream()
	for c := 0; c < nChan; c++ {
		pol := cfg.Sellers[c].Targeting
		if !s.orderOK[c] || s.orderPol[c] != pol {
			s.order[c] = agents.TargetOrder(s.order[c], &s.pop, s.byBudget, pol, agents.Channel(c), st)
			s.orderOK[c], s.orderPol[c] = true, pol
		}
	}
	if !s.haveOther || s.otherKey != key || s.otherFrom != cfg.Start || len(s.other) != T || !s.otherCfg.sameAs(&cfg.OtherRevenue) {
		s.other = resize(s.other, T)
		cfg.OtherRevenue.Fill(s.other, cfg.Start, st)
		points := append(s.otherCfg.Points[:0], cfg.OtherRevenue.Points...)
		s.otherCfg = cfg.OtherRevenue
		s.otherCfg.Points = points
		s.otherKey, s.otherFrom, s.haveOther = key, cfg.Start, true
	}
	n := s.pop.Len()
	s.cur = resize(s.cur, n)

	s.dA = resize(s.dA, (T+1)*nAlt)
	s.dB = resize(s.dB, (T+1)*nAlt)
	s.shareHist = resize(s.shareHist, T)
	s.growth = resize(s.growth, T)
	for k := range s.growth {
		t := cfg.Start + Month(k)
		s.growth[k] = 1
		if t > cfg.SpendGrowthFrom {
			s.growth[k] = math.Pow(1+cfg.SpendGrowth, t.YearsSince(cfg.SpendGrowthFrom))
		}
	}
}

// schedule buckets buyers by adoption month and by renewal phase, with
// counting sorts (linear in buyers, no comparisons).
func (s *Sim) schedule(cfg *Config, T int) {
	pop := &s.pop
	n := pop.Len()
	s.adoptStart = resize(s.adoptStart, T+1)
	clear(s.adoptStart)
	s.adoptList = resize(s.adoptList, n)
	s.firstRenew = resize(s.firstRenew, n)
	adoptIdx := func(i int) int {
		if pop.Adopt[i] == agents.Never {
			return -1
		}
		a := int(pop.Adopt[i] - cfg.Start)
		if a >= T {
			return -1
		}
		return a
	}
	for i := 0; i < n; i++ {
		if a := adoptIdx(i); a >= 0 {
			s.adoptStart[a+1]++
		}
	}
	for k := 1; k <= T; k++ {
		s.adoptStart[k] += s.adoptStart[k-1]
	}
	s.counts = resize(s.counts, max(T, cfg.Buyers.RenewalMonths)+1)
	copy(s.counts, s.adoptStart[:T])
	placed := 0
	for i := 0; i < n; i++ {
		s.firstRenew[i] = math.MaxInt32
		if a := adoptIdx(i); a >= 0 {
			s.adoptList[s.counts[a]] = int32(i)
			s.counts[a]++
			placed++
			if fr := a + int(pop.Phase[i]); fr < T {
				s.firstRenew[i] = int32(fr)
			}
		}
	}
	s.adoptList = s.adoptList[:placed]

	// Renewals: sort by first renewal month (counting sort), then deal into
	// buckets by that month mod N; the deal is stable, so each bucket stays
	// sorted and a month's renewals are a prefix of its bucket.
	N := cfg.Buyers.RenewalMonths
	byMonth := s.counts[:T+1]
	clear(byMonth)
	renewing := 0
	for i := 0; i < n; i++ {
		if fr := s.firstRenew[i]; fr != math.MaxInt32 {
			byMonth[fr+1]++
			renewing++
		}
	}
	for k := 1; k <= T; k++ {
		byMonth[k] += byMonth[k-1]
	}
	sorted := resize(s.sortBuf, renewing)
	s.sortBuf = sorted
	for i := 0; i < n; i++ {
		if fr := s.firstRenew[i]; fr != math.MaxInt32 {
			sorted[byMonth[fr]] = int32(i)
			byMonth[fr]++
		}
	}
	s.renewStart = resize(s.renewStart, N+1)
	clear(s.renewStart)
	for _, i := range sorted {
		s.renewStart[s.firstRenew[i]%int32(N)+1]++
	}
	for b := 1; b <= N; b++ {
		s.renewStart[b] += s.renewStart[b-1]
	}
	s.renewList = resize(s.renewList, renewing)
	fill := s.counts[:N]
	copy(fill, s.renewStart[:N])
	for _, i := range sorted { // stable: each bucket stays sorted by month
		b := s.firstRenew[i] % int32(N)
		s.renewList[fill[b]] = i
		fill[b]++
	}
	s.renewEnd = resize(s.renewEnd, N)
}
