package market

import (
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// maxCachedExponent bounds the exponents whose exponentials are cached
// or multiplied on the fast path: a buyer's part of a utility, a channel's
// constant, the stay and the pitch term. A weight is the product of at
// most four such factors, so it lies within e^±600, far from overflow
// (e^709) and from the smallest normal float (e^−708), even summed over
// the channels. Larger terms (extreme preference weights or constants)
// take the log-sum-exp path.
const maxCachedExponent = 150

// buyerWeights is one buyer's cached logit weights, shared by its
// workloads (the same preferences and cloud), packed in three cache lines
// because a decision reads them together: w[c] = e^(the buyer's part of
// the utility of channel c: without the channel's constant, the stay and
// the pitch terms, which enter as factors), valid while ver[c] matches the
// channel's version; epoch is the last version handed out when they were
// all checked (while it is still the last, all are valid and no version
// need be compared); slow marks a buyer whose utilities are too large for
// cached weights; stay is the buyer's stay weight and stayW = e^stay. 192
// bytes: a record is three whole cache lines of the (page-aligned) slice.
type buyerWeights struct {
	w     [nChan]float64
	ver   [nChan]uint32
	epoch uint32
	slow  bool
	stayW float64
	stay  float64
}

// channelView is what buyers see of a channel in a month that their
// cached weights depend on: every input of Sim.buyerUtility besides the
// buyer's own preferences and cloud and the seller's configuration (fixed
// over a run). When it changes, cached weights of that channel are stale.
// The channel's constant, which changes with every release, is not in
// it: it enters a decision as the month's factor e^constant (monthEnv.constW),
// so a release costs no buyer an exponential.
type channelView struct {
	avail      bool
	lag, price float64
}

// logitCache holds each buyer's logit weights, keyed per channel by a
// version: channel c's weights are valid while their version is ver[c],
// which changes whenever the channelView of c does, and for every channel
// at the start of a run (a run may have other seller configurations).
type logitCache struct {
	buyers []buyerWeights
	ver    [nChan]uint32
	count  uint32 // the last version handed out
	seen   [nChan]channelView
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

// startRun makes every cached weight stale and re-marks the buyers whose
// stay term is too large for cached weights.
func (lc *logitCache) startRun() {
	for i := range lc.buyers {
		lc.buyers[i].slow = lc.buyers[i].stay > maxCachedExponent
	}
	lc.seen = [nChan]channelView{}
	for c := range lc.ver {
		lc.bump(c)
	}
	if lc.count > math.MaxUint32-1024 { // wrap: start afresh
		for i := range lc.buyers {
			lc.buyers[i].ver = [nChan]uint32{}
			lc.buyers[i].epoch = 0
		}
		lc.count = 0
		for c := range lc.ver {
			lc.bump(c)
		}
	}
}

// bump gives channel c a new version.
func (lc *logitCache) bump(c int) {
	lc.count++
	lc.ver[c] = lc.count
}

// observe records what buyers see of channel c this month, making its
// cached weights stale if that changed.
func (lc *logitCache) observe(c int, v channelView) {
	if v != lc.seen[c] {
		lc.bump(c)
		lc.seen[c] = v
	}
}
