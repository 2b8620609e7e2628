package market

import (
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// runState is the buyer stepper's state across the months of one run,
// besides the buyers' own (Sim.cur, the spend ramps and the counts).
type runState struct {
	price, floor [nChan]float64 // each seller's current and lowest price
	lastCut      [nChan]int     // the month index of each seller's last price cut
	carry        [nChan]float64 // reach not yet used, carried to the next month
	cursor       [nChan]int     // each seller's position in its targeting order
	runA, runB   [nSlot]float64 // running sums of the ramps' difference arrays
	adopted      int            // buyers adopted so far
	prevAvail    agents.Available
	// fade[n] = e^(−λn): a release's weight after n later frontier
	// releases by other makers; othersAt[m][r] is how many releases other
	// makers had made by maker m's release r (docs/model.md §7.3).
	fade     [maxFade]float64
	othersAt [agents.NumMakers][MaxReleases]int32
}

// maxFade bounds the releases counted: every maker's, all of them.
const maxFade = agents.NumMakers*MaxReleases + 1

// simulateBuyers steps the buyers through every month of the regime,
// recording their dynamics in d. Each month: the month's view of the
// channels (enterMonth); customers of a channel that closed choose again
// (reconsiderLost); buyers adopt (adopt) and renew (renew); sellers pitch
// (pitch); the month's usage is recorded (record); sellers losing share cut
// prices for the next month (adaptPrices).
func (s *Sim) simulateBuyers(cfg *Config, reg *Compiled, d *dynamics) {
	s.startRun(cfg, d)
	T := cfg.Months()
	for k := 0; k < T; k++ {
		s.enterMonth(cfg, reg, k)
		s.reconsiderLost()
		s.adopt(k)
		s.renew(k, cfg.Buyers.RenewalMonths)
		if s.rs.adopted > 0 {
			s.pitch(cfg, reg, k)
		}
		usage := s.record(d, k)
		s.adaptPrices(cfg, k, &usage)
	}
	d.decisions = s.decisions
	d.moves = s.moves
}

// startRun resets the buyers' choices, ramps, counts and cached weights,
// and sets what is fixed over the run: the random stream, the sellers'
// terms and list prices.
func (s *Sim) startRun(cfg *Config, d *dynamics) {
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
	for sl := range s.inc { // by slot, as the records
		s.inc[sl] = s.popc.buyers[sl].incumbent
	}
	clear(s.held)
	s.W = s.popc.pop.Workloads
	s.wMul = buyerSlotMul(s.W)
	s.pull = cfg.Clouds.Pull
	s.moves = 0

	env := &s.env
	env.st = d.key.run.Stream()
	env.ramp = int32(cfg.Buyers.RampMonths)
	env.months = int32(cfg.Months())
	s.rs = runState{}
	for c := range s.rs.price {
		sc := &cfg.Sellers[c]
		s.rs.price[c] = sc.ListPrice
		s.rs.floor[c] = sc.PriceFloor()
		s.rs.lastCut[c] = math.MinInt32
		env.security[c], env.support[c] = sc.Security, sc.Support
		env.bundle[c], env.bonus[c] = sc.BundleDiscount, sc.PitchBonus
	}
	// The pitch bonuses are the run's, so their weights and whether the
	// cached weights are safe with them are set once a run.
	env.runFast = true
	for c := range env.bonus {
		env.bonusW[c] = detmath.Exp(env.bonus[c])
		env.runFast = env.runFast && math.Abs(env.bonus[c]) <= maxCachedExponent
	}
	env.misfit = cfg.Clouds.Misfit
	in := weightInputs{security: env.security, support: env.support, bundle: env.bundle, misfit: env.misfit}
	s.logit.startRun(&in)
	s.startReleases(&cfg.Makers)
}

// startReleases fills the fade table and, for each release, the count of
// other makers' releases up to its month.
func (s *Sim) startReleases(mk *Makers) {
	rs := &s.rs
	for n := range rs.fade {
		rs.fade[n] = detmath.Exp(-mk.ReleaseFade * float64(n))
	}
	for m := range mk.Releases {
		for r, t := range mk.Releases[m] {
			if t == 0 {
				break
			}
			rs.othersAt[m][r] = othersUpTo(mk, m, t)
		}
	}
}

// othersUpTo counts the frontier releases by makers other than m up to
// month t.
func othersUpTo(mk *Makers, m int, t Month) int32 {
	n := int32(0)
	for o := range mk.Releases {
		if o == m {
			continue
		}
		for _, r := range mk.Releases[o] {
			if r == 0 || r > t {
				break
			}
			n++
		}
	}
	return n
}

// standing is the standing of maker m's models on a channel that gets
// them lag months after the maker's own customers, in month t
// (docs/model.md §7.3): β·Σ over m's releases r with t − r ≥ lag of
// e^(−λ·n_r), n_r the other makers' releases after r up to t.
func (s *Sim) standing(mk *Makers, m int, t Month, lag float64, others int32) float64 {
	q := 0.0
	for r, rt := range mk.Releases[m] {
		if rt == 0 || rt > t {
			break
		}
		if float64(t-rt) >= lag {
			q += s.rs.fade[others-s.rs.othersAt[m][r]]
		}
	}
	return mk.ReleaseWeight * q
}

// enterMonth sets what buyers see in month index k: the channels
// available (OpenAI's by the regime, the rivals' by their dates unless the
// regime overrides them), each channel's constant (its seller's, its
// maker's and its maker's standing, less the preview penalty), release
// lag and price; channels whose view changed get new logit weights.
func (s *Sim) enterMonth(cfg *Config, reg *Compiled, k int) {
	env := &s.env
	t := cfg.Start + Month(k)
	terms := &reg.Terms[k]
	env.k, env.t = k, t
	env.setAvail(RivalAvail(reg.Avail[k], terms, &cfg.Opens, t))
	mk := &cfg.Makers
	// A maker's standing with no lag is the same for all its channels.
	var others [agents.NumMakers]int32
	var own [agents.NumMakers]float64
	for m := range others {
		others[m] = othersUpTo(mk, m, t)
		own[m] = s.standing(mk, m, t, 0, others[m])
	}
	for c := 0; c < nChan; c++ {
		// The channel's standing counts the releases it has after its lag;
		// what it lacks against the maker's own customers is the buyers'
		// early-access loss, large only while the newest model leads.
		m := int(agents.ChannelMaker[c])
		here := s.standing(mk, m, t, reg.Lag[k][c], others[m])
		env.lag[c] = own[m] - here
		env.constant[c] = cfg.Sellers[c].Constant + mk.Constant[m] + here
		if terms.Preview[c] {
			env.constant[c] -= cfg.PreviewPenalty
		}
		env.price[c] = s.rs.price[c]
		s.logit.observe(c, channelView{env.avail.Has(c), env.lag[c], env.price[c]})
	}
	s.setConstantWeights()
}

// setConstantWeights sets each channel's constant factor e^constant for
// the month (fourteen exponentials a month, where a cached weight per
// buyer would take one per buyer and release), and whether the month may
// take the fast path: the run's pitch bonuses and every constant small
// enough (maxCachedExponent).
func (s *Sim) setConstantWeights() {
	env := &s.env
	env.fast = env.runFast
	for c, x := range env.constant {
		env.constW[c] = detmath.Exp(x)
		env.fast = env.fast && math.Abs(x) <= maxCachedExponent
	}
}

// reconsiderLost sends the customers of a channel that closed this month
// back to choose.
func (s *Sim) reconsiderLost() {
	avail := s.env.avail
	if lost := s.rs.prevAvail &^ avail; lost != 0 {
		for i, slot := range s.popc.slotOf { // in workload order: the order the results depend on
			if c := s.cur[slot]; c >= 0 && lost.Has(int(c)) {
				s.decide(i, int(slot), s.buyerSlot(int(slot)), agents.PurposeDecideForced, -1)
			}
		}
	}
	s.rs.prevAvail = avail
}

// adopt lets the buyers adopting in month index k choose.
func (s *Sim) adopt(k int) {
	pc := &s.popc
	adopting := pc.adoptSlots[pc.adoptStart[k]:pc.adoptStart[k+1]]
	W := s.W
	s.rs.adopted += len(adopting) / W // a buyer's workloads adopt together, at consecutive slots
	step := max(touchAhead/W, 1) * W  // whole buyers
	for len(adopting) > 0 {
		chunk := adopting[:min(step, len(adopting))]
		adopting = adopting[len(chunk):]
		for _, slot := range chunk {
			s.touched += s.touch(int(slot))
		}
		for j := 0; j < len(chunk); j += W {
			s.adoptBuyer(int(chunk[j]))
		}
	}
}

// adoptBuyer lets the W workloads of an adopting buyer, at slot and the
// next W−1, choose. None has a channel yet, so there is no stay factor:
// on the fast path all choose from the same cumulative weights, summed
// once, each with its own draw, and move in order, as W decide calls
// would.
func (s *Sim) adoptBuyer(slot int) {
	env := &s.env
	bs := s.buyerSlot(slot)
	i := int(s.popc.idxOf[slot])
	bc := &s.logit.buyers[bs]
	// An adopting buyer's workloads have no channel yet (none buys before
	// its buyer adopts, and reconsiderLost moves only customers).
	if !env.fast || !s.fresh(slot, bc) || env.nOpen == 0 {
		for w := range s.W {
			s.decide(i+w, slot+w, bs, agents.PurposeDecideAdopt, -1)
		}
		return
	}
	cum, c := env.cumulate(&bc.w, -1, -1, bc.stayW)
	for w := range s.W {
		s.decisions++
		s.move(slot+w, bs, -1, env.pick(&cum, c, env.draw(agents.PurposeDecideAdopt, i+w, -1)))
	}
}

// renew lets the buyers whose contract renews in month index k choose
// again: those of renewal bucket k mod renewN whose first renewal is due.
func (s *Sim) renew(k, renewN int) {
	pc := &s.popc
	b := k % renewN
	end := s.renewEnd[b]
	for end < pc.renewStart[b+1] && pc.renewDue[end] <= int32(k) {
		end++
	}
	s.renewEnd[b] = end
	// Renewing workloads' records are stored in renewList order: slot =
	// position, a buyer's W workloads at W consecutive slots from a
	// multiple of W, its main workload first.
	W := s.W
	bs := s.buyerSlot(int(pc.renewStart[b]))
	for slot := int(pc.renewStart[b]); slot < int(end); {
		// Two buyers' main workloads choose together where both are on the
		// fast path: neither choice depends on the other buyer's moves or
		// cloud pull, so each is then moved in its turn.
		w0 := s.workload(slot, bs)
		if slot+W < int(end) {
			w1 := s.workload(slot+W, bs+1)
			if ch0, ch1, ok := s.chooseTwo(w0, w1, agents.PurposeDecideRenew, -1); ok {
				s.renewBuyer(w0, k, ch0)
				s.renewBuyer(w1, k, ch1)
				slot, bs = slot+2*W, bs+2
				continue
			}
		}
		s.renewBuyer(w0, k, -2)
		slot, bs = slot+W, bs+1
	}
}

// renewBuyer lets the renewing buyer of main workload m (its workloads at
// m.slot and the next W−1) choose: its main workload first (whose choice
// is ch when chooseTwo made it, else -2), then cloud pull, then the
// others in pairs.
func (s *Sim) renewBuyer(m workload, k, ch int) {
	i, slot, bs := m.i, m.slot, m.bs
	if ch == -2 {
		s.decide(i, slot, bs, agents.PurposeDecideRenew, -1)
	} else {
		s.decisions++
		s.move(slot, bs, m.cur, ch)
	}
	if s.pull > 0 {
		s.cloudPull(i, slot, bs, k)
	}
	W := s.W
	w := 1
	for ; w+1 < W; w += 2 {
		s.decidePair(i+w, slot+w, bs, agents.PurposeDecideRenew)
	}
	if w < W {
		s.decide(i+w, slot+w, bs, agents.PurposeDecideRenew, -1)
	}
}

// workload is what a decision needs to find a workload: its index i (which
// keys its draws), slot, buyer slot and current channel (-1: none).
type workload struct{ i, slot, bs, cur int }

// workload returns the workload at slot, of the buyer at buyer slot bs.
func (s *Sim) workload(slot, bs int) workload {
	return workload{int(s.popc.idxOf[slot]), slot, bs, int(s.cur[slot])}
}

// chooseTwo makes the choices of workloads w0 and w1 (distinct, of the
// same buyer or two) for purpose, with a pitch for channel pitch (-1:
// none), together when both buyers are on the fast path (ok), refreshing
// their weights; it moves nothing. Each choice depends only on its own
// workload's channel and draw and its buyer's weights, not on the other's
// move, so the two cumulative sums run side by side (choosePair), where
// one waits on each addition.
func (s *Sim) chooseTwo(w0, w1 workload, purpose agents.Purpose, pitch int) (ch0, ch1 int, ok bool) {
	env := &s.env
	if !env.fast {
		return 0, 0, false
	}
	b0, b1 := &s.logit.buyers[w0.bs], &s.logit.buyers[w1.bs]
	ok0, ok1 := s.fresh(w0.slot, b0), s.fresh(w1.slot, b1) // both refreshed, as the cache keeps them
	if !ok0 || !ok1 {
		return 0, 0, false
	}
	ch0, ch1 = env.choosePair(&b0.w, &b1.w, w0.cur, w1.cur, pitch, b0.stayW, b1.stayW,
		env.draw(purpose, w0.i, pitch), env.draw(purpose, w1.i, pitch))
	return ch0, ch1, true
}

// cloudPull lets the buyer whose main workload is i (at slot slot, its
// buyer slot bs), having
// just renewed, move its incumbent cloud to the cloud that workload buys
// through, if that is another, with probability Clouds.Pull
// (docs/model.md §7.11). Its workloads (slots slot .. slot+W−1) move their
// spend to the new cloud's slots from month index k on, and their buyer's
// cached logit weights are recomputed.
func (s *Sim) cloudPull(i, slot, bs, k int) {
	c := s.cur[slot]
	if c < 0 {
		return
	}
	to := agents.ChannelCloud[c]
	if to == agents.CloudNone || to == s.inc[slot] {
		return
	}
	// buyerSlot(i) of the workload index i is i/W, the buyer's index (not
	// its slot), which keys the draw.
	if s.env.st.Float64(agents.PurposeCloudMove, uint32(s.buyerSlot(i)), uint32(s.env.t)) >= s.pull {
		return
	}
	for w := 0; w < s.W; w++ {
		if cj := s.cur[slot+w]; cj >= 0 {
			s.addRamp(slot+w, bs, int(cj), k, -1)
		}
	}
	bc := &s.logit.buyers[bs]
	bc.ver, bc.epoch = [nChan]uint32{}, 0 // its weights depend on its cloud
	bc.moved = true
	for w := 0; w < s.W; w++ {
		s.inc[slot+w] = to
		if cj := s.cur[slot+w]; cj >= 0 {
			s.addRamp(slot+w, bs, int(cj), k, +1)
		}
	}
	s.moves++
}

// pitch lets each open channel's sales team (OpenAI's only while it runs
// direct sales), in channel order, pitch as many other channels' workloads
// as its reach allows this month (reach/weight pitches, the fraction
// carried), in its targeting order of workloads from where it stopped; a
// workload may be pitched by several sellers in a month. OpenAI's channels'
// reach starts no earlier than the month the channel last opened
// (docs/model.md §7.5).
func (s *Sim) pitch(cfg *Config, reg *Compiled, k int) {
	env := &s.env
	weight := s.popc.pop.Weight
	for c := 0; c < nChan; c++ {
		if !env.avail.Has(c) || !cfg.Sellers[c].Reach.Active() || (agents.Channel(c) == agents.ChannelOpenAI && !reg.Terms[k].DirectSales) {
			continue
		}
		r := cfg.Sellers[c].Reach
		if since := reg.OpenSince[k][c]; since > r.From {
			r.From = since
		}
		carry := &s.rs.carry[c]
		*carry += r.At(env.t) / weight
		want := int(*carry)
		*carry -= float64(want)
		want = s.pitchFrom(c, want)
		if want > 0 { // fewer prospects than reach: the rest is idle
			*carry = 0
		}
	}
}

// pitchFrom lets channel c's sales team pitch up to want other channels'
// customers, scanning its targeting order from its cursor, at most once
// around; it returns the pitches left unmade. The order is scanned in
// chunks: the chunk's workloads' channels are read, and the records of
// those to pitch touched, before the first decision of the chunk, so that
// at scale their reads from memory overlap rather than queue. Each
// decision changes only its own workload's channel, and a chunk holds
// distinct workloads, so the channels read first are those each decision
// would have read.
func (s *Sim) pitchFrom(c, want int) int {
	order := s.popc.order[c]
	n := len(order)
	if n == 0 {
		return want
	}
	start := s.rs.cursor[c] // the workload scanned is order[(start+scanned) % n]
	var slots [touchAhead]int32
	var chans [touchAhead]int8
	scanned := 0
	for want > 0 && scanned < n {
		m := min(touchAhead, n-scanned)
		for j, p := 0, (start+scanned)%n; j < m; j++ {
			slots[j] = order[p]
			if p++; p == n {
				p = 0
			}
		}
		for j := range m {
			chans[j] = s.cur[slots[j]]
		}
		for j := range m {
			if cc := chans[j]; cc >= 0 && int(cc) != c {
				s.touched += s.touch(int(slots[j]))
			}
		}
		for j := 0; j < m && want > 0; j++ {
			scanned++
			if cc := chans[j]; cc >= 0 && int(cc) != c {
				// The chunk's next workload to pitch, if one is left and
				// wanted, is pitched together with this one; those between
				// are scanned, not pitched.
				k := j + 1
				for k < m && (chans[k] < 0 || int(chans[k]) == c) {
					k++
				}
				if want >= 2 && k < m && s.pitchPair(int(slots[j]), int(slots[k]), c) {
					scanned += k - j
					j = k
					want -= 2
					continue
				}
				slot := int(slots[j])
				s.decide(int(s.popc.idxOf[slot]), slot, s.buyerSlot(slot), agents.PurposeDecidePitch, c)
				want--
			}
		}
	}
	s.rs.cursor[c] = (start + scanned) % n
	return want
}

// pitchPair makes channel c's pitches to the workloads at slot0 and slot1
// (distinct, neither buying through c) together (chooseTwo) and moves them
// in order, as two decide calls would, when both buyers are on the fast
// path; it reports whether it did.
func (s *Sim) pitchPair(slot0, slot1, c int) bool {
	w0, w1 := s.workload(slot0, s.buyerSlot(slot0)), s.workload(slot1, s.buyerSlot(slot1))
	ch0, ch1, ok := s.chooseTwo(w0, w1, agents.PurposeDecidePitch, c)
	if !ok {
		return false
	}
	s.decisions += 2
	s.move(slot0, w0.bs, w0.cur, ch0)
	s.move(slot1, w1.bs, w1.cur, ch1)
	return true
}

// touchAhead is how many workloads' records are touched ahead of their
// decisions (see touch).
const touchAhead = 16

// touch reads a word of each cache line a decision of the workload at slot
// reads (its cached weights, record, channel holdings, cloud and index)
// and returns a hash of them, which the caller keeps (so the reads stay).
// Decisions visited in random order (adoptions, pitches) touch a chunk
// ahead: at scale each read misses the caches, and misses issued together
// overlap, while a decision's own reads, each waiting for the one before,
// would queue.
func (s *Sim) touch(slot int) uint64 {
	bs := s.buyerSlot(slot)
	bc := &s.logit.buyers[bs]
	return math.Float64bits(bc.w[0]) ^ math.Float64bits(bc.w[8]) ^ uint64(bc.epoch) ^
		uint64(s.popc.buyers[slot].adopt) ^ uint64(s.held[bs*nAlt]) ^ uint64(s.inc[slot]) ^ uint64(s.popc.idxOf[slot])
}

// record adds month index k's ramps to the running sums and records the
// month in d: usage at list prices by slot, customers, prices, adoptions
// (and customers by segment and cloud with a breakdown). It returns each
// alternative's usage after bundle discounts.
func (s *Sim) record(d *dynamics, k int) (usage [nAlt]float64) {
	const perChan = agents.NumSegments * agents.NumClouds
	var slots [nSlot]float64
	rs := &s.rs
	for j := 0; j < nSlot; j++ {
		rs.runA[j] += s.dA[k*nSlot+j]
		rs.runB[j] += s.dB[k*nSlot+j]
		if s.count[j/perChan] > 0 {
			slots[j] = math.Max(0, rs.runA[j]+rs.runB[j]*float64(k))
		}
	}
	for a := 0; a < nAlt; a++ {
		own := agents.ChannelCloud[a]
		for j := a * perChan; j < (a+1)*perChan; j++ {
			if agents.Cloud(j%agents.NumClouds) == own {
				usage[a] += slots[j] * (1 - s.env.bundle[a])
			} else {
				usage[a] += slots[j]
			}
		}
	}
	d.usage[k] = slots
	d.count[k] = s.count
	d.price[k] = rs.price
	d.adopted[k] = int32(rs.adopted)
	if d.key.breakdown {
		d.bySegment[k] = s.segCount
		d.byCloud[k] = s.cloudCount
	}
	return usage
}

// adaptPrices records each channel's share of its maker's usage in month
// index k; a seller whose share fell by more than its trigger over the
// lookback cuts its price, at most once a lookback, never below its floor.
// Share is of usage as record returns it: at OpenAI's list prices (before
// any channel's price index) net of bundle discounts, without usage growth
// or the agent weight, which multiply every channel alike; so the seller's
// own cut does not feed back into it (docs/model.md §7.7).
func (s *Sim) adaptPrices(cfg *Config, k int, usage *[nAlt]float64) {
	rs := &s.rs
	t := s.env.t
	var tot [agents.NumMakers]float64
	for c := 0; c < nChan; c++ {
		tot[agents.ChannelMaker[c]] += usage[c]
	}
	for c := 0; c < nChan; c++ {
		sh := 0.0
		if m := agents.ChannelMaker[c]; tot[m] > 0 {
			sh = usage[c] / tot[m]
		}
		s.shareHist[k][c] = sh
		ap := &cfg.Sellers[c].Adaptive
		if !ap.Enabled || t < ap.From || k < ap.LookbackMonths || k-rs.lastCut[c] < ap.LookbackMonths {
			continue
		}
		if sh < s.shareHist[k-ap.LookbackMonths][c]*(1-ap.Trigger) && rs.price[c] > rs.floor[c] {
			rs.price[c] = math.Max(rs.floor[c], rs.price[c]*(1-ap.Step))
			rs.lastCut[c] = k
		}
	}
}

// utility is the deterministic utility of channel c this month to the
// buyer of the workload at slot, without the stay and pitch terms
// (docs/model.md §7.3).
func (s *Sim) utility(slot, c int) float64 {
	return s.env.constant[c] + s.buyerUtility(slot, c)
}

// buyerUtility is utility without the channel's constant: the part that
// depends on the buyer, which its cached weights hold.
func (s *Sim) buyerUtility(slot, c int) float64 {
	env := &s.env
	b := &s.popc.buyers[slot]
	net := env.price[c]
	u := b.security*env.security[c] +
		b.support*env.support[c] -
		b.early*env.lag[c]
	switch cl := agents.ChannelCloud[c]; cl {
	case s.inc[slot]:
		net *= 1 - env.bundle[c]
		u += b.fit
	case agents.CloudNone:
	default:
		u -= env.misfit
	}
	return u - b.price*net
}

// decide lets workload i (at slot, of the buyer at buyer slot bs) choose
// among this month's available channels, with a pitch bonus for channel
// pitch (or none, -1), and moves its spend.
//
// A buyer's part of a utility changes only when a channel's availability,
// release lag or price does, so each buyer's channel weights e^(that part)
// are cached and recomputed only when stale; the channel's constant
// (which moves with every release), the stay and the pitch terms enter as
// factors. A decision then costs one keyed draw, a few loads and a scan,
// with an exponential only for a stale channel. Workloads or months with utilities too large for that take
// the log-sum-exp path (agents.ChooseLogit); both sample the same logit.
func (s *Sim) decide(i, slot, bs int, purpose agents.Purpose, pitch int) {
	env := &s.env
	cur := int(s.cur[slot])
	u := env.draw(purpose, i, pitch)
	s.decisions++
	choice := -1
	if bc := &s.logit.buyers[bs]; env.fast && s.fresh(slot, bc) {
		choice = env.choose(&bc.w, cur, pitch, bc.stayW, u)
	}
	if choice < 0 {
		choice = s.decideSlow(i, slot, cur, pitch, u)
	}
	s.move(slot, bs, cur, choice)
}

// move moves the workload at slot (of the buyer at buyer slot bs) from
// channel cur (-1 for none) to channel choice (-1: no move), if they differ: what
// addRamp(cur, −1) then addRamp(choice, +1) do, with the ramp's terms
// worked out once (the removal's are the addition's negated, which is
// exact: rounding is symmetric about zero).
func (s *Sim) move(slot, bs, cur, choice int) {
	if choice == cur || choice < 0 {
		return
	}
	k := s.env.k
	b := &s.popc.buyers[slot]
	budget, seg, inc := b.budget, b.segment, s.inc[slot]
	a := int(b.adopt - s.popc.key.start)
	e := a + int(s.env.ramp) - 1
	to := usageSlot(choice, seg, inc)
	if k < e {
		r := float64(s.env.ramp)
		slope := budget / r
		icpt := budget * float64(1-a) / r
		if cur >= 0 {
			s.rampFrom(k, e, usageSlot(cur, seg, inc), -slope, -icpt, -(budget - icpt))
		}
		s.rampFrom(k, e, to, slope, icpt, budget-icpt)
	} else {
		if cur >= 0 {
			s.dA[k*nSlot+usageSlot(cur, seg, inc)] += -budget
		}
		s.dA[k*nSlot+to] += budget
	}
	if cur >= 0 {
		s.hold(bs, cur, seg, inc, -1)
	}
	s.hold(bs, choice, seg, inc, +1)
	s.cur[slot] = int8(choice)
}

// rampFrom adds a ramp from month index k to e in usage slot j: slope and
// intercept from k, and at e (if simulated) the slope off and rest (the
// budget less the intercept) on, as addRamp does.
func (s *Sim) rampFrom(k, e, j int, slope, icpt, rest float64) {
	s.dB[k*nSlot+j] += slope
	s.dA[k*nSlot+j] += icpt
	if e < int(s.env.months) {
		s.dB[e*nSlot+j] -= slope
		s.dA[e*nSlot+j] += rest
	}
}

// hold counts one more (delta +1) or one fewer (−1) workload of the buyer
// at buyer slot bs (of segment seg and cloud inc) on channel alt, and the
// buyer as a customer of alt while any of its workloads buys there.
func (s *Sim) hold(bs, alt int, seg agents.Segment, inc agents.Cloud, delta int) {
	h := &s.held[bs*nAlt+alt]
	before := *h
	*h = uint8(int(before) + delta)
	// A customer more when the count leaves 0, one fewer when it reaches it.
	d := int32(b2i(before == 0) - b2i(*h == 0))
	s.count[alt] += d
	s.segCount[seg][alt] += d
	s.cloudCount[inc][alt] += d
}

// decidePair is decide for workloads i and i+1 (at slot and slot+1) of the
// buyer at buyer slot bs, without a pitch: on the fast path both choose
// together (chooseTwo) and then move in order, the first first, as two
// decide calls would.
func (s *Sim) decidePair(i, slot, bs int, purpose agents.Purpose) {
	w0 := workload{i, slot, bs, int(s.cur[slot])}
	w1 := workload{i + 1, slot + 1, bs, int(s.cur[slot+1])}
	ch0, ch1, ok := s.chooseTwo(w0, w1, purpose, -1)
	if !ok {
		s.decide(i, slot, bs, purpose, -1)
		s.decide(i+1, slot+1, bs, purpose, -1)
		return
	}
	s.decisions += 2
	s.move(slot, bs, w0.cur, ch0)
	s.move(slot+1, bs, w1.cur, ch1)
}

// setAvail sets the month's open channels: avail, and open and nOpen that
// list them in order.
func (e *monthEnv) setAvail(avail agents.Available) {
	e.avail, e.nOpen = avail, 0
	for c := 0; c < nChan; c++ {
		if avail.Has(c) {
			e.open[e.nOpen] = int8(c)
			e.nOpen++
		}
	}
}

// choose samples a channel from cached weights w, with stay factor stayW
// on channel cur and the pitch factor on channel pitch (each -1 for none),
// with the uniform u: the choice agents.ChooseWeighted makes from those
// weights with every closed channel's set to zero, computed over the open
// channels only (a zero weight adds nothing to the cumulative weights,
// x+0 = x exactly, and is never chosen, so skipping it changes no bit).
// The cache keeps a closed channel's last weight for when it reopens; it
// is never read. It returns -1 when no channel is open.
func (e *monthEnv) choose(w *[nAlt]float64, cur, pitch int, stayW, u float64) int {
	if e.nOpen == 0 {
		return -1
	}
	cum, c := e.cumulate(w, cur, pitch, stayW)
	return e.pick(&cum, c, u)
}

// cumulate returns the cumulative weights over the open channels (as
// bits, +Inf's past them, see pick) and their total, from weights w with
// the stay factor on channel cur and the pitch factor on channel pitch
// (-1: none).
func (e *monthEnv) cumulate(w *[nAlt]float64, cur, pitch int, stayW float64) ([nAlt]uint64, float64) {
	v := *w
	if cur >= 0 {
		v[cur] *= stayW
	}
	if pitch >= 0 {
		v[pitch] *= e.bonusW[pitch]
	}
	cum := allInf // positions past the open channels count nothing
	c := 0.0
	for p, j := range e.open[:e.nOpen] {
		c += v[j] * e.constW[j]
		cum[p] = math.Float64bits(c)
	}
	return cum, c
}

// pick is the choice from cumulative weights cum totalling c (from
// cumulate, at least one channel open) with the uniform u.
// ChooseWeighted's choice is the count of cumulative weights of the first
// nAlt−1 channels at or below the target; equal cumulative weights
// (closed channels) are counted past, so it is the open channel at that
// count among the open ones (the last open one when the count passes them
// all: so the total, the last open channel's cumulative weight, may be
// counted or not, whether or not that channel is the last of all).
func (e *monthEnv) pick(cum *[nAlt]uint64, c, u float64) int {
	return int(e.open[min(countAtOrBelow(u*c, cum), e.nOpen-1)])
}

// choosePair is choose for two decisions, from weights w0 and w1 with stay
// factors stay0 and stay1 on channels c0 and c1, the pitch factor on
// channel pitch (-1: none) for both, and uniforms u0 and u1: the same
// operations in the same order for each, interleaved.
func (e *monthEnv) choosePair(w0, w1 *[nAlt]float64, c0, c1, pitch int, stay0, stay1, u0, u1 float64) (int, int) {
	n := e.nOpen
	if n == 0 {
		return -1, -1
	}
	v0, v1 := *w0, *w1
	if c0 >= 0 {
		v0[c0] *= stay0
	}
	if c1 >= 0 {
		v1[c1] *= stay1
	}
	if pitch >= 0 {
		v0[pitch] *= e.bonusW[pitch]
		v1[pitch] *= e.bonusW[pitch]
	}
	cum0, cum1 := allInf, allInf
	s0, s1 := 0.0, 0.0
	for p, j := range e.open[:n] {
		k := e.constW[j]
		s0 += v0[j] * k
		s1 += v1[j] * k
		cum0[p], cum1[p] = math.Float64bits(s0), math.Float64bits(s1)
	}
	return e.pick(&cum0, s0, u0), e.pick(&cum1, s1, u1)
}

// countAtOrBelow counts the first nAlt−1 cumulative weights at or below
// t, given as their bits. Weights, their sums and the target are finite
// and non-negative (+0, never −0), and such floats order as their bits do
// as integers below 2^63, so each comparison is an integer subtraction
// whose sign bit says "above": written out, no loop, no branch, no
// floating-point compare.
func countAtOrBelow(t float64, cum *[nAlt]uint64) int {
	tb := math.Float64bits(t)
	above := (tb-cum[0])>>63 + (tb-cum[1])>>63 + (tb-cum[2])>>63 + (tb-cum[3])>>63 +
		(tb-cum[4])>>63 + (tb-cum[5])>>63 + (tb-cum[6])>>63 + (tb-cum[7])>>63 +
		(tb-cum[8])>>63 + (tb-cum[9])>>63 + (tb-cum[10])>>63 + (tb-cum[11])>>63 +
		(tb-cum[12])>>63
	return nAlt - 1 - int(above)
}

// infBits is +Inf's bits: above every finite cumulative weight.
var infBits = math.Float64bits(math.Inf(1))

// allInf is cumulative weights that count nothing (all +Inf), where the
// choices start.
var allInf = func() (a [nAlt]uint64) {
	for i := range a {
		a[i] = infBits
	}
	return a
}()

// countAtOrBelow is written out for fourteen channels: this fails to
// compile for any other number.
const _ = uint(nAlt-14) + uint(14-nAlt)

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fresh refreshes the cached weights bc of the buyer of the workload at
// slot if they are stale and reports whether a decision may use them (not
// a slow buyer): the fast path's test, on a month that allows it.
func (s *Sim) fresh(slot int, bc *buyerWeights) bool {
	if bc.slow {
		return false
	}
	if bc.epoch != s.logit.count { // a channel changed since: refresh
		s.refreshWeights(slot, bc)
	}
	return !bc.slow
}

// refreshWeights recomputes the stale cached weights bc of the buyer of the
// workload at slot; it marks the buyer slow if a utility is too large for
// cached weights.
func (s *Sim) refreshWeights(slot int, bc *buyerWeights) {
	env := &s.env
	for _, c8 := range env.open[:env.nOpen] {
		// A closed channel's weight is never read (choices sum the open
		// channels only), so it keeps the weight of its last open view:
		// valid again if the channel reopens with that view, as it does
		// in a run's next scenario. A channel's version changes with its
		// availability, so one that opens is checked.
		if c := int(c8); bc.ver[c] != s.logit.ver[c] {
			v := s.buyerUtility(slot, c)
			if math.Abs(v) > maxCachedExponent {
				bc.slow = true
				return
			}
			bc.w[c] = detmath.Exp(v)
			bc.ver[c] = s.logit.ver[c]
		}
	}
	bc.epoch = s.logit.count
}

// decideSlow is decide's log-sum-exp path, for utilities too large for
// cached weights.
func (s *Sim) decideSlow(i, slot, cur, pitch int, u float64) int {
	env := &s.env
	var v [nAlt]float64
	for c := 0; c < nChan; c++ {
		if env.avail.Has(c) {
			v[c] = s.utility(slot, c)
		}
	}
	if cur >= 0 {
		v[cur] += s.popc.pop.Pref[agents.PrefStay][i]
	}
	if pitch >= 0 {
		v[pitch] += env.bonus[pitch]
	}
	return agents.ChooseLogit(&v, env.avail, u)
}

// draw is the uniform for workload i's decision of this purpose this month.
// Several sellers may pitch one workload in the same month, so a pitch's
// draw is keyed by the pitching channel too (in index bits above the
// month's), else those decisions would share one uniform.
func (e *monthEnv) draw(purpose agents.Purpose, i, pitch int) float64 {
	idx := uint32(e.t)
	if pitch > 0 {
		idx |= uint32(pitch) << 20 // months are below 2^16; the index takes 26 bits
	}
	return e.st.Float64(purpose, uint32(i), idx)
}

// usageSlot is the usage slot of channel alt for a buyer of segment seg
// whose incumbent cloud is inc.
func usageSlot(alt int, seg agents.Segment, inc agents.Cloud) int {
	return (alt*agents.NumSegments+int(seg))*agents.NumClouds + int(inc)
}

// addRamp adds (sign +1) or removes (-1) the spend of the workload at slot
// (of the buyer at buyer slot bs) on channel alt from month index k on, in its usage slot, at list prices,
// and counts its buyer as a customer of alt while any of its workloads
// buys there. Its spend
// ramps linearly from adoption month a to its budget at e = a+ramp−1 and
// stays there: value(t) = slope·t + icpt on [a, e], then budget: two
// difference-array cells change at k, and two more at e during a ramp.
func (s *Sim) addRamp(slot, bs, alt, k int, sign float64) {
	b := &s.popc.buyers[slot]
	c := b.budget * sign
	inc := s.inc[slot] // the run's: cloud pull may have moved it
	seg := b.segment
	j := usageSlot(alt, seg, inc)
	a := int(b.adopt - s.popc.key.start)
	e := a + int(s.env.ramp) - 1
	if k < e {
		r := float64(s.env.ramp)
		icpt := c * float64(1-a) / r
		s.rampFrom(k, e, j, c/r, icpt, c-icpt)
	} else {
		s.dA[k*nSlot+j] += c
	}
	// Customers are accounts: the buyer counts once however many of its
	// workloads buy through alt.
	s.hold(bs, alt, seg, inc, int(sign))
}
