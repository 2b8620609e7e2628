package calibration

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/market"
)

// recoveryProblem is a small problem whose targets the model itself
// generates at known parameters: OpenAI's revenue and the adoption path,
// three free parameters.
const recoveryProblem = `
regime = "history"
seed = 7
runs = 8

[[target]]
name = "openai_revenue"
moment = "revenue"
channel = "openai"
date = "2024-03"
value = 1
sd = 1
unit = "USD"
source = "the model at known parameters"

[[target]]
name = "adoption_2023_04"
moment = "adoption"
date = "2023-04"
value = 1
sd = 1
source = "the model at known parameters"

[[target]]
name = "adoption_2024_02"
moment = "adoption"
date = "2024-02"
value = 1
sd = 1
source = "the model at known parameters"

[[target]]
name = "adoption_2024_07"
moment = "adoption"
date = "2024-07"
value = 1
sd = 1
source = "the model at known parameters"

[[param]]
path = "buyers.budget_median_usd"
min = 100
max = 30000
log = true

[[param]]
path = "buyers.diffusion.p"
min = 0.005
max = 0.3
log = true

[[param]]
path = "buyers.diffusion.q"
min = 0.0
max = 1.0
`

// smallMarket is the default market with 2,000 buyers, ending at the last
// target: fast enough for tests.
func smallMarket() market.Config {
	c := market.DefaultConfig()
	c.Buyers.Agents = 2_000
	return c
}

// TestRecovery generates targets from the model at known parameters (with
// other run keys than the fit's, so the targets carry simulation noise like
// real figures), fits from the default market's values, and checks that
// each parameter comes back within three of its standard errors.
//
// Each target's sd is twice the standard error of the generated moment,
// floored at 0.5% of it: the targets are then as uncertain as their noise
// says, and the fit's standard errors (from the Jacobian and these sd)
// bound how far the estimate may fall from the truth.
func TestRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("a fit: seconds")
	}
	tg, err := ParseTargets([]byte(recoveryProblem), "recovery.toml")
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string]float64{"buyers.budget_median_usd": 3000, "buyers.diffusion.p": 0.06, "buyers.diffusion.q": 0.35}
	gen := smallMarket()
	for k, v := range truth {
		if err := market.SetParam(&gen, k, v); err != nil {
			t.Fatal(err)
		}
	}
	gen.End = tg.lastDate()
	s, err := newSimulator(&gen, history(t), tg, 99, tg.Runs, 2) // seed 99: other keys than the fit's 7
	if err != nil {
		t.Fatal(err)
	}
	mean, se, err := s.moments(context.Background(), &gen)
	if err != nil {
		t.Fatal(err)
	}
	for i := range tg.Targets {
		tg.Targets[i].Value = mean[i]
		tg.Targets[i].SD = math.Max(2*se[i], 0.005*math.Abs(mean[i]))
	}
	res, err := Fit(context.Background(), smallMarket(), tg, Options{Starts: 1, MaxEvals: 250}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Params {
		want := truth[p.Path]
		if p.Initial == want {
			t.Fatalf("%s starts at the truth %g: the test must start elsewhere", p.Path, want)
		}
		if !p.Pinned {
			t.Errorf("%s: not pinned down (se %g) by targets that should identify it", p.Path, p.SE)
		}
		if d := math.Abs(p.Value - want); d > 3*p.SE {
			t.Errorf("%s = %.4g, truth %.4g: off by %.3g, more than 3 standard errors (%.3g)", p.Path, p.Value, want, d, 3*p.SE)
		}
	}
	if !res.Met() {
		var b strings.Builder
		_ = res.WriteTable(&b)
		t.Errorf("the model's own figures are not met:\n%s", b.String())
	}
}

// TestDeterministic checks that a fit does not depend on the number of
// workers (runs go to slot r and are combined in run order).
func TestDeterministic(t *testing.T) {
	tg, err := ParseTargets([]byte(recoveryProblem), "recovery.toml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range tg.Targets {
		tg.Targets[i].Value, tg.Targets[i].SD = []float64{1e9, 0.33, 0.65, 0.71}[i], []float64{1.5e8, 0.03, 0.03, 0.03}[i]
	}
	opt := Options{Runs: 4, Starts: 2, MaxEvals: 15}
	var got []*Result
	for _, w := range []int{1, 3} {
		opt.Workers = w
		r, err := Fit(context.Background(), smallMarket(), tg, opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Seconds = 0
		got = append(got, r)
	}
	a, _ := json.Marshal(got[0])
	b, _ := json.Marshal(got[1])
	if string(a) != string(b) {
		t.Errorf("1 and 3 workers differ:\n%s\n%s", a, b)
	}
}

// TestProgressAndCancel checks that progress reaches its total and that a
// cancelled context stops the fit with an error.
func TestProgressAndCancel(t *testing.T) {
	tg, err := ParseTargets([]byte(recoveryProblem), "recovery.toml")
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Runs: 2, Starts: 1, MaxEvals: 10}
	last, total := 0, 0
	if _, err := Fit(context.Background(), smallMarket(), tg, opt, func(d, n int) {
		if d < last {
			t.Errorf("progress went back from %d to %d", last, d)
		}
		last, total = d, n
	}); err != nil {
		t.Fatal(err)
	}
	if last != total || total != opt.TotalEvaluations(tg) {
		t.Errorf("progress ended at %d/%d, want %d/%d", last, total, opt.TotalEvaluations(tg), opt.TotalEvaluations(tg))
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Fit(ctx, smallMarket(), tg, opt, func(d, n int) {
		if d == 3 {
			cancel()
		}
	})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("cancelled fit: error %v, want context canceled", err)
	}
}

// TestWriteFiles checks that fitted.toml reads back through
// market.LookupParam to the fitted values, and that fit.json carries the
// warnings as text.
func TestWriteFiles(t *testing.T) {
	tg, err := ParseTargets([]byte(recoveryProblem), "recovery.toml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fit(context.Background(), smallMarket(), tg, Options{Runs: 2, Starts: 1, MaxEvals: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Warnings = append(res.Warnings, &Warning{"x", "a test warning"})
	dir := t.TempDir()
	if err := res.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	vals, err := ReadFitted(filepath.Join(dir, "fitted.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range res.Values() {
		v, ok := vals[path].(float64)
		if !ok || math.Abs(v-want) > 1e-5*math.Abs(want) {
			t.Errorf("fitted.toml %s = %v, want %g (6 digits)", path, vals[path], want)
		}
	}
	var c market.Config = smallMarket()
	if err := ApplyFitted(&c, filepath.Join(dir, "fitted.toml")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "fit.json"))
	if err != nil {
		t.Fatal(err)
	}
	var js struct {
		Warnings []string    `json:"warnings"`
		Targets  []MomentFit `json:"targets"`
		Params   []ParamFit  `json:"params"`
	}
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Targets) != 4 || len(js.Params) != 3 || !reflect.DeepEqual(js.Warnings[len(js.Warnings)-1], "calibration: x: a test warning") {
		t.Errorf("fit.json: %d targets, %d params, warnings %q", len(js.Targets), len(js.Params), js.Warnings)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("dir holds %v, want fit.json and fitted.toml only (no temporary files)", entries)
	}
}

func TestTomlFloat(t *testing.T) {
	for v, want := range map[float64]string{1: "1.0", 0.021: "0.021", 1234.5: "1234.5", 2e+06: "2.0e+06", -0.3: "-0.3", 1.5e-7: "1.5e-07"} {
		if got := tomlFloat(v); got != want {
			t.Errorf("tomlFloat(%v) = %s, want %s", v, got, want)
		}
	}
}

// ExampleResult_Points shows the numbers a calibration plot takes.
func ExampleResult_Points() {
	r := &Result{Targets: []MomentFit{{
		Target:    Target{Name: "x", Label: "Organisations using gen AI", Date: market.Month(2023*12 + 3), Value: 0.33, SD: 0.03, Relation: RelEqual, Unit: "share"},
		Simulated: 0.31, SE: 0.001,
	}}}
	for _, p := range r.Points() {
		fmt.Printf("%s: %.2f ± %.2f vs %.2f ± %.3f %s\n", p.Name, p.Target, p.TargetSD, p.Simulated, p.SimulatedSE, p.Unit)
	}
	// Output: Organisations using gen AI 2023-04: 0.33 ± 0.03 vs 0.31 ± 0.001 share
}
