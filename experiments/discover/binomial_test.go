package discover

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// exactTail is P(X ≥ k) for X ~ Binomial(n, a/m) in exact rational
// arithmetic, rounded to float64 once.
func exactTail(n, k, a, m int) float64 {
	p, q := big.NewRat(int64(a), int64(m)), big.NewRat(int64(m-a), int64(m))
	sum, c := new(big.Rat), new(big.Int)
	for j := k; j <= n; j++ {
		t := new(big.Rat).SetInt(c.Binomial(int64(n), int64(j)))
		t.Mul(t, pow(p, j))
		t.Mul(t, pow(q, n-j))
		sum.Add(sum, t)
	}
	f, _ := sum.Float64()
	return f
}

func pow(x *big.Rat, e int) *big.Rat {
	num := new(big.Int).Exp(x.Num(), big.NewInt(int64(e)), nil)
	den := new(big.Int).Exp(x.Denom(), big.NewInt(int64(e)), nil)
	return new(big.Rat).SetFrac(num, den)
}

// tailCases are (n, k, a, m), p = a/m: both sides of the mode, tails from
// near 1 down to about 1e-240, n up to 121.
func tailCases() [][4]int {
	var cs [][4]int
	for _, n := range []int{1, 2, 7, 40, 121} {
		for _, pm := range [][2]int{{1, 97}, {1, 10}, {1, 3}, {1, 2}, {7, 10}, {96, 97}} {
			for _, k := range []int{1, 2, n / 10, n / 4, n / 3, n / 2, 2 * n / 3, 9 * n / 10, n - 1, n} {
				if k >= 1 && k <= n {
					cs = append(cs, [4]int{n, k, pm[0], pm[1]})
				}
			}
		}
	}
	return cs
}

const eps = 0x1p-52

// TestBinomialTail checks binomialTail against the exact tail, and against
// gonum's regularised incomplete beta, which PRIM's quasi-p-values used
// before (math.Exp inside made its bits CPU-dependent).
func TestBinomialTail(t *testing.T) {
	worst := 0.0
	for _, c := range tailCases() {
		n, k, a, m := c[0], c[1], c[2], c[3]
		p := float64(a) / float64(m)
		got, want := binomialTail(n, k, p), exactTail(n, k, a, m)
		// A tail is exp(log first term) times a sum of ratios: the
		// logarithm sums about n rounded logarithms, the ratios come
		// from about n rounded products, and exp turns the logarithm's
		// absolute error, up to a few units in its last place (about
		// ε·|log want|), into a relative one.
		tol := 4 * eps * (float64(n) + math.Abs(math.Log(want)))
		if e := math.Abs(got-want) / want; e > tol || want == 0 {
			t.Errorf("P(X ≥ %d), X ~ Binomial(%d, %d/%d) = %.17g, want %.17g (relative error %.2g, want at most %.2g)", k, n, a, m, got, want, e, tol)
		}
		old := mathext.RegIncBeta(float64(k), float64(n-k+1), p)
		worst = max(worst, math.Abs(got-old)/old)
	}
	t.Logf("largest relative difference from gonum's RegIncBeta: %.2g", worst)
	if worst > 1e-12 {
		t.Errorf("binomialTail and gonum's RegIncBeta differ by up to %.2g relative, want at most 1e-12", worst)
	}
	if binomialTail(5, 0, 0.3) != 1 || binomialTail(5, 6, 0.3) != 0 {
		t.Error("P(X ≥ 0) must be 1 and P(X ≥ n+1) 0")
	}
}

// cpuProbes are binomialTail's bits over tailCases, and gonum's
// RegIncBeta's and math.Exp's bits, which show whether GODEBUG=cpu.fma=off
// changes anything on this CPU.
func cpuProbes() (tails, gonum, exp []byte) {
	for _, c := range tailCases() {
		n, k, p := c[0], c[1], float64(c[2])/float64(c[3])
		tails = binary.LittleEndian.AppendUint64(tails, math.Float64bits(binomialTail(n, k, p)))
		gonum = binary.LittleEndian.AppendUint64(gonum, math.Float64bits(mathext.RegIncBeta(float64(k), float64(n-k+1), p)))
	}
	for i := range 2000 {
		exp = binary.LittleEndian.AppendUint64(exp, math.Float64bits(math.Exp(float64(i)*0.3711-350)))
	}
	return tails, gonum, exp
}

// TestBinomialTailIndependentOfCPU computes the tails here and in a child
// process with GODEBUG=cpu.fma=off (math.Exp then takes its code path for
// CPUs without fused multiply-adds) and compares their bits.
func TestBinomialTailIndependentOfCPU(t *testing.T) {
	const env = "COOPSIM_TEST_BINOMIAL_CHILD_DIR"
	if dir := os.Getenv(env); dir != "" {
		tails, gonum, exp := cpuProbes()
		for name, b := range map[string][]byte{"tails": tails, "gonum": gonum, "exp": exp} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBinomialTailIndependentOfCPU$", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"="+dir, "GODEBUG=cpu.fma=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tails, gonum, exp := cpuProbes()
	if bytes.Equal(read("exp"), exp) {
		t.Skip("math.Exp gives the same bits with GODEBUG=cpu.fma=off here (no FMA on this CPU, or not amd64): nothing to compare")
	}
	t.Logf("gonum's RegIncBeta changes with GODEBUG=cpu.fma=off: %v", !bytes.Equal(read("gonum"), gonum))
	if !bytes.Equal(read("tails"), tails) {
		t.Error("binomialTail's bits differ with GODEBUG=cpu.fma=off")
	}
}
