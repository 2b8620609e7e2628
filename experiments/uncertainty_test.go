package experiments

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/market"
)

// Run r's draw is the same in every scenario (but for a scenario's own
// settings), shared by the runs of its group, and differs between groups;
// a zero-weight posterior row is never drawn.
func TestUncertaintySameDrawEveryScenario(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/uncertainty.toml")
	u := e.Uncertainty
	if u == nil || u.Replicates != 2 || len(u.Paths()) != 5 {
		t.Fatalf("uncertainty %+v", u)
	}
	ids := []int{0, 1, 2, 3, 4, 5, 6, 7}
	cases := u.casesOf(e, ids)
	get := func(cfg *market.Config, path string) float64 {
		p, err := market.LookupParam(path)
		if err != nil {
			t.Fatal(err)
		}
		return p.Get(cfg)
	}
	distinct, caps := map[float64]bool{}, map[float64]bool{}
	for i := range ids {
		cs := cases(i)
		for _, path := range u.Paths() {
			if strings.HasPrefix(path, "regime.") {
				continue
			}
			a, b := get(cs[0].Market, path), get(cs[1].Market, path)
			if path == "spend_growth" {
				if b != 0 {
					t.Errorf("run %d: the scenario's own spend_growth = 0 was replaced by %g", i, b)
				}
				distinct[a] = true
			} else if a != b {
				t.Errorf("run %d: %s is %g in one scenario, %g in the other", i, path, a, b)
			}
			if i%2 == 1 {
				if prev := get(cases(i - 1)[0].Market, path); prev != a {
					t.Errorf("runs %d and %d (one draw) have %s %g and %g", i-1, i, path, prev, a)
				}
			}
		}
		if get(cs[0].Market, "buyers.diffusion.p") == 0.06 {
			t.Errorf("run %d drew the zero-weight posterior row", i)
		}
		// The cap scenario's regime carries the drawn cap; the others keep
		// their compiled regime.
		v := make([]float64, len(u.Paths()))
		u.Draw(e.Seed, ids[i], v)
		capAt := slices.Index(u.Paths(), "regime.cap-10b.cap_usd")
		last := cs[2].Regime.Terms[len(cs[2].Regime.Terms)-1]
		if capAt < 0 || !last.HasCap || last.CapUSD != v[capAt] || cs[0].Regime != e.Scenarios[0].Compiled {
			t.Errorf("run %d: cap %v %g, drawn %v (path %d)", i, last.HasCap, last.CapUSD, v, capAt)
		}
		caps[last.CapUSD] = true
	}
	if len(caps) != 4 {
		t.Errorf("4 draws gave %d distinct caps", len(caps))
	}
	if len(distinct) != 4 {
		t.Errorf("4 draws gave %d distinct spend growths", len(distinct))
	}
}

// regime.*.cap_usd draws one cap per run for every scenario whose regime
// has a cap (history, amended-2026), and leaves the others' compiled
// regimes alone; with no regime that has a cap it is refused.
func TestUncertaintyAnyRegime(t *testing.T) {
	t.Parallel()
	const head = "name = \"x\"\nseed = 3\nruns = 4\nbaseline = \"h\"\n"
	scen := "[[scenario]]\nname = \"h\"\nregime = \"history\"\n[[scenario]]\nname = \"a\"\nregime = \"amended-2026\"\n" +
		"[[scenario]]\nname = \"n\"\nregime = \"amended-no-cap\"\n[[scenario]]\nname = \"o\"\nregime = \"original-2019\"\n"
	const unc = "[uncertainty.market]\n\"regime.*.cap_usd\" = {dist = \"uniform\", low = 20e9, high = 60e9}\n"
	e, err := LoadBytes([]byte(head+scen+unc), "any.toml", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	u := e.Uncertainty
	col := slices.Index(u.Paths(), "regime.*.cap_usd")
	if col < 0 {
		t.Fatalf("paths %v lack regime.*.cap_usd", u.Paths())
	}
	ids := []int{0, 1, 2, 3}
	cases := u.casesOf(e, ids)
	caps := map[float64]bool{}
	for i := range ids {
		cs := cases(i)
		v := make([]float64, len(u.Paths()))
		u.Draw(e.Seed, ids[i], v)
		for k := 0; k < 2; k++ {
			last := cs[k].Regime.Terms[len(cs[k].Regime.Terms)-1]
			if !last.HasCap || last.CapUSD != v[col] {
				t.Errorf("run %d, scenario %s: cap %v %g, drawn %g", i, e.Scenarios[k].Name, last.HasCap, last.CapUSD, v[col])
			}
		}
		for k := 2; k < 4; k++ {
			if cs[k].Regime != e.Scenarios[k].Compiled {
				t.Errorf("run %d: scenario %s, whose regime has no cap, was recompiled", i, e.Scenarios[k].Name)
			}
		}
		caps[v[col]] = true
	}
	if len(caps) != 2 {
		t.Errorf("2 draws (2 runs each) gave %d distinct caps", len(caps))
	}
	const only = "[[scenario]]\nname = \"h\"\nregime = \"original-2019\"\n"
	_, err = LoadBytes([]byte(head+only+unc), "any.toml", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no scenario's regime sets cap_usd") {
		t.Errorf("regime.* with no regime that has a cap: %v", err)
	}
}

// With uncertainty, results and params.csv are byte-identical for any
// workers and shards, and the draws change the results (not vacuous).
func TestUncertaintyInvariant(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs a small experiment four times")
	}
	e := mustLoad(t, "testdata/uncertainty.toml")
	want := writeAll(t, mustRun(t, e, Options{Workers: 1}))
	sameFiles(t, want, writeAll(t, mustRun(t, e, Options{Workers: 3})))
	m, err := Merge(runShards(t, e, 3))
	if err != nil {
		t.Fatal(err)
	}
	got := writeAll(t, m)
	sameFiles(t, want, got)
	a, err := os.ReadFile(filepath.Join(want, ParamsFile))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(got, ParamsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) || bytes.Count(a, []byte("\n")) != 1+8*5 {
		t.Errorf("params.csv differs after a merge, or has not 1 + 8 runs × 5 rows:\n%s", a)
	}
	plain := *e
	plain.Uncertainty = nil
	o1, o2 := mustRun(t, e, Options{}), mustRun(t, &plain, Options{})
	if same := slicesEqual(o1.Scalars(0, 0), o2.Scalars(0, 0)); same {
		t.Error("the draws did not change any run's first metric")
	}
}

func slicesEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Bad uncertainty input is refused at load with one line naming the file
// and key and the fix; nothing runs.
func TestUncertaintyBadInput(t *testing.T) {
	t.Parallel()
	const head = "name = \"x\"\nseed = 1\nruns = 4\nbaseline = \"h\"\n\n[[scenario]]\nname = \"h\"\nregime = \"history\"\n\n"
	cases := []struct {
		name, toml, csv, want string
	}{
		{"unknown column", "[uncertainty]\nposterior = \"p.csv\"\n", "buyers.difusion.p\n0.05\n0.06\n", `"buyers.difusion.p" is not a parameter path (did you mean "buyers.diffusion.p"?)`},
		{"column without a name", "[uncertainty]\nposterior = \"p.csv\"\n", "buyers.diffusion.p,\n0.05,1\n0.06,2\n", "has no name"},
		{"missing value", "[uncertainty]\nposterior = \"p.csv\"\n", "buyers.diffusion.p,buyers.accounts\n0.05,1e5\n0.06\n", "line 3 has a different number of values from the header"},
		{"bad quote", "[uncertainty]\nposterior = \"p.csv\"\n", "buyers.diffusion.p\n0.05\n\"0.06\n", "line 3 is not valid CSV"},
		{"non-finite", "[uncertainty]\nposterior = \"p.csv\"\n", "buyers.diffusion.p\n0.05\nNaN\n", "not a finite number"},
		{"one draw", "[uncertainty]\nposterior = \"p.csv\"\n", "buyers.diffusion.p\n0.05\n", "at least two rows"},
		{"zero weights", "[uncertainty]\nposterior = \"p.csv\"\n", "buyers.diffusion.p,weight\n0.05,0\n0.06,0\n", "weights sum to 0"},
		{"negative weight", "[uncertainty]\nposterior = \"p.csv\"\n", "buyers.diffusion.p,weight\n0.05,1\n0.06,-1\n", "weight ≥ 0"},
		{"no file", "[uncertainty]\nposterior = \"none.csv\"\n", "", "uncertainty.posterior"},
		{"sd", "[uncertainty.market]\nspend_growth = {dist = \"normal\", mean = 0.3, sd = 0}\n", "", `uncertainty.market."spend_growth": sd = 0`},
		{"month reversed", "[uncertainty.market]\nspend_growth_from = {dist = \"uniform\", low = \"2025-01\", high = \"2024-01\"}\n", "", "low = 2025-01 ≥ high = 2024-01"},
		{"unknown path", "[uncertainty.market]\nspend_grwth = {dist = \"uniform\", low = 0, high = 1}\n", "", `did you mean "spend_growth"`},
		{"unknown dist key", "[uncertainty.market]\nspend_growth = {dist = \"uniform\", low = 0, hgh = 1}\n", "", `uncertainty.market.spend_growth.hgh: unknown key (did you mean "high"?)`},
		{"a family's key not a distribution's", "[uncertainty.market]\nspend_growth = {dist = \"gamma\", shape = 2}\n", "", `uncertainty.market.spend_growth.shape: unknown key; a distribution takes dist (uniform, normal, lognormal, triangular, discrete) and its parameters among low, high, mode, mean, sd, median, sdlog, values, weights`},
		{"replicates", "[uncertainty]\nreplicates = 3\n[uncertainty.market]\nspend_growth = {dist = \"uniform\", low = 0, high = 1}\n", "", "does not divide runs 4"},
		{"invalid market", "[uncertainty.market]\n\"buyers.diffusion.p\" = {dist = \"normal\", mean = 0.05, sd = 1}\n", "", "invalid market"},
		{"twice", "[uncertainty]\nposterior = \"p.csv\"\n[uncertainty.market]\n\"buyers.diffusion.p\" = {dist = \"uniform\", low = 0.01, high = 0.1}\n", "buyers.diffusion.p\n0.05\n0.06\n", "one source"},
		{"empty", "[uncertainty]\nreplicates = 2\n", "", "empty"},
		{"unknown regime", "[uncertainty.market]\n\"regime.nope.cap_usd\" = {dist = \"uniform\", low = 1e9, high = 2e9}\n", "", "regime.<regime>.<term>"},
		{"regime term", "[uncertainty.market]\n\"regime.history.cap_usdd\" = {dist = \"uniform\", low = 1e9, high = 2e9}\n", "", `did you mean "cap_usd"`},
		{"any regime's term", "[uncertainty.market]\n\"regime.*.cap_usdd\" = {dist = \"uniform\", low = 1e9, high = 2e9}\n", "", `did you mean "cap_usd"`},
		{"any regime and a named one", "[uncertainty.market]\n\"regime.*.cap_usd\" = {dist = \"uniform\", low = 1e9, high = 2e9}\n\"regime.history.cap_usd\" = {dist = \"uniform\", low = 3e9, high = 4e9}\n", "", `"regime.history.cap_usd": sets the same term as "regime.*.cap_usd" in regime history`},
		{"any regime, bad name", "[uncertainty.market]\n\"regime.**.cap_usd\" = {dist = \"uniform\", low = 1e9, high = 2e9}\n", "", "regime.*.<term> for all of them"},
	}
	for _, c := range cases {
		_, err := loadWithPosterior(t, head+c.toml, c.csv)
		var le *Error
		if !errors.As(err, &le) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.name, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), "u.toml") && !strings.Contains(err.Error(), "p.csv") {
			t.Errorf("%s: error %q names no file", c.name, err)
		}
	}
}

// summary.json splits each metric's variance over the complete run groups:
// the parts add up to the total and the draws are counted; an experiment
// without uncertainty has no split.
func TestUncertaintyVarianceSplit(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs a small experiment")
	}
	e := mustLoad(t, "testdata/uncertainty.toml")
	sum, err := mustRun(t, e, Options{}).Summary()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range sum.Scenarios {
		for _, m := range sc.Metrics {
			v := m.Variance
			if v == nil {
				t.Fatalf("%s %s: no variance split", sc.Name, m.Metric)
			}
			if v.Draws != 4 || v.Replicates != 2 || math.Abs(v.Parametric+v.Noise-v.Total) > 1e-9*math.Abs(v.Total)+1e-300 {
				t.Errorf("%s %s: split %+v", sc.Name, m.Metric, *v)
			}
		}
	}
	plain := *e
	plain.Uncertainty = nil
	sum, err = mustRun(t, &plain, Options{}).Summary()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Scenarios[0].Metrics[0].Variance != nil {
		t.Error("a split without uncertainty")
	}
}

// Interrupted, saved (the posterior file travels in the partial result),
// loaded and resumed, an experiment with uncertainty writes the same
// files, params.csv included, as one never interrupted.
func TestUncertaintyResume(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs a small experiment twice")
	}
	want, _, p, _ := interrupted(t, mustLoad(t, "testdata/uncertainty.toml"))
	if p.Experiment.Uncertainty == nil || p.Experiment.Uncertainty.Posterior == nil {
		t.Fatal("the loaded partial lost its [uncertainty] posterior")
	}
	r, err := Run(context.Background(), p.Experiment, Options{Workers: 3, Resume: p})
	if err != nil {
		t.Fatal(err)
	}
	got := writeAll(t, r)
	sameFiles(t, want, got)
	a, _ := os.ReadFile(filepath.Join(want, ParamsFile))
	b, _ := os.ReadFile(filepath.Join(got, ParamsFile))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("params.csv differs after a resume")
	}
}

// A run at the point estimate of a file with [uncertainty] resumes: the
// saved partial reloads to the point-estimate experiment (its hash), not
// to the file's, and finishes byte-identically.
func TestPointEstimateResume(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs a small experiment twice")
	}
	want, _, p, _ := interrupted(t, mustLoad(t, "testdata/uncertainty.toml").AtPointEstimate())
	if p.Experiment.Uncertainty != nil {
		t.Fatal("the loaded partial of a point-estimate run draws parameters")
	}
	r, err := Run(context.Background(), p.Experiment, Options{Workers: 3, Resume: p})
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, want, writeAll(t, r))
}

// loadWithPosterior loads the experiment text src as u.toml beside p.csv
// holding csv (none when empty), in a new directory, and returns the
// directory and Load's error.
func loadWithPosterior(t *testing.T, src, csv string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	if csv != "" {
		if err := os.WriteFile(filepath.Join(dir, "p.csv"), []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "u.toml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(file)
	return dir, err
}
