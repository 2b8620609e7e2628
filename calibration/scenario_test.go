package calibration

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/market"
)

// history returns the built-in history regime.
func history(t testing.TB) *market.Regime {
	t.Helper()
	r, err := market.BuiltinRegime("history")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestHaltonShiftOwnPurpose: the starts' random shift is no draw of the
// simulation: not buyer j's budget draw in run j (what it used to be), nor
// any budget draw of the first buyers of the first runs; it is uniform-ish
// and the Halton points stay in [0, 1).
func TestHaltonShiftOwnPurpose(t *testing.T) {
	const seed = 20240301
	budget := map[float64]bool{}
	for run := range 16 {
		st := agents.Key{Seed: seed, Run: uint64(run)}.Stream()
		for b := range 64 {
			budget[st.Float64(agents.PurposeBudget, uint32(b), 0)] = true
		}
	}
	for j := range 16 {
		h0 := halton(0, j, seed) // point 0 of the sequence is the shift itself
		if budget[h0] {
			t.Errorf("parameter %d: the start shift %v is a buyer's budget draw", j, h0)
		}
		for s := range 8 {
			if h := halton(s, j, seed); h < 0 || h >= 1 {
				t.Errorf("halton(%d, %d) = %v, want in [0, 1)", s, j, h)
			}
		}
	}
}

// customExperiment is an experiment with its own regime: history, but
// Azure stays in preview (limited access) from 2023-07 on, so its revenue
// in 2024-03 falls below history's.
const customExperiment = `
name = "custom"
seed = 1
runs = 2
baseline = "slow-azure"

[market.buyers]
agents = 4000

[[regime]]
name = "azure-preview-longer"
based_on = "history"
description = "history with Azure OpenAI in preview until the end"
[[regime.amendment]]
month = "2023-07"
preview = ["azure"]

[[scenario]]
name = "history"
regime = "history"

[[scenario]]
name = "slow-azure"
regime = "azure-preview-longer"
`

const azureTarget = `
seed = 3
runs = 4

[[target]]
name = "azure_revenue"
moment = "revenue"
channel = "azure"
date = "2024-03"
value = 1.0e9
sd = 0.15e9
unit = "USD"
source = "a test"

[[param]]
path = "buyers.budget_median_usd"
min = 200
max = 20000
log = true
`

// TestFitUnderCustomRegime calibrates against an experiment file whose
// baseline runs a regime of its own: the fit reports that regime, and its
// moment at the fitted values is the one simulated under that regime, not
// under history.
func TestFitUnderCustomRegime(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "custom.toml")
	if err := os.WriteFile(path, []byte(customExperiment), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := experiments.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := ParseTargets([]byte(azureTarget), "azure.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, reg, err := Scenario(e, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Scenario(e, "nosuch"); err == nil || !strings.Contains(err.Error(), "slow-azure") {
		t.Errorf("unknown scenario: %v, want an error listing the scenarios", err)
	}
	res, err := Fit(context.Background(), cfg, tg, Options{Starts: 1, MaxEvals: 12, Workers: 2, Regime: reg}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Regime != "azure-preview-longer" {
		t.Errorf("fit under regime %q, want azure-preview-longer", res.Regime)
	}
	at := cfg
	at.End = tg.lastDate()
	if err := res.Apply(&at); err != nil {
		t.Fatal(err)
	}
	moment := func(r *market.Regime) float64 {
		s, err := newSimulator(&at, r, tg, res.Seed, res.Runs, 2)
		if err != nil {
			t.Fatal(err)
		}
		mean, _, err := s.moments(context.Background(), &at)
		if err != nil {
			t.Fatal(err)
		}
		return mean[0]
	}
	custom, hist := moment(reg), moment(history(t))
	// The report's value is recomputed at the fitted parameters (fitted.toml
	// rounds nothing here: Apply sets the exact values).
	if got := res.Targets[0].Simulated; got != custom {
		t.Errorf("reported moment %v, recomputed under the custom regime %v", got, custom)
	}
	if math.Abs(custom-hist) <= 3*res.Targets[0].SE {
		t.Errorf("Azure revenue %v under the custom regime, %v under history: the regime made no difference (se %v), the test cannot tell them apart", custom, hist, res.Targets[0].SE)
	}
}

// TestScenarioUnknownShort: an unknown --scenario is named with the file
// and a suggestion, and a sweep's thousands of scenario names are not all
// listed (the message stays within a few lines).
func TestScenarioUnknownShort(t *testing.T) {
	e := &experiments.Experiment{Source: "sweep.toml", Scenarios: make([]experiments.Scenario, 5000)}
	for i := range e.Scenarios {
		e.Scenarios[i].Name = fmt.Sprintf("point-%04d", i)
	}
	_, _, err := Scenario(e, "point-O012")
	if err == nil {
		t.Fatal("no error for an unknown scenario")
	}
	msg := err.Error()
	for _, want := range []string{"sweep.toml: ", `no scenario "point-O012"`, `did you mean "point-0012"?`, "(5000 in all)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q, want it to contain %q", msg, want)
		}
	}
	if len(msg) > 400 {
		t.Errorf("error is %d characters, want at most 400", len(msg))
	}
}
