package design

import (
	"math/bits"

	"github.com/coopsim/coopsim/agents"
)

// Purpose names what a design's random draws are for, so that streams for
// different purposes never overlap. New purposes go at the end: renumbering
// would change every design.
type Purpose uint64

// The purposes of random draws.
const (
	PurposeLatin Purpose = iota + 1
	PurposeSobol
	PurposeMorris
	PurposeBootstrap
	PurposeScramble // the scrambles of a Saltelli design
)

// Stream is a counter-based random stream keyed by (seed, purpose): each
// draw is a hash of the key and two counters, so draws can be made in any
// order and any number of times with the same result. It hashes with the
// model's own mixer (agents.Mix64), as agents.Stream does, but keys two
// full 64-bit counters instead of agents' packed (purpose, id, index)
// word: a design's points were fixed with this keying (the sensitivity
// results quoted in the README come from them), so designs keep their own
// purposes and keying rather than drawing through agents.Stream.
type Stream struct{ h uint64 }

// NewStream returns the stream for (seed, purpose).
func NewStream(seed uint64, p Purpose) Stream {
	return Stream{agents.Mix64(agents.Mix64(seed+0x9e3779b97f4a7c15) ^ uint64(p)*0xd1b54a32d192ed03)}
}

// Sub returns the stream keyed by this stream's key and k: independent
// streams for the parts of a design, such as a Saltelli design's
// scrambles.
func (s Stream) Sub(k uint64) Stream { return Stream{s.Uint64(k, 0x5ca1ab1e)} }

// Uint64 returns the random word for the counters (i, j).
func (s Stream) Uint64(i, j uint64) uint64 {
	return agents.Mix64(agents.Mix64(s.h^i*0xbf58476d1ce4e5b9) ^ j*0x94d049bb133111eb)
}

// Float64 returns a uniform number in (0, 1) for the counters (i, j); it is
// never exactly 0 or 1, so inverse CDFs stay finite.
func (s Stream) Float64(i, j uint64) float64 {
	u := (float64(s.Uint64(i, j)>>11) + 0.5) * (1.0 / (1 << 53))
	return min(u, 0x1.fffffffffffffp-1)
}

// Intn returns a uniform integer in [0, n) for the counters (i, j), by
// Lemire's multiply-shift (the bias is below n/2^64). n must be positive.
func (s Stream) Intn(i, j uint64, n int) int {
	hi, _ := bits.Mul64(s.Uint64(i, j), uint64(n))
	return int(hi)
}
