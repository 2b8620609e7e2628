package market

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/coopsim/coopsim/agents"
)

// TestChooseMatchesChooseWeighted: the stepper's choice over the open
// channels (choose, choosePair, with and without a pitch) picks what agents.ChooseWeighted picks from
// the same weights with the stay, pitch and constant factors applied (in
// that order), bit for bit: random weights, constants and availability,
// weights that underflow to zero, and
// targets that fall exactly on a cumulative weight (powers of two), where
// a comparison off by one would pick the neighbour.
func TestChooseMatchesChooseWeighted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var e monthEnv
	for trial := 0; trial < 20000; trial++ {
		avail := agents.Available(rng.Uint32N(1 << nChan))
		if trial%7 == 0 {
			avail = 1<<nChan - 1
		}
		e.setAvail(avail)
		var w [nAlt]float64
		for c := range w {
			e.constW[c] = math.Exp(rng.Float64()*6 - 3)
			if trial%3 == 0 {
				e.constW[c] = math.Ldexp(1, int(rng.IntN(3))-1)
			}
			switch {
			case !avail.Has(c):
			case trial%3 == 0: // powers of two: exact cumulative sums
				w[c] = math.Ldexp(1, int(rng.IntN(4)))
			case rng.IntN(5) == 0:
				w[c] = 0 // underflowed
			default:
				w[c] = math.Exp(rng.Float64()*20 - 10)
			}
		}
		cur, pitch := pickOpen(rng, avail), -1
		if rng.IntN(2) == 0 {
			pitch = pickOpen(rng, avail)
			if pitch == cur {
				pitch = -1
			}
		}
		stayW := math.Exp(rng.Float64()*4 - 1)
		e.bonusW[max(pitch, 0)] = math.Exp(rng.Float64() * 2)
		u := rng.Float64()
		switch trial % 5 {
		case 1:
			u = float64(rng.IntN(16)+1) / 16 // on a power-of-two sum's steps
			u = min(u, 0x1.fffffffffffffp-1)
		case 2:
			u = 0x1.fffffffffffffp-1
		}
		want := e.factored(w, cur, pitch, stayW)
		sum := sumOf(&want)
		exp := -1
		if avail != 0 && sum > 0 {
			exp = agents.ChooseWeighted(&want, avail, u)
		} else if avail != 0 {
			continue // all weights zero: outside ChooseWeighted's contract
		}
		// The cache keeps a closed channel's last weight: the choices must
		// not read it, so the weights they get hold garbage there.
		stale := func(v [nAlt]float64) [nAlt]float64 {
			for c := range v {
				if !avail.Has(c) {
					v[c] = math.Exp(rng.Float64()*20 - 10)
				}
			}
			return v
		}
		wg := stale(w)
		if got := e.choose(&wg, cur, pitch, stayW, u); got != exp {
			t.Fatalf("trial %d: choose = %d, ChooseWeighted = %d (weights %v, avail %014b, u %v)", trial, got, exp, want, avail, u)
		}
		// The second decision's weights: the same as the first's (a
		// buyer's two workloads) or another buyer's; with a pitch, the
		// same channel pitches it.
		w1 := w
		if trial%2 == 0 {
			for c := range w1 {
				w1[c] *= float64(rng.IntN(3)) // some weights zeroed
			}
		}
		c1, stay1 := pickOpen(rng, avail), math.Exp(rng.Float64()*4-1)
		if c1 == pitch {
			c1 = -1
		}
		want1 := e.factored(w1, c1, pitch, stay1)
		u1 := rng.Float64()
		exp1 := -1
		if avail != 0 && sumOf(&want1) > 0 {
			exp1 = agents.ChooseWeighted(&want1, avail, u1)
		}
		w1g := stale(w1)
		g0, g1 := e.choosePair(&wg, &w1g, cur, c1, pitch, stayW, stay1, u, u1)
		if g0 != exp || (g1 != exp1 && (avail == 0 || sumOf(&want1) > 0)) {
			t.Fatalf("trial %d (pitch %d): pair = %d, %d, want %d, %d", trial, pitch, g0, g1, exp, exp1)
		}
	}
}

// factored returns weights w with the stay factor on channel cur, the
// pitch factor on channel pitch (each -1 for none) and the constants'
// factors, in the order the stepper applies them.
func (e *monthEnv) factored(w [nAlt]float64, cur, pitch int, stay float64) [nAlt]float64 {
	if cur >= 0 {
		w[cur] *= stay
	}
	if pitch >= 0 {
		w[pitch] *= e.bonusW[pitch]
	}
	for c := range w {
		w[c] *= e.constW[c]
	}
	return w
}

// pickOpen returns a random channel of avail, or -1 (no current channel)
// one time in four or when avail is empty.
func pickOpen(rng *rand.Rand, avail agents.Available) int {
	if avail == 0 || rng.IntN(4) == 0 {
		return -1
	}
	for {
		if c := rng.IntN(nChan); avail.Has(c) {
			return c
		}
	}
}

func sumOf(w *[nAlt]float64) float64 {
	s := 0.0
	for _, x := range w {
		s += x
	}
	return s
}

// TestFastAndSlowPathsAgree: adding one amount to every channel's constant
// leaves the logit unchanged, whichever way it is computed. At +100 the
// fast path multiplies cached buyer weights by constant factors near
// e^100; at +160 every constant is past maxCachedExponent and every
// decision takes the log-sum-exp path (agents.ChooseLogit). With the same
// draws both must make the same choices, so the customers and spend of
// every channel and month are the same; rounding could only flip a choice
// whose draw fell within about 1e-15 of a boundary.
func TestFastAndSlowPathsAgree(t *testing.T) {
	base := smallConfig(2000)
	reg := compiled(t, "history", &base)
	key := agents.Key{Seed: 5, Run: 2}
	want := run(t, new(Sim), &base, reg, key)
	for _, shift := range []float64{100, 160} {
		cfg := base
		for c := range cfg.Sellers {
			cfg.Sellers[c].Constant += shift
		}
		var sim Sim
		got := run(t, &sim, &cfg, reg, key)
		if shift > maxCachedExponent && sim.env.fast {
			t.Fatalf("shift %g: the last month took the fast path with constants past %d", shift, maxCachedExponent)
		}
		if shift < maxCachedExponent && !sim.env.fast {
			t.Fatalf("shift %g: the last month took the log-sum-exp path with constants within %d", shift, maxCachedExponent)
		}
		if !reflect.DeepEqual(got.Customers, want.Customers) || !reflect.DeepEqual(got.Gross, want.Gross) {
			t.Errorf("shift %g: customers or gross revenue differ from the unshifted run", shift)
		}
		if got.Decisions != want.Decisions {
			t.Errorf("shift %g: %d decisions, want %d", shift, got.Decisions, want.Decisions)
		}
	}
}
