package experiments

import (
	"path/filepath"
	"testing"

	"github.com/coopsim/coopsim/market"
)

// The shipped design studies are valid and have the sizes their comments
// state.
func TestExampleStudies(t *testing.T) {
	e, err := Load(filepath.Join("examples", "sensitivity.toml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Sensitivity()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Factors) != 8 || s.Points() != 2560 || s.Replicates != 10 || len(s.Outputs) != 2 {
		t.Errorf("sensitivity.toml: %d factors, %d points, %d replicates, %d outputs", len(s.Factors), s.Points(), s.Replicates, len(s.Outputs))
	}
	e, err = Load(filepath.Join("examples", "cap-binds.toml"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Discover()
	if err != nil {
		t.Fatal(err)
	}
	if d.Points != 256 || d.ConditionText() != "cap_bound@history > 0.5" {
		t.Errorf("cap-binds.toml: %d points, condition %s", d.Points, d.ConditionText())
	}
}

// A design point's regime terms change a copy: the experiment's own regime
// (which its other points share) stays as it was, and the point's compiled
// terms follow the factor.
func TestRegimeFactorCopies(t *testing.T) {
	e, err := Load(filepath.Join("testdata", "sensitivity.toml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Sensitivity()
	if err != nil {
		t.Fatal(err)
	}
	j := -1
	for i, f := range s.Factors {
		if f.Path == "regime.history.cap_usd" {
			j = i
		}
	}
	if j < 0 {
		t.Fatal("no cap factor in testdata/sensitivity.toml")
	}
	capOf := func(r *market.Regime) float64 {
		c := 0.0
		for _, a := range r.Amendments {
			if a.CapUSD != nil {
				c = *a.CapUSD
			}
		}
		return c
	}
	before := capOf(e.Scenarios[0].Regime)
	vals := make([]float64, len(s.Factors))
	for i, f := range s.Factors {
		vals[i] = f.Design.Value(0.5)
	}
	vals[j] = 12.5e9
	pe, err := e.atPoint(s.Factors, vals, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := capOf(pe.Scenarios[0].Regime); got != 12.5e9 {
		t.Errorf("the point's history cap = %g, want 12.5e9", got)
	}
	if capOf(e.Scenarios[0].Regime) != before {
		t.Error("the experiment's own scenario changed")
	}
	found := false
	for _, tm := range pe.Scenarios[0].Compiled.Terms {
		found = found || tm.HasCap && tm.CapUSD == 12.5e9
	}
	if !found {
		t.Error("the compiled terms do not carry the factor's cap")
	}
}
