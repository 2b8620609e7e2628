package plots

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
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

var predictiveChecks = []PredictiveCheck{
	{Name: "openai_api_revenue_2024_03", Unit: "USD", Observed: 1e9, SD: 0.15e9, Mean: 1.05e9, Q10: 0.73e9, Q90: 1.4e9, PIT: 0.4},
	{Name: "azure_customers_2023_07", Unit: "accounts", Observed: 11000, SD: 1650, Mean: 10200, Q10: 7400, Q90: 13050, PIT: 0.57},
	{Name: "genai_adoption_2023_04", Observed: 0.33, SD: 0.03, Mean: 0.2, Q10: 0.18, Q90: 0.22, PIT: 1},
	{Name: "azure_below_openai_2024_03", Relation: "<=", Observed: 1, SD: 0.05, Mean: 0.95, Q10: 0.54, Q90: 1.46, PIT: 0.7},
	{Name: "azure_incumbents_lean_azure", Unit: "share", Relation: ">=", Observed: 0.1, SD: 0.02, Mean: 0.34, Q10: 0.28, Q90: 0.4, PIT: 0},
	// A met inequality whose wide interval starts on the axis and whose
	// mean is beyond it: the visible bar and the mean at the edge.
	{Name: "regulated_lean_azure", Unit: "share", Relation: ">=", Observed: 0.05, SD: 0.02, Mean: 0.11, Q10: 0.0, Q90: 0.2, PIT: 0.28},
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
