package agents

import (
	"math"
	"math/bits"
)

// Purpose names what a random draw is for, so that streams for different
// purposes never overlap.
type Purpose uint32

// The purposes of random draws. New purposes go at the end: renumbering
// would change every result.
const (
	PurposeBudget Purpose = iota + 1
	PurposeSegment
	PurposeCloud
	PurposePreference
	PurposeAdoption
	PurposeRenewalPhase
	PurposeDecideAdopt
	PurposeDecideRenew
	PurposeDecidePitch
	PurposeDecideForced
	PurposeTargetOrder
	PurposeOtherRevenue
	PurposeOtherGrowth
	// PurposeUncertainty draws a run's uncertain parameters (package
	// experiments/dist): id is the parameter's hashed name.
	PurposeUncertainty
	// PurposeStartShift shifts the calibration's Halton starts (package
	// calibration): id is the parameter's index, in run 0 of the fit's seed.
	PurposeStartShift
	// PurposeChainStart draws the starting points of the posterior
	// sampler's chains (package calibration): id is the parameter's index,
	// in run c for chain c of the sampler's seed.
	PurposeChainStart
	// PurposeSampler seeds the posterior sampler's own streams (package
	// calibration/posterior): its moves and accept/reject draws (id 0) and
	// the prior draws that seed its archive (id 1), in run c for chain c.
	PurposeSampler
	// PurposePredictive draws the observation noise of the posterior
	// predictive check (package calibration/posterior): id is the target's
	// index, index 1, in the run of the predictive draw.
	PurposePredictive
	// PurposeCloudMove is whether a buyer moves its incumbent cloud at a
	// renewal (market, docs/model.md §7.11): id is the buyer, index the month.
	PurposeCloudMove
)

// Key identifies one run of one experiment. Every random number of the run
// is a pure function of the key and the draw's (purpose, buyer, month), a
// counter-based generator: the order in which buyers, months or goroutines
// are visited cannot change a result.
type Key struct {
	Seed uint64
	Run  uint64
}

// splitmix64's finaliser: a bijective mix with full avalanche (Steele, Lea &
// Flood 2014). Used to hash counters rather than seeding
// adjacent streams, whose states would be correlated.
func mix64(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	z ^= z >> 31
	return z
}

// base hashes the key once; draws then mix in their own counters.
func (k Key) base() uint64 {
	return mix64(mix64(k.Seed+0x9e3779b97f4a7c15) ^ (k.Run * 0xd1b54a32d192ed03))
}

// Stream is a Key with its hash precomputed, for hot loops.
type Stream struct{ h uint64 }

// Stream returns the key's precomputed stream.
func (k Key) Stream() Stream { return Stream{k.base()} }

// Uint64 returns the random 64-bit word for (purpose, id, index). The
// counter packs purpose (6 bits), index (26 bits) and id (32 bits) into one
// word, so distinct draws never share an input; one round of the
// finaliser, whose every input bit flips every output bit with probability
// one half, then scrambles it with the run's hash. index must be below
// 2^26 (months and targeting positions are) and the purpose below 64.
func (s Stream) Uint64(p Purpose, id uint32, index uint32) uint64 {
	return mix64(s.h ^ (uint64(p)<<58 | uint64(index&(1<<26-1))<<32 | uint64(id)))
}

// Float64 returns a uniform number in (0, 1) for (purpose, id, index); it is
// never exactly 0 or 1, so logs and inverse CDFs stay finite.
func (s Stream) Float64(p Purpose, id uint32, index uint32) float64 {
	u := (float64(s.Uint64(p, id, index)>>11) + 0.5) * (1.0 / (1 << 53))
	// The top word gives 2^53 − 0.5, which rounds to 2^53, so u = 1: take
	// the largest float64 below 1 instead. Every other draw is unchanged.
	return min(u, 0x1.fffffffffffffp-1)
}

// Seeds returns two words to seed a math/rand/v2 PCG for a sequential
// stream of (purpose, id), used where a buyer needs several draws at once.
func (s Stream) Seeds(p Purpose, id uint32) (uint64, uint64) {
	a := s.Uint64(p, id, 1<<26-1)
	hi, lo := bits.Mul64(a, 0x9e3779b97f4a7c15)
	return a, mix64(hi ^ lo)
}

// NormalQuantile returns the standard normal quantile of u in (0,1).
func NormalQuantile(u float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*u) }
