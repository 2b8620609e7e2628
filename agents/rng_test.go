package agents

import (
	"math"
	"testing"
)

// chiSquareLimit is the acceptance limit of a chi-square statistic with df
// degrees of freedom: mean df plus 4 standard deviations sqrt(2·df) (the
// normal approximation, good for df ≥ 100; p ≈ 1e-4).
func chiSquareLimit(df int) float64 { return float64(df) + 4*math.Sqrt(2*float64(df)) }

// TestFloat64Uniform: a million draws of Stream.Float64 fall evenly into
// 1000 bins (chi-square), each in (0,1), with mean 1/2 and variance 1/12.
func TestFloat64Uniform(t *testing.T) {
	const n, bins = 1_000_000, 1000
	st := Key{Seed: 42, Run: 3}.Stream()
	var counts [bins]int
	sum, sumSq := 0.0, 0.0
	for i := 0; i < n; i++ {
		u := st.Float64(PurposeDecideRenew, uint32(i), 17)
		if !(u > 0 && u < 1) {
			t.Fatalf("draw %d = %v, want in (0,1)", i, u)
		}
		counts[int(u*bins)]++
		sum += u
		sumSq += u * u
	}
	chi := 0.0
	e := float64(n) / bins
	for _, c := range counts {
		chi += (float64(c) - e) * (float64(c) - e) / e
	}
	if lim := chiSquareLimit(bins - 1); chi > lim {
		t.Errorf("chi-square %.1f over %d bins, limit %.1f", chi, bins, lim)
	}
	// Mean: se = sqrt(1/12/n); variance of u²: E u⁴ − (E u²)² = 1/5 − 1/9.
	mean := sum / n
	if se := math.Sqrt(1.0 / 12 / n); math.Abs(mean-0.5) > 4*se {
		t.Errorf("mean %.5f, want 0.5 ± %.5f", mean, 4*se)
	}
	if m2, se := sumSq/n, math.Sqrt((1.0/5-1.0/9)/n); math.Abs(m2-1.0/3) > 4*se {
		t.Errorf("E u² = %.5f, want 1/3 ± %.5f", m2, 4*se)
	}
}

// TestUint64ModUniform: the renewal phase is Uint64 % RenewalMonths; its
// residues are uniform (chi-square over 12 × 10 cells of two moduli).
func TestUint64ModUniform(t *testing.T) {
	const n = 600_000
	st := Key{Seed: 5}.Stream()
	var c12 [12]int
	var c10 [10]int
	for i := 0; i < n; i++ {
		x := st.Uint64(PurposeRenewalPhase, uint32(i), 0)
		c12[x%12]++
		c10[(x>>32)%10]++
	}
	chi := func(c []int) float64 {
		e := float64(n) / float64(len(c))
		s := 0.0
		for _, v := range c {
			s += (float64(v) - e) * (float64(v) - e) / e
		}
		return s
	}
	// Few degrees of freedom: use the exact 1e-4 quantiles of chi-square
	// with 11 and 9 df (38.1 and 33.7), not the normal approximation.
	if x := chi(c12[:]); x > 38.1 {
		t.Errorf("Uint64 %% 12: chi-square %.1f, limit 38.1", x)
	}
	if x := chi(c10[:]); x > 33.7 {
		t.Errorf("(Uint64 >> 32) %% 10: chi-square %.1f, limit 33.7", x)
	}
}

// correlation returns the sample correlation of n pairs.
func correlation(n int, pair func(i int) (float64, float64)) float64 {
	var sx, sy, sxx, syy, sxy float64
	for i := 0; i < n; i++ {
		x, y := pair(i)
		sx += x
		sy += y
		sxx += x * x
		syy += y * y
		sxy += x * y
	}
	f := float64(n)
	cov := sxy/f - sx/f*sy/f
	return cov / math.Sqrt((sxx/f-sx/f*sx/f)*(syy/f-sy/f*sy/f))
}

// TestStreamsIndependent: draws that differ in one coordinate of
// (key, purpose, id, index) are uncorrelated. Under independence the
// sample correlation of n pairs has se ≈ 1/sqrt(n); we allow 4 se. A 2-D
// chi-square of adjacent ids' pairs (32×32 cells) checks more than
// linear dependence.
func TestStreamsIndependent(t *testing.T) {
	const n = 500_000
	st := Key{Seed: 9, Run: 1}.Stream()
	next := Key{Seed: 9, Run: 2}.Stream()
	seed := Key{Seed: 10, Run: 1}.Stream()
	limit := 4 / math.Sqrt(n)
	for _, c := range []struct {
		name string
		pair func(i int) (float64, float64)
	}{
		{"adjacent ids", func(i int) (float64, float64) {
			return st.Float64(PurposeDecideAdopt, uint32(i), 5), st.Float64(PurposeDecideAdopt, uint32(i+1), 5)
		}},
		{"adjacent indexes (months)", func(i int) (float64, float64) {
			return st.Float64(PurposeDecideRenew, 77, uint32(i)), st.Float64(PurposeDecideRenew, 77, uint32(i+1))
		}},
		{"purposes", func(i int) (float64, float64) {
			return st.Float64(PurposeDecideRenew, uint32(i), 5), st.Float64(PurposeDecidePitch, uint32(i), 5)
		}},
		{"budget and adoption of a buyer", func(i int) (float64, float64) {
			return st.Float64(PurposeBudget, uint32(i), 0), st.Float64(PurposeAdoption, uint32(i), 0)
		}},
		{"adjacent runs", func(i int) (float64, float64) {
			return st.Float64(PurposeBudget, uint32(i), 0), next.Float64(PurposeBudget, uint32(i), 0)
		}},
		{"adjacent seeds", func(i int) (float64, float64) {
			return st.Float64(PurposeBudget, uint32(i), 0), seed.Float64(PurposeBudget, uint32(i), 0)
		}},
		{"id high bits", func(i int) (float64, float64) {
			return st.Float64(PurposeBudget, uint32(i)<<16, 0), st.Float64(PurposeBudget, uint32(i+1)<<16, 0)
		}},
	} {
		if r := correlation(n, c.pair); math.Abs(r) > limit {
			t.Errorf("%s: correlation %.5f, limit ±%.5f", c.name, r, limit)
		}
	}
	const g = 32
	var cells [g * g]int
	for i := 0; i < n; i++ {
		x := st.Float64(PurposeSegment, uint32(i), 0)
		y := st.Float64(PurposeSegment, uint32(i+1), 0)
		cells[int(x*g)*g+int(y*g)]++
	}
	chi, e := 0.0, float64(n)/(g*g)
	for _, c := range cells {
		chi += (float64(c) - e) * (float64(c) - e) / e
	}
	if lim := chiSquareLimit(g*g - 1); chi > lim {
		t.Errorf("pairs of adjacent ids: 2-D chi-square %.1f, limit %.1f", chi, lim)
	}
}

// unmix64 inverts mix64, so a test can make the stream return any word.
func unmix64(z uint64) uint64 {
	unshift := func(z uint64, s uint) uint64 {
		x := z
		for i := 0; i < 64; i += int(s) {
			x = z ^ x>>s
		}
		return x
	}
	inv := func(a uint64) uint64 { // Newton's iteration for a⁻¹ mod 2^64
		x := a
		for i := 0; i < 6; i++ {
			x *= 2 - a*x
		}
		return x
	}
	z = unshift(z, 31)
	z *= inv(0x94d049bb133111eb)
	z = unshift(z, 27)
	z *= inv(0xbf58476d1ce4e5b9)
	return unshift(z, 30)
}

// TestFloat64Ends: the extreme words give draws strictly inside (0,1), so
// logs and inverse CDFs (NormalQuantile of a budget draw) stay finite. The
// top word once gave exactly 1: 2^53 − 1 + 0.5 rounds to 2^53.
func TestFloat64Ends(t *testing.T) {
	for _, x := range []uint64{0, 1 << 11, math.MaxUint64, math.MaxUint64 - 1<<11, math.MaxUint64 >> 1} {
		h := unmix64(x) ^ (uint64(PurposeBudget)<<58 | 3<<32 | 12345)
		s := Stream{h}
		if got := s.Uint64(PurposeBudget, 12345, 3); got != x {
			t.Fatalf("unmix64 does not invert mix64: got %#x, want %#x", got, x)
		}
		u := s.Float64(PurposeBudget, 12345, 3)
		if !(u > 0 && u < 1) {
			t.Errorf("word %#x gives %v, want in (0,1)", x, u)
		}
		if q := NormalQuantile(u); math.IsInf(q, 0) || math.IsNaN(q) {
			t.Errorf("word %#x: NormalQuantile(%v) = %v", x, u, q)
		}
	}
}

// TestStreamPure: a draw depends only on the key and its coordinates.
func TestStreamPure(t *testing.T) {
	a := Key{Seed: 1, Run: 2}.Stream()
	b := Key{Seed: 1, Run: 2}.Stream()
	for i := uint32(0); i < 1000; i++ {
		if a.Uint64(PurposeBudget, i, i%7) != b.Uint64(PurposeBudget, i, i%7) {
			t.Fatal("two streams of one key differ")
		}
	}
	s1, s2 := a.Seeds(PurposePreference, 4)
	t1, t2 := a.Seeds(PurposePreference, 5)
	if s1 == t1 || s2 == t2 || s1 == s2 {
		t.Errorf("Seeds of adjacent ids or of one id's two words coincide: %x %x %x %x", s1, s2, t1, t2)
	}
	if a == (Key{Seed: 1, Run: 3}.Stream()) || a == (Key{Seed: 2, Run: 2}.Stream()) {
		t.Error("adjacent keys hash to the same stream")
	}
}

func TestNormalQuantile(t *testing.T) {
	for _, c := range []struct{ u, z float64 }{
		{0.5, 0}, {0.975, 1.959963984540054}, {0.025, -1.959963984540054}, {0.8413447460685429, 1},
	} {
		if got := NormalQuantile(c.u); math.Abs(got-c.z) > 1e-12 {
			t.Errorf("NormalQuantile(%v) = %v, want %v", c.u, got, c.z)
		}
	}
}

// Every purpose is its own stream: no two constants share a value (a
// shared value would make two kinds of draw the same numbers), and the
// newest ones were appended after the older ones, whose values (and so
// every existing result) did not move.
func TestPurposesDistinct(t *testing.T) {
	all := []Purpose{PurposeBudget, PurposeSegment, PurposeCloud, PurposePreference, PurposeAdoption,
		PurposeRenewalPhase, PurposeDecideAdopt, PurposeDecideRenew, PurposeDecidePitch, PurposeDecideForced,
		PurposeTargetOrder, PurposeOtherRevenue, PurposeOtherGrowth, PurposeUncertainty, PurposeStartShift,
		PurposeChainStart, PurposeSampler, PurposePredictive, PurposeCloudMove}
	seen := map[Purpose]int{}
	for i, p := range all {
		if j, ok := seen[p]; ok {
			t.Errorf("purposes %d and %d share the value %d", j, i, p)
		}
		seen[p] = i
		if want := Purpose(i + 1); p != want {
			t.Errorf("purpose %d has value %d, want %d (new purposes go at the end)", i, p, want)
		}
	}
	st := Key{Seed: 1}.Stream()
	for i, p := range all {
		for _, q := range all[i+1:] {
			if st.Float64(p, 3, 0) == st.Float64(q, 3, 0) {
				t.Errorf("purposes %d and %d give the same draw", p, q)
			}
		}
	}
}
