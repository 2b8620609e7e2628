package plots

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// cornerParams are three parameters with 2,000 draws: a log parameter
// ("accounts", lognormal around 250,000), a budget trading off against it
// (correlation −0.9 on the log scale) and a uniform-prior rate.
func cornerParams() []PosteriorParam {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 2000
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range a {
		z1, z2 := rng.NormFloat64(), rng.NormFloat64()
		a[i] = 250_000 * math.Exp(0.25*z1)
		b[i] = 900 * math.Exp(0.2*(-0.9*z1+math.Sqrt(1-0.81)*z2))
		c[i] = 0.07 + 0.015*rng.NormFloat64()
	}
	logUniform := func(lo, hi float64) func(float64) float64 {
		return func(x float64) float64 {
			if x < lo || x > hi {
				return 0
			}
			return 1 / (x * math.Log(hi/lo))
		}
	}
	return []PosteriorParam{
		{Name: "buyers.accounts", Draws: a, Log: true, Prior: logUniform(2e4, 2e6)},
		{Name: "buyers.budget_median_usd", Draws: b, Log: true, Prior: logUniform(50, 1e5)},
		{Name: "buyers.diffusion.p", Draws: c, Prior: func(x float64) float64 { return 1 / 0.5 }},
	}
}

// predictiveChecks are named as calibration's Result.Points names targets
// (label and date).
var predictiveChecks = []PredictiveCheck{
	{Name: "OpenAI API revenue, annualized 2024-03", Unit: "USD", NonNegative: true, Observed: 1e9, SD: 0.15e9, Mean: 1.05e9, Q10: 0.73e9, Q90: 1.4e9, PIT: 0.4},
	{Name: "Azure OpenAI customers 2023-07", Unit: "accounts", NonNegative: true, Observed: 11000, SD: 1650, Mean: 10200, Q10: 7400, Q90: 13050, PIT: 0.57},
	{Name: "Organisations using gen AI 2023-04", Unit: "share", NonNegative: true, Observed: 0.33, SD: 0.03, Mean: 0.2, Q10: 0.18, Q90: 0.22, PIT: 1},
	// A share whose ± 1.96 SD box would reach below 0: it stops at 0.
	{Name: "Google models' share of LLM API spend 2023-12", Unit: "share", NonNegative: true, Observed: 0.07, SD: 0.04, Mean: 0.05, Q10: 0.02, Q90: 0.09, PIT: 0.6},
	{Name: "Azure OpenAI / OpenAI API revenue 2024-03", Unit: "ratio", NonNegative: true, Relation: "<=", Observed: 1, SD: 0.05, Mean: 0.95, Q10: 0.54, Q90: 1.46, PIT: 0.7},
	{Name: "Azure share: Azure incumbents - others 2024-03", Unit: "share", Relation: ">=", Observed: 0.1, SD: 0.02, Mean: 0.34, Q10: 0.28, Q90: 0.4, PIT: 0},
	// A met inequality whose interval starts on the axis and whose mean is
	// beyond it: the visible bar, an arrow and the mean beside the bar.
	{Name: "Azure share: regulated - others 2024-03", Unit: "share", Relation: ">=", Observed: 0.05, SD: 0.02, Mean: 0.16, Q10: 0.07, Q90: 0.25, PIT: 0.004},
	// The same with the bar across the whole axis: the mean on a white
	// ground over the bar.
	{Name: "Azure share: wide bar 2024-03", Unit: "share", Relation: ">=", Observed: 0.05, SD: 0.02, Mean: 0.16, Q10: 0.0, Q90: 0.25, PIT: 0.28},
}

// Each row of the predictive figure is labelled as the calibration figure
// labels it, with the PIT of a value target or the share of draws meeting
// an inequality's bound (never a PIT, which reads as a failure for a bound
// met by every draw).
func TestPredictiveLabels(t *testing.T) {
	want := []string{
		"OpenAI API revenue, annualized 2024-03: $1B (PIT 0.40)",
		"Azure OpenAI customers 2023-07: 11,000 accounts (PIT 0.57)",
		"Organisations using gen AI 2023-04: 0.33 share (PIT 1.00)",
		"Google models' share of LLM API spend 2023-12: 0.07 share (PIT 0.60)",
		"Azure OpenAI / OpenAI API revenue 2024-03: ≤ 1 ratio (met by 70%)",
		"Azure share: Azure incumbents − others 2024-03: ≥ 0.1 share (met by 100%)",
		"Azure share: regulated − others 2024-03: ≥ 0.05 share (met by 99%)",
		"Azure share: wide bar 2024-03: ≥ 0.05 share (met by 72%)",
	}
	f, err := PosteriorPredictive(predictiveChecks, "labels")
	if err != nil {
		t.Fatal(err)
	}
	p := f.Panels[0][0]
	ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	if len(ticks) != len(want) {
		t.Fatalf("%d row labels, want %d", len(ticks), len(want))
	}
	for i, w := range want { // from the top row
		if got := ticks[i].Label; got != w {
			t.Errorf("row %d label\n got %q\nwant %q", i, got, w)
		}
	}
	for _, c := range []struct {
		x    float64
		want string
	}{{1, "100%"}, {0.996, "99%"}, {0.5, "50%"}, {0.004, "1%"}, {0, "0%"}} {
		if got := percentOf(c.x); got != c.want {
			t.Errorf("percentOf(%g) = %s, want %s", c.x, got, c.want)
		}
	}
}

// A quantity that cannot be negative has its predictive figure's grey box
// stop at 0, as the calibration figure's does; a signed one (a gap) does not.
func TestPredictiveBoxNonNegative(t *testing.T) {
	share := predictiveChecks[3]
	if _, _, lo, hi := fitRatios(predictivePoint(share)); lo != 0 || math.Abs(hi-(1+1.96*0.04/0.07)) > 1e-12 {
		t.Errorf("share box [%g, %g], want [0, %g]", lo, hi, 1+1.96*0.04/0.07)
	}
	signed := share
	signed.NonNegative = false
	if _, _, lo, _ := fitRatios(predictivePoint(signed)); math.Abs(lo-(1-1.96*0.04/0.07)) > 1e-12 {
		t.Errorf("signed box starts at %g, want %g", lo, 1-1.96*0.04/0.07)
	}
}

// An off-scale bar's label lies inside the panel and clear of the bar and
// its arrow whenever there is room beside the bar's visible end; only
// without that room does it go over the bar, on a white ground.
func TestOffScaleLayout(t *testing.T) {
	const xmin, xmax, w = 100, 700, 150
	for from := vg.Length(xmin); from <= xmax; from += 10 {
		for _, left := range []bool{false, true} {
			l := offScaleLayout(xmin, xmax, from, w, left)
			if l.lo < xmin || l.hi > xmax || l.hi-l.lo != w {
				t.Errorf("from %v left %v: label [%v, %v] leaves the panel [%v, %v] or is cut", from, left, l.lo, l.hi, xmin, xmax)
			}
			barLo, barHi := from, vg.Length(xmax)
			if left {
				barLo, barHi = xmin, from
			}
			room := from-xmin >= w+16
			if left {
				room = xmax-from >= w+16
			}
			overlaps := l.lo < barHi && l.hi > barLo
			if overlaps != l.ground || room == l.ground {
				t.Errorf("from %v left %v: label [%v, %v], bar [%v, %v], ground %v", from, left, l.lo, l.hi, barLo, barHi, l.ground)
			}
			if l.ground && (left && l.lo < xmin+arrowLen || !left && l.hi > xmax-arrowLen) {
				t.Errorf("from %v left %v: label [%v, %v] over the arrowhead", from, left, l.lo, l.hi)
			}
		}
	}
}

// The corner plot is a lower-triangular grid (nil above the diagonal), its
// x labels on the bottom row only and y labels in the left column only;
// bad draws are refused; golden images of both posterior figures.
func TestPosteriorFigures(t *testing.T) {
	ps := cornerParams()
	f, err := Corner(ps, "fixture posterior")
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range f.Panels {
		for c, p := range row {
			if (p == nil) != (c > r) {
				t.Fatalf("panel (%d, %d) nil = %v", r, c, p == nil)
			}
			if p == nil {
				continue
			}
			if got, want := p.X.Label.Text != "", r == len(ps)-1; got != want {
				t.Errorf("panel (%d, %d) x label %q", r, c, p.X.Label.Text)
			}
			if got, want := p.Y.Label.Text != "", c == 0 && r > 0; got != want {
				t.Errorf("panel (%d, %d) y label %q", r, c, p.Y.Label.Text)
			}
		}
	}
	checkGolden(t, f, filepath.Join("testdata", "golden", CornerFile))
	short := append([]PosteriorParam(nil), ps...)
	short[1].Draws = short[1].Draws[:10]
	if _, err := Corner(short, "x"); err == nil || !strings.Contains(err.Error(), "buyers.budget_median_usd") {
		t.Errorf("unequal draws: error %v", err)
	}
	bad := append([]PosteriorParam(nil), ps...)
	bad[0].Draws = append([]float64{-1}, bad[0].Draws[1:]...)
	if _, err := Corner(bad, "x"); err == nil {
		t.Error("a negative draw of a log parameter was drawn")
	}
	g, err := PosteriorPredictive(predictiveChecks, "fixture predictive check")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, g, filepath.Join("testdata", "golden", PredictiveFile))
	if _, err := PosteriorPredictive([]PredictiveCheck{{Name: "z", Observed: 0}}, "x"); err == nil {
		t.Error("a zero observation was normalized")
	}
}
