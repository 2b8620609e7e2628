package plots

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/report"
	"gonum.org/v1/plot/cmpimg"
)

// regen is cmpimg's -regen flag (cmpimg registers it, so defining our own
// would panic): go test -regen rewrites the fixture result directories and
// the golden images in testdata.
var regen = cmpimg.GenerateTestData

// goldenDelta is the per-pixel tolerance of cmpimg.EqualApprox (normalized
// YIQ distance, 0 = identical, 1 = black vs white). 0.1 absorbs
// anti-aliasing differences between font rasterizers while any moved line,
// label or colour change (differences near 1) fails.
const goldenDelta = 0.1

func loadFixture(t *testing.T, dir string) *report.Dir {
	t.Helper()
	d, err := report.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMain(m *testing.M) {
	flag.Parse()
	if *regen {
		for _, f := range fixtures {
			if err := writeFixture(f.dir, f.scenarios, f.makers); err != nil {
				panic(err)
			}
		}
	}
	os.Exit(m.Run())
}

func TestGolden(t *testing.T) {
	for _, fx := range fixtures {
		d := loadFixture(t, fx.dir)
		for _, fig := range Figures() {
			t.Run(filepath.Base(fx.dir)+"/"+fig.File, func(t *testing.T) {
				f, err := fig.build(d)
				if !fx.makers && v2Figures[fig.File] {
					// Results written before the market v2's breakdowns
					// have nothing to draw here: WriteAll leaves it out.
					if !fig.Optional || !errors.Is(err, errNoData) {
						t.Fatalf("optional = %v, err = %v; want an optional figure and errNoData", fig.Optional, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, f, filepath.Join("testdata", "golden", filepath.Base(fx.dir)+"_"+fig.File))
			})
		}
	}
	t.Run("calibration", func(t *testing.T) {
		f, err := CalibrationFit(fitPoints, "fixture calibration (200 runs)")
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, f, filepath.Join("testdata", "golden", CalibrationFile))
	})
}

var fitPoints = []FitPoint{
	{Name: "OpenAI revenue 2024", Target: 3.7e9, TargetSD: 0.2e9, Simulated: 3.5e9, SimulatedSE: 0.05e9, Unit: "USD"},
	{Name: "Azure OpenAI customers 2024", Target: 60000, TargetSD: 5000, Simulated: 64000, SimulatedSE: 1500, Unit: "accounts"},
	{Name: "Microsoft AI run rate 2025", Target: 13e9, TargetSD: 1e9, Simulated: 12.1e9, SimulatedSE: 0.3e9, Unit: "USD"},
	{Name: "OpenAI API share 2025", Target: 0.25, TargetSD: 0.03, Simulated: 0.31, SimulatedSE: 0.01},
	// An inequality met far out on its side (an arrow at the axis edge)
	// and one missed (on the axis, however far).
	{Name: "Azure share: regulated - others 2024-03", Target: 0.05, TargetSD: 0.02, Simulated: 0.18, SimulatedSE: 0.01, Unit: "share", Relation: ">=", Met: true},
	{Name: "Azure / OpenAI revenue 2024", Target: 1, TargetSD: 0.05, Simulated: 1.4, SimulatedSE: 0.03, Relation: "<=", Met: false},
}

// v2Figures are the figures drawn only from results of the market v2
// (makers' shares, channels' gross revenue and the spend breakdowns).
var v2Figures = map[string]bool{MakerSharesFile: true, CloudSpendFile: true, VenueSpendFile: true, BuyerVenuesFile: true}

func checkGolden(t *testing.T, f *Figure, golden string) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.Render(&buf, Options{}); err != nil {
		t.Fatal(err)
	}
	if *regen {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -regen to create it)", err)
	}
	ok, err := cmpimg.EqualApprox("png", buf.Bytes(), want, goldenDelta)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		got := strings.TrimSuffix(golden, ".png") + "_got.png"
		os.WriteFile(got, buf.Bytes(), 0o644)
		t.Errorf("%s differs from the golden image; wrote %s (run go test -regen if the change is intended)", golden, got)
	}
}

// TestFitRatiosNonNegative: a share's target box stops at 0 (0.07 ± 1.96 ×
// 0.08 would reach −0.09), a signed quantity's does not, and an inequality's
// region is untouched.
func TestFitRatiosNonNegative(t *testing.T) {
	share := FitPoint{Name: "Google's share", Target: 0.07, TargetSD: 0.08, Simulated: 0.02, SimulatedSE: 0.001, NonNegative: true}
	if _, _, lo, hi := fitRatios(share); lo != 0 || math.Abs(hi-(1+1.96*0.08/0.07)) > 1e-12 {
		t.Errorf("share box [%g, %g], want [0, %g]", lo, hi, 1+1.96*0.08/0.07)
	}
	signed := share
	signed.NonNegative = false
	if _, _, lo, _ := fitRatios(signed); math.Abs(lo-(1-1.96*0.08/0.07)) > 1e-12 {
		t.Errorf("signed box starts at %g, want %g", lo, 1-1.96*0.08/0.07)
	}
	bound := share
	bound.Relation = "<="
	if _, _, lo, _ := fitRatios(bound); !math.IsInf(lo, -1) {
		t.Errorf("an at-most region starts at %g, want -Inf", lo)
	}
}
