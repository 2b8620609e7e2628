package detmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

const refPrec = 256

// bigExp returns e^x to about 200 bits: the Taylor series of e^(x/2^24),
// squared 24 times.
func bigExp(x float64) *big.Float { return bigExpOf(new(big.Float).SetPrec(refPrec).SetFloat64(x)) }

func bigExpOf(x *big.Float) *big.Float {
	r := new(big.Float).SetPrec(refPrec).SetMantExp(x, -24)
	sum := new(big.Float).SetPrec(refPrec).SetInt64(1)
	term := new(big.Float).SetPrec(refPrec).SetInt64(1)
	for n := int64(1); n < 40; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(n))
		sum.Add(sum, term)
	}
	for range 24 {
		sum.Mul(sum, sum)
	}
	return sum
}

// bigLog returns ln x to about 200 bits: two Newton steps for e^y = x from
// a float64 start (each step squares the relative error of 1e-16).
func bigLog(x float64) *big.Float {
	frac, exp := math.Frexp(x) // math.Log is wrong for subnormal x on amd64
	y := new(big.Float).SetPrec(refPrec).SetFloat64(math.Log(frac) + float64(exp)*math.Ln2)
	for range 2 {
		yf, _ := y.Float64()
		e := bigExp(yf)
		q := new(big.Float).SetPrec(refPrec).Quo(new(big.Float).SetPrec(refPrec).SetFloat64(x), e)
		q.Sub(q, new(big.Float).SetInt64(1))
		y = q.Add(q, new(big.Float).SetPrec(refPrec).SetFloat64(yf))
	}
	return y
}

// ulpErr is |got − ref| in units of the last place of ref rounded to
// float64 (subnormal ulps below 2^-1022).
func ulpErr(got float64, ref *big.Float) float64 {
	rf, _ := ref.Float64()
	_, e := math.Frexp(rf)
	ulp := math.Ldexp(1, max(e-53, -1074))
	d := new(big.Float).SetPrec(refPrec).Sub(new(big.Float).SetPrec(refPrec).SetFloat64(got), ref)
	df, _ := d.Float64()
	return math.Abs(df) / ulp
}

func samples(t *testing.T, n int) int {
	if testing.Short() {
		return n / 10
	}
	return n
}

// TestExpAccuracy measures Exp's error against a 200-bit reference over
// its whole range (overflow to underflow) and densely near 0. For normal
// results the bound is what Tang's method with a two-part table gives: the
// final rounding (0.5 ulp) plus a little; subnormal results (x < −708.4)
// are rounded twice, so within 1 ulp.
func TestExpAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const subnormal = -708.3964185322641 // ln(2^-1022)
	var worst, worstSub [2]float64       // error, at
	n := samples(t, 30000)
	for i := 0; i < n; i++ {
		var x float64
		switch i % 4 {
		case 0:
			x = expUnderflow + rng.Float64()*(expOverflow-expUnderflow)
		case 1:
			x = (rng.Float64()*2 - 1) * 2
		case 2:
			x = (rng.Float64()*2 - 1) * 1e-6
		default:
			x = expUnderflow + rng.Float64()*(subnormal-expUnderflow)
		}
		w := &worst
		if x < subnormal {
			w = &worstSub
		}
		if e := ulpErr(Exp(x), bigExp(x)); e > w[0] {
			*w = [2]float64{e, x}
		}
	}
	t.Logf("Exp: max error %.3f ulp (at x = %v), subnormal results %.3f ulp (at %v), over %d arguments",
		worst[0], worst[1], worstSub[0], worstSub[1], n)
	if worst[0] > 0.52 || worstSub[0] > 1 {
		t.Errorf("Exp: max error %.3f ulp at x = %v, want ≤ 0.52; subnormal %.3f at %v, want ≤ 1",
			worst[0], worst[1], worstSub[0], worstSub[1])
	}
	// And against math.Exp over many more arguments: within 1 ulp itself
	// without FMA, but its amd64 FMA code path is off by up to 1.6 ulp (1.544
	// at x = −359.40669366154276), so 2.2 ulp apart at most. Below 709: on
	// amd64 math.Exp returns +Inf from about 709.44.
	for i := 0; i < 100*n; i++ {
		x := subnormal + rng.Float64()*(709-subnormal)
		got, want := Exp(x), math.Exp(x)
		_, e := math.Frexp(want)
		if d := math.Abs(got-want) / math.Ldexp(1, e-53); d > 2.2 {
			t.Fatalf("Exp(%v) = %v, math.Exp %v: %.2f ulp apart", x, got, want, d)
		}
	}
}

// TestLogAccuracy measures Log's error against a 200-bit reference over
// every binade (subnormal arguments included) and densely near 1, where
// ln x is small and relative accuracy is hardest.
func TestLogAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	worst, at := 0.0, 0.0
	n := samples(t, 20000)
	for i := 0; i < n; i++ {
		var x float64
		switch i % 3 {
		case 0:
			x = math.Ldexp(1+rng.Float64(), rng.IntN(2098)-1074)
		case 1:
			x = 0.5 + rng.Float64()*1.5
		default:
			x = 1 + (rng.Float64()*2-1)*1e-6
		}
		if x == 1 || x == 0 {
			continue
		}
		if e := ulpErr(Log(x), bigLog(x)); e > worst {
			worst, at = e, x
		}
	}
	t.Logf("Log: max error %.3f ulp (at x = %v) over %d arguments", worst, at, n)
	if worst > 1 {
		t.Errorf("Log: max error %.3f ulp at x = %v, want ≤ 1", worst, at)
	}
	for i := 0; i < 100*n; i++ {
		x := math.Ldexp(1+rng.Float64(), rng.IntN(2046)-1022) // math.Log is wrong for subnormals
		got, want := Log(x), math.Log(x)
		if d := math.Abs(got-want) / (math.Abs(want) * 0x1p-52); d > 2 {
			t.Fatalf("Log(%v) = %v, math.Log %v: %.2f ulp apart", x, got, want, d)
		}
	}
}

// TestPowAccuracy checks Pow against a 200-bit reference within its stated
// bound, 2·(1 + |y·ln x|) ulp: Log's error and the rounding of y·ln x are
// scaled by |y·ln x| in the result, and an ulp is up to twice as large a
// relative error at one end of a binade as at the other.
func TestPowAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	worst := 0.0
	for i := 0; i < samples(t, 5000); i++ {
		x := math.Exp(rng.Float64()*20 - 10)
		y := rng.Float64()*40 - 20
		ref := bigExpOf(new(big.Float).SetPrec(refPrec).Mul(bigLog(x), new(big.Float).SetFloat64(y)))
		e := ulpErr(Pow(x, y), ref) / (1 + math.Abs(y*math.Log(x)))
		worst = max(worst, e)
		if e > 2 {
			t.Fatalf("Pow(%v, %v) = %v, want %v: %.2f × (1 + |y·ln x|) ulp off", x, y, Pow(x, y), ref, e)
		}
	}
	t.Logf("Pow: max error %.3f × (1 + |y·ln x|) ulp", worst)
}

func TestSpecialCases(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	same := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
	}
	for _, c := range []struct {
		name    string
		f       func(float64) float64
		x, want float64
	}{
		{"Exp", Exp, inf, inf},
		{"Exp", Exp, -inf, 0},
		{"Exp", Exp, nan, nan},
		{"Exp", Exp, 0, 1},
		{"Exp", Exp, math.Copysign(0, -1), 1},
		{"Exp", Exp, 1, math.E},
		{"Exp", Exp, 709.79, inf},                          // overflow
		{"Exp", Exp, expOverflow, 1.7976931348622732e+308}, // finite (math.Exp says +Inf)
		{"Exp", Exp, -745.14, 0},                           // underflow
		{"Exp", Exp, -745.13, 0x1p-1074},                   // the smallest subnormal
		{"Exp", Exp, -720, math.Exp(-720)},                 // subnormal
		{"Exp", Exp, 1e-300, 1},
		{"Log", Log, inf, inf},
		{"Log", Log, 0, -inf},
		{"Log", Log, math.Copysign(0, -1), -inf},
		{"Log", Log, -1, nan},
		{"Log", Log, -inf, nan},
		{"Log", Log, nan, nan},
		{"Log", Log, 1, 0},
		{"Log", Log, math.E, 1},
		{"Log", Log, 2, math.Ln2},
		{"Log", Log, 0x1p-1074, -1074 * math.Ln2},
		{"Log", Log, math.MaxFloat64, math.Log(math.MaxFloat64)},
	} {
		if got := c.f(c.x); !same(got, c.want) {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.x, got, c.want)
		}
	}
	for _, c := range [][3]float64{
		{2, 10, 1024}, {1, nan, 1}, {nan, 0, 1}, {0, -1, inf}, {0, 2, 0}, {-2, 3, -8}, {-2, 0.5, nan},
		{inf, -1, 0}, {0.5, inf, 0}, {4, 0.5, 2}, {10, -2, 0.01}, {2, -1074, 0x1p-1074},
	} {
		if got := Pow(c[0], c[1]); !same(got, c[2]) && math.Abs(got-c[2]) > 1e-15*math.Abs(c[2]) {
			t.Errorf("Pow(%v, %v) = %v, want %v", c[0], c[1], got, c[2])
		}
	}
}

// TestStudentTQuantile checks the t quantile against published values
// (Abramowitz & Stegun table 26.10, to its 10 digits and more where
// known), its limit (the normal quantile) and symmetry.
func TestStudentTQuantile(t *testing.T) {
	for _, c := range []struct {
		p    float64
		nu   int
		want float64
	}{ // 40-digit values from mpmath (betainc and findroot), rounded
		{0.975, 1, 12.706204736174704646},
		{0.975, 2, 4.3026527297494638523},
		{0.975, 10, 2.2281388519862747484},
		{0.975, 30, 2.04227245630123831},
		{0.95, 5, 2.0150483733330242378},
		{0.995, 120, 2.6174211451068660084},
		{0.975, 500, 1.9647198374673677934},
		{0.975, 501, 1.9647103221754831929},
		{0.975, 1000, 1.962339080826408485},
		{0.975, 1001, 1.9623367052808799185},
		{0.975, 4000, 1.960557228793733721},
		{0.975, 100000, 1.9599877075346096386},
		{0.999, 3, 10.21453185240738655},
	} {
		got := StudentTQuantile(c.p, c.nu)
		if math.Abs(got-c.want) > 1e-13*c.want {
			t.Errorf("StudentTQuantile(%v, %d) = %.16g, want %.16g", c.p, c.nu, got, c.want)
		}
		if neg := StudentTQuantile(1-c.p, c.nu); neg != -got && math.Abs(neg+got) > 1e-15*got {
			t.Errorf("StudentTQuantile(%v, %d) = %v, want −%v", 1-c.p, c.nu, neg, got)
		}
	}
	// The closed forms for ν = 1 and 2, tightly.
	if got, want := StudentTQuantile(0.975, 1), math.Tan(0.475*math.Pi); math.Abs(got-want) > 1e-14*want {
		t.Errorf("ν=1: %v, want tan(0.475π) = %v", got, want)
	}
	if got, want := StudentTQuantile(0.975, 2), 0.95*math.Sqrt(2/(1-0.95*0.95)); math.Abs(got-want) > 1e-14*want {
		t.Errorf("ν=2: %v, want %v", got, want)
	}
	// The series and the expansion agree where they meet.
	a, b := StudentTQuantile(0.975, tSeriesMax), tCornishFisher(0.975, tSeriesMax)
	if math.Abs(a-b) > 1e-14*a {
		t.Errorf("at ν = %d the series gives %.17g and the expansion %.17g", tSeriesMax, a, b)
	}
	for _, bad := range []float64{0, 1, -0.1, math.NaN()} {
		if q := StudentTQuantile(bad, 5); !math.IsNaN(q) {
			t.Errorf("StudentTQuantile(%v, 5) = %v, want NaN", bad, q)
		}
	}
	if q := StudentTQuantile(0.9, 0); !math.IsNaN(q) {
		t.Errorf("StudentTQuantile(0.9, 0) = %v, want NaN", q)
	}
}

// TestExpTable checks the two-part table against 2^(j/64) recomputed
// independently: (head + tail)^64 must be 2^j to well beyond float64.
func TestExpTable(t *testing.T) {
	for j, e := range expTable {
		v := new(big.Float).SetPrec(refPrec).SetFloat64(e[0])
		v.Add(v, new(big.Float).SetPrec(refPrec).SetFloat64(e[1]))
		p := new(big.Float).SetPrec(refPrec).SetInt64(1)
		for range 64 {
			p.Mul(p, v)
		}
		want := new(big.Float).SetPrec(refPrec).SetMantExp(big.NewFloat(1), j)
		d := new(big.Float).Sub(p, want)
		d.Quo(d, want)
		if f, _ := d.Float64(); math.Abs(f) > 0x1p-100 {
			t.Errorf("expTable[%d]^64 = 2^%d·(1%+g)", j, j, f)
		}
		if half := math.Abs(e[1]) / e[0]; half > 0x1p-53 {
			t.Errorf("expTable[%d]: tail %g is over half an ulp of the head", j, e[1])
		}
	}
}

// TestFingerprint pins the fingerprint. It changes when these functions'
// results change (then golden result files change too: regenerate them
// and say why) or on a build or machine that computes them differently
// (then its results differ from this one's in their last bits).
func TestFingerprint(t *testing.T) {
	const want = "325c3ca8"
	if got := Fingerprint(); got != want {
		t.Errorf("Fingerprint() = %s, want %s", got, want)
	}
}

func BenchmarkExp(b *testing.B) {
	x, s := 0.1, 0.0
	for i := 0; i < b.N; i++ {
		s += Exp(x)
		x += 1e-9
	}
	sink = s
}

func BenchmarkMathExp(b *testing.B) {
	x, s := 0.1, 0.0
	for i := 0; i < b.N; i++ {
		s += math.Exp(x)
		x += 1e-9
	}
	sink = s
}

func BenchmarkLog(b *testing.B) {
	x, s := 1.1, 0.0
	for i := 0; i < b.N; i++ {
		s += Log(x)
		x += 1e-9
	}
	sink = s
}

var sink float64
