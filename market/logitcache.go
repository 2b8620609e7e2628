package market

import (
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// maxCachedExponent bounds the exponents whose exponentials are cached
// or multiplied on the fast path: a buyer's part of a utility, a channel's
// constant and the pitch term in size, the stay from above only (a stay
// far below −150 would make the current channel's weight underflow, not
// overflow). A weight is the product of at most four such factors, so it
// lies below e^600, far from overflow (e^709), even summed over the
// channels. Larger terms (extreme preference weights or constants)
// take the log-sum-exp path.
const maxCachedExponent = 150

// buyerWeights is one buyer's cached logit weights, shared by its
// workloads (the same preferences and cloud), packed in three cache lines
// because a decision reads them together: w[c] = e^(the buyer's part of
// the utility of channel c: without the channel's constant, the stay and
// the pitch terms, which enter as factors), valid while ver[c] matches the
// version of channel c's current view; epoch is the cache's generation
// when they were all checked (while it is still the generation, all are
// valid and no version need be compared); slow marks a buyer whose
// utilities are too large for cached weights; moved, a buyer whose cloud
// moved this run (its weights are for that cloud); stay is the buyer's
// stay weight and stayW = e^stay. 192 bytes: a record is three whole cache
// lines of the (page-aligned) slice.
type buyerWeights struct {
	w     [nChan]float64
	ver   [nChan]uint32
	epoch uint32
	slow  bool
	moved bool
	stayW float64
	stay  float64
}

// channelView is what buyers see of a channel in a month that their
// cached weights depend on: every input of Sim.buyerUtility besides the
// buyer's own preferences and cloud and the run's seller configuration
// (weightInputs). The channel's constant, which changes with every
// release, is not in it: it enters a decision as the month's factor
// e^constant (monthEnv.constW), so a release costs no buyer an exponential.
type channelView struct {
	avail      bool
	lag, price float64
}

// weightInputs is what every buyer's weights depend on that is fixed over
// a run: each seller's security, support and bundle discount, and the
// misfit of a cloud the buyer does not use.
type weightInputs struct {
	security, support, bundle [nChan]float64
	misfit                    float64
}

// maxViews is how many views of a channel the cache remembers versions
// for: a run sees a few (channels open, release lags come and go, prices
// are cut), and the runs of one population (a run's scenarios) see mostly
// the same ones.
const maxViews = 16

// logitCache holds each buyer's logit weights, keyed per channel by the
// version of the view they were computed for. A version names one view
// of a channel under one weightInputs, so weights stay valid from run to
// run (the scenarios of a run share the population) wherever a channel
// shows the same view: only the views a run has not shown before cost
// each buyer an exponential. ver[c] is the version of channel c's current
// view; count, the generation, changes whenever any ver does.
type logitCache struct {
	buyers []buyerWeights
	ver    [nChan]uint32
	count  uint32 // the generation
	nextID uint32 // the last version handed out
	seen   [nChan]channelView
	inputs weightInputs
	known  [nChan]viewTable
}

// viewTable is the views of one channel that have versions: the last
// maxViews seen, replaced oldest first.
type viewTable struct {
	view [maxViews]channelView
	id   [maxViews]uint32
	n    int // entries used
	next int // the entry to replace when full
}

// reset sizes the cache for population pop, whose workload i has slot
// slotOf[i], with every weight stale. A buyer's W workloads have the slots
// s₀ .. s₀+W−1 with s₀ a multiple of W, so its weights are at s₀/W.
func (lc *logitCache) reset(pop *agents.Population, slotOf []int32) {
	nb, W := pop.Buyers(), pop.Workloads
	lc.buyers = resize(lc.buyers, nb)
	for b := 0; b < nb; b++ {
		w := pop.Pref[agents.PrefStay][b*W]
		bs := slotOf[b*W] / int32(W)
		lc.buyers[bs] = buyerWeights{stayW: detmath.Exp(w), stay: w}
	}
}

// startRun readies the cache for a run whose fixed inputs are in: weights
// of views seen before under the same inputs stay valid, except those of
// buyers whose cloud moved in the last run (each starts the run on its
// own cloud again); other inputs make every weight stale. It re-marks the
// buyers whose stay term is too large for cached weights.
func (lc *logitCache) startRun(in *weightInputs) {
	if *in != lc.inputs {
		lc.inputs = *in
		lc.known = [nChan]viewTable{}
	}
	for i := range lc.buyers {
		b := &lc.buyers[i]
		b.slow = b.stay > maxCachedExponent
		if b.moved {
			b.ver, b.epoch, b.moved = [nChan]uint32{}, 0, false
		}
	}
	// A run hands out at most 1 + nChan versions a month (and as many
	// generations), over at most 1,200 months: wrap before a run could.
	const margin = 1 << 16
	if lc.nextID > math.MaxUint32-margin || lc.count > math.MaxUint32-margin { // wrap: start afresh
		for i := range lc.buyers {
			lc.buyers[i].ver = [nChan]uint32{}
			lc.buyers[i].epoch = 0
		}
		lc.nextID, lc.count = 0, 0
		lc.known = [nChan]viewTable{}
	}
	// No channel has a view until the first month's: version 0, which no
	// weight is valid for once a month has begun.
	lc.ver = [nChan]uint32{}
	lc.count++
}

// observe records what buyers see of channel c this month, making its
// cached weights stale if that changed to a view whose weights a buyer
// may not hold.
func (lc *logitCache) observe(c int, v channelView) {
	if lc.ver[c] != 0 && v == lc.seen[c] {
		return
	}
	lc.seen[c] = v
	id := lc.known[c].version(v, &lc.nextID)
	if id != lc.ver[c] {
		lc.ver[c] = id
		lc.count++
	}
}

// version returns the version of view v, handing out the next one (from
// *last) for a view not in the table.
func (t *viewTable) version(v channelView, last *uint32) uint32 {
	for e := 0; e < t.n; e++ {
		if t.view[e] == v {
			return t.id[e]
		}
	}
	e := t.next
	if t.n < maxViews {
		e = t.n
		t.n++
	} else {
		t.next = (t.next + 1) % maxViews
	}
	*last++
	t.view[e], t.id[e] = v, *last
	return *last
}
