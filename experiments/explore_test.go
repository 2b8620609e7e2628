package experiments

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// The shipped design studies are valid and have the sizes their comments
// state.
func TestExampleStudies(t *testing.T) {
	t.Parallel()
	e, err := Load(filepath.Join("examples", "sensitivity.toml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Sensitivity()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Factors) != 8 || s.Points() != 2560 || s.Scrambles != 8 || s.Replicates != 10 || len(s.Outputs) != 2 {
		t.Errorf("sensitivity.toml: %d factors, %d points, %d scrambles, %d replicates, %d outputs", len(s.Factors), s.Points(), s.Scrambles, s.Replicates, len(s.Outputs))
	}
	e, err = Load(filepath.Join("examples", "cap-binds.toml"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Discover()
	if err != nil {
		t.Fatal(err)
	}
	if d.Points != 256 || d.ConditionText() != "cap_bound_by_window_end@history > 0.5" {
		t.Errorf("cap-binds.toml: %d points, condition %s", d.Points, d.ConditionText())
	}
}

// A design point's regime terms change a copy: the experiment's own regime
// (which its other points share) stays as it was, and the point's compiled
// terms follow the factor.
func TestRegimeFactorCopies(t *testing.T) {
	t.Parallel()
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

// cap_bound_by_window_end is 1 exactly when the cap had cut a payment by
// the report window's end: with the window ending at the run's end it is
// cap_bound, run by run; ending before the cap's window opens (2026-01 in
// testdata/small.toml, its cap cut to $0.3B so that it binds) it is 0 in
// every run, though the cap binds later; and it never falls as the
// window's end moves later.
func TestCapBoundByWindowEnd(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "small.toml"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := LoadBytes(bytes.Replace(data, []byte("cap_usd = 10e9"), []byte("cap_usd = 0.3e9"), 1), "small.toml", "testdata")
	if err != nil {
		t.Fatal(err)
	}
	if e, err = e.WithRuns(12); err != nil {
		t.Fatal(err)
	}
	capped := slices.IndexFunc(e.Scenarios, func(s Scenario) bool { return s.Name == "cap-10b" })
	names := newScalarLayout(e).names
	bound, by := slices.Index(names, report.CapBound), slices.Index(names, report.CapBoundByWindowEnd)
	if capped < 0 || bound < 0 || by < 0 {
		t.Fatalf("scenario %d, metrics %d %d", capped, bound, by)
	}
	var prev []float64
	for _, end := range []string{"2025-12", "2026-06", "2026-12", e.Market.End.String()} {
		c := *e
		if c.WindowEnd, err = agents.ParseMonth(end); err != nil {
			t.Fatal(err)
		}
		c.WindowStart = min(c.WindowStart, c.WindowEnd)
		o, err := Run(context.Background(), &c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, all := o.Scalars(capped, by), o.Scalars(capped, bound)
		for r := range b {
			switch {
			case end == "2025-12" && b[r] != 0:
				t.Errorf("window end %s, run %d: %g before the cap's window opens", end, r, b[r])
			case end == e.Market.End.String() && b[r] != all[r]:
				t.Errorf("window end at the run's end, run %d: %g, cap_bound %g", r, b[r], all[r])
			case prev != nil && b[r] < prev[r]:
				t.Errorf("window end %s, run %d: %g, below %g at an earlier end", end, r, b[r], prev[r])
			}
		}
		prev = b
	}
	if slices.Max(prev) != 1 {
		t.Error("the $0.3B cap never bound: the test shows nothing")
	}
}
