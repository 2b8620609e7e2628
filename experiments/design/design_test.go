package design

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/dist"
)

// The first eight points of the unscrambled Sobol sequence in dimensions
// 1-3 with the new-joe-kuo-6.21201 direction numbers, as printed by Joe and
// Kuo's reference program sobol.cc (https://web.maths.unsw.edu.au/~fkuo/sobol/),
// which starts at the origin and steps in Gray-code order; SciPy's
// stats.qmc.Sobol(scramble=False) gives the same points.
var sobolPublished = [8][3]float64{
	{0, 0, 0},
	{0.5, 0.5, 0.5},
	{0.75, 0.25, 0.25},
	{0.25, 0.75, 0.75},
	{0.375, 0.375, 0.625},
	{0.875, 0.875, 0.125},
	{0.625, 0.125, 0.875},
	{0.125, 0.625, 0.375},
}

func TestSobolMatchesPublished(t *testing.T) {
	s, err := NewSobol(3)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, 3)
	for i, want := range sobolPublished {
		s.Point(uint32(i), p)
		if !slices.Equal(p, want[:]) {
			t.Errorf("point %d = %v, want %v", i, p, want)
		}
	}
}

// In every dimension, the first 2^k points of a Sobol sequence put one
// point in each interval [m/2^k, (m+1)/2^k); Owen scrambling must keep it.
func TestSobolStratification(t *testing.T) {
	const d = 64
	s, err := NewSobol(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{0, 1, 12345} {
		for k := 1; k <= 10; k++ {
			n := 1 << k
			counts := make([][]int, d)
			for j := range counts {
				counts[j] = make([]int, n)
			}
			p := make([]float64, d)
			for i := range n {
				if seed == 0 {
					s.Point(uint32(i), p)
				} else {
					s.Scrambled(uint32(i), seed, p)
				}
				for j, u := range p {
					counts[j][int(u*float64(n))]++
				}
			}
			for j := range counts {
				for m, c := range counts[j] {
					if c != 1 {
						t.Fatalf("seed %d, 2^%d points, dim %d: interval %d holds %d points", seed, k, j, m, c)
					}
				}
			}
		}
	}
}

// Scrambling must actually move the points, differently per seed, and
// keep them uniform in 2-D projections: the Owen-scrambled sequence puts
// 2^k points, k = 8, one in each 16×16 square of dimensions (j, j+1) for
// the first pairs (the (0, 2k, 2)-net property of the first two
// dimensions, checked here for dimension pair 0-1).
func TestSobolScrambleMovesPoints(t *testing.T) {
	s, _ := NewSobol(2)
	a, b, c := make([]float64, 2), make([]float64, 2), make([]float64, 2)
	same := 0
	for i := range uint32(256) {
		s.Point(i, a)
		s.Scrambled(i, 7, b)
		s.Scrambled(i, 8, c)
		if math.Abs(a[0]-b[0]) < 1e-3 || math.Abs(b[0]-c[0]) < 1e-3 {
			same++
		}
	}
	// A coordinate of a random scramble lands within 1e-3 of another with
	// probability about 4e-3; 256 points x 2 comparisons expect 2.
	if same > 12 {
		t.Errorf("%d of 256 scrambled points sit on the unscrambled or other seed's point", same)
	}
	grid := make(map[[2]int]int)
	for i := range uint32(256) {
		s.Scrambled(i, 7, b)
		grid[[2]int{int(b[0] * 16), int(b[1] * 16)}]++
	}
	if len(grid) != 256 {
		t.Errorf("256 scrambled points fill %d of 256 squares of side 1/16", len(grid))
	}
}

func TestLatinHypercubeStrata(t *testing.T) {
	for _, n := range []int{1, 2, 7, 100} {
		pts, err := LatinHypercube(n, 5, 42)
		if err != nil {
			t.Fatal(err)
		}
		for j := range 5 {
			seen := make([]bool, n)
			for _, p := range pts {
				k := int(p[j] * float64(n))
				if p[j] < 0 || p[j] >= 1 || seen[k] {
					t.Fatalf("n=%d dim %d: stratum %d twice or point %g outside", n, j, k, p[j])
				}
				seen[k] = true
			}
		}
	}
	a, _ := LatinHypercube(50, 3, 1)
	b, _ := LatinHypercube(50, 3, 1)
	c, _ := LatinHypercube(50, 3, 2)
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Error("same seed, different points")
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Error("different seeds, same points")
	}
}

func TestMorrisTrajectories(t *testing.T) {
	const r, d, p = 20, 6, 4
	m, err := NewMorris(r, d, p, 3)
	if err != nil {
		t.Fatal(err)
	}
	if m.Delta != 2.0/3 {
		t.Fatalf("Delta = %g, want p/(2(p-1)) = 2/3", m.Delta)
	}
	for tr := range r {
		moved := make([]bool, d)
		for k := range d {
			j, step := m.Step(tr, k)
			if moved[j] || math.Abs(math.Abs(step)-m.Delta) > 1e-15 {
				t.Fatalf("trajectory %d step %d: factor %d moves by %g (moved before: %v)", tr, k, j, step, moved[j])
			}
			moved[j] = true
			a, b := m.Unit[tr*(d+1)+k], m.Unit[tr*(d+1)+k+1]
			for i := range d {
				if i != j && a[i] != b[i] {
					t.Fatalf("trajectory %d step %d: factor %d also changed", tr, k, i)
				}
			}
		}
		for _, u := range m.Unit[tr*(d+1)] {
			l := u * (p - 1)
			if l != math.Round(l) || u < 0 || u > 1 {
				t.Fatalf("trajectory %d: coordinate %g off the grid", tr, u)
			}
		}
	}
}

func TestSaltelliLayout(t *testing.T) {
	const n, d, r = 16, 3, 4
	s, err := NewSaltelli(n, d, r, 9)
	if err != nil {
		t.Fatal(err)
	}
	for j := range n {
		a, b := s.Unit[s.Row(j, 0)], s.Unit[s.Row(j, d+1)]
		for i := range d {
			ab := s.Unit[s.Row(j, 1+i)]
			for c := range d {
				want := a[c]
				if c == i {
					want = b[c]
				}
				if ab[c] != want {
					t.Fatalf("A_B^(%d) row %d col %d = %g, want %g", i, j, c, ab[c], want)
				}
			}
		}
	}
	// Each scramble is a balanced net on its own: its n/r = 4 points of A
	// and of B fall one in each quarter of every coordinate. And the
	// scrambles differ: their first points are not the same.
	for k := range r {
		for _, col := range []int{0, d + 1} {
			for c := range d {
				var seen [n / r]bool
				for j := k * n / r; j < (k+1)*n/r; j++ {
					seen[int(s.Unit[s.Row(j, col)][c]*n/r)] = true
				}
				if seen != [n / r]bool{true, true, true, true} {
					t.Errorf("scramble %d, matrix row %d, coordinate %d: quarters %v, want one point in each", k, col, c, seen)
				}
			}
		}
		if k > 0 && s.Unit[s.Row(k*n/r, 0)][0] == s.Unit[0][0] {
			t.Errorf("scramble %d starts where scramble 0 does", k)
		}
	}
	// The refusals name the parameter (ParamBaseSize, ParamScrambles,
	// ParamFactors) and want MinScrambles scrambles at least: one scramble
	// gives no spread to take an interval from, so the smallest design is
	// 2 scrambles of 2 base rows.
	var pe *ParamError
	for _, c := range []struct{ n, d, r int }{{100, 3, 2}, {2, 3, 2}, {0, 3, 2}, {-4, 3, 2}} {
		if _, err := NewSaltelli(c.n, c.d, c.r, 1); !errors.As(err, &pe) || pe.Param != ParamBaseSize || !strings.Contains(pe.Want, "at least 4") {
			t.Errorf("base size %d: err = %v, want a ParamError on the base size wanting at least 4", c.n, err)
		}
	}
	for _, bad := range []int{-2, 0, 1, 3, 64, 128} {
		if _, err := NewSaltelli(64, 3, bad, 1); !errors.As(err, &pe) || pe.Param != ParamScrambles || !strings.Contains(pe.Want, "from 2 to 32") {
			t.Errorf("%d scrambles of 64 base rows: err = %v, want a ParamError on the scrambles wanting 2 to 32", bad, err)
		}
	}
	if _, err := NewSaltelli(MinScrambles*2, 3, MinScrambles, 1); err != nil {
		t.Errorf("%d scrambles of 2 base rows: %v", MinScrambles, err)
	}
	if _, err := NewSaltelli(64, MaxSobolDim/2+1, 2, 1); !errors.As(err, &pe) || pe.Param != ParamFactors {
		t.Errorf("too many factors: err = %v, want a ParamError on the factors", err)
	}
}

// TestCheckSaltelliScramblesHint: scrambles that are a valid power of two
// but leave a scramble fewer than 2 of the base rows are told the base
// size that takes them (2×scrambles: 16 for 8 scrambles of 8 rows, 64 for
// 32 scrambles of 16), up to MaxBaseSize; past it, and for scrambles no
// base size takes (not a power of two, or under MinScrambles), only the
// scrambles the base size allows are named. A base size over MaxBaseSize
// is refused.
func TestCheckSaltelliScramblesHint(t *testing.T) {
	for _, c := range []struct {
		n, r int
		hint string // "" for none
	}{
		{8, 8, "or a base size of at least 16"},                     // scrambles = n
		{16, 32, "or a base size of at least 64"},                   // scrambles = 2n
		{8, MaxBaseSize / 2, "or a base size of at least 16777216"}, // 2×scrambles = MaxBaseSize
		{8, MaxBaseSize, ""},                                        // 2×scrambles past MaxBaseSize
		{8, math.MaxInt/2 + 1, ""},                                  // 2×scrambles overflows int
		{8, 24, ""},                                                 // not a power of two
		{8, 1, ""},                                                  // under MinScrambles
	} {
		pe := CheckSaltelli(c.n, 3, c.r)
		if pe == nil || pe.Param != ParamScrambles {
			t.Errorf("%d scrambles of %d base rows: %v, want a ParamError on the scrambles", c.r, c.n, pe)
			continue
		}
		want := fmt.Sprintf("a power of two from 2 to %d, so that each scramble has at least 2 of the %d base rows", c.n/2, c.n)
		if c.hint != "" {
			want += ", " + c.hint
		}
		if pe.Want != want {
			t.Errorf("%d scrambles of %d base rows: Want = %q, want %q", c.r, c.n, pe.Want, want)
		}
	}
	if pe := CheckSaltelli(MaxBaseSize, 3, 2); pe != nil {
		t.Errorf("base size %d: %v", MaxBaseSize, pe)
	}
	if pe := CheckSaltelli(2*MaxBaseSize, 3, 2); pe == nil || pe.Param != ParamBaseSize || !strings.Contains(pe.Want, "from 4 to 16777216") {
		t.Errorf("base size %d: %v, want a ParamError on the base size wanting 4 to 16777216", 2*MaxBaseSize, pe)
	}
}

func TestFactorValue(t *testing.T) {
	f := Factor{Name: "m", Low: 3, High: 5, Kind: dist.Month}
	counts := map[float64]int{}
	for i := range 300 {
		counts[f.Value((float64(i)+0.5)/300)]++
	}
	if counts[3] != 100 || counts[4] != 100 || counts[5] != 100 || f.Value(1) != 5 || f.Value(0) != 3 {
		t.Errorf("month factor [3,5]: counts %v, Value(1) = %g", counts, f.Value(1))
	}
	r := Factor{Name: "x", Low: -1, High: 3}
	if r.Value(0.25) != 0 || r.Value(1) != 3 {
		t.Errorf("real factor: Value(0.25) = %g", r.Value(0.25))
	}
	for _, bad := range []Factor{
		{Name: "x", Low: 2, High: 1},
		{Name: "x", Low: 1, High: 1},
		{Name: "x", Low: 0, High: math.Inf(1)},
		{Name: "x", Low: 0.5, High: 3, Kind: dist.Integer},
		{Low: 0, High: 1},
	} {
		var pe *ParamError
		if err := bad.Validate(); !errors.As(err, &pe) {
			t.Errorf("%+v: Validate = %v, want a ParamError", bad, err)
		}
	}
	if err := ValidateFactors([]Factor{{Name: "x", High: 1}, {Name: "x", High: 2}}); err == nil {
		t.Error("duplicate factor names accepted")
	}
}

// expQuantile is the unit exponential's quantile, a distribution with an
// infinite upper end.
type expQuantile struct{}

func (expQuantile) Quantile(p float64) float64 { return -math.Log1p(-p) }

func TestDistributionFactors(t *testing.T) {
	f := Factor{Name: "e", Dist: expQuantile{}}
	if got, want := f.Value(0.5), math.Ln2; math.Abs(got-want) > 1e-15 {
		t.Errorf("median = %g, want ln 2", got)
	}
	m, _ := NewMorris(2, 1, 4, 1)
	// Grid level 3 of 4 (u = 1) maps to the top bin's centre, 7/8.
	if got, want := m.Value(f, 1), -math.Log(1.0/8); math.Abs(got-want) > 1e-12 {
		t.Errorf("Morris top level = %g, want %g", got, want)
	}
	whole := Factor{Name: "w", Dist: expQuantile{}, Kind: dist.Integer}
	if got := whole.Value(0.5); got != 1 {
		t.Errorf("integer exponential median = %g, want round(ln 2) = 1", got)
	}
	pts, _ := SobolPoints(64, 2, 5)
	vals := Values([]Factor{f, {Name: "x", Low: 10, High: 20}}, pts)
	for i, v := range vals {
		if math.IsInf(v[0], 0) || v[1] < 10 || v[1] > 20 {
			t.Fatalf("point %d maps to %v", i, v)
		}
	}
}

// TestStreamPinned pins a few words of each purpose's stream, as the
// stream gave them when it had its own copy of the mixer: designs, and the
// studies whose results the README quotes, keep their points. Do not change
// these values; a new keying needs a new purpose.
func TestStreamPinned(t *testing.T) {
	for _, c := range []struct {
		p        Purpose
		w00, w73 uint64
	}{
		{PurposeLatin, 0xe99de6414e625b, 0x31396166fe3c7eaf},
		{PurposeSobol, 0x87360f3c219fb4a8, 0xd1473473dd11755a},
		{PurposeMorris, 0xb50e82f37109ec18, 0x131c4aff9768049a},
		{PurposeBootstrap, 0xfbfe34d008d43547, 0xc8e2207b581fa4ba},
	} {
		s := NewStream(1, c.p)
		if a, b := s.Uint64(0, 0), s.Uint64(7, 3); a != c.w00 || b != c.w73 {
			t.Errorf("purpose %d: words %#x, %#x, want %#x, %#x", c.p, a, b, c.w00, c.w73)
		}
	}
}
