package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/experiments"
)

// TestCalibrateQuick runs `coopsim calibrate --quick` on the default
// experiment and checks its table and files.
func TestCalibrateQuick(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a quick fit: seconds")
	}
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"calibrate", "--quick", "--quiet", "--out", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("calibrate: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"genai_adoption_2023_04", "buyers.diffusion.p", "objective", filepath.Join(dir, "fit.json")} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, f := range []string{"fit.json", "fitted.toml", "plots/calibration.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := calibration.ReadFitted(filepath.Join(dir, "fitted.toml")); err != nil {
		t.Error(err)
	}
}

func TestCalibrateBadTargets(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"calibrate", "--targets", "no/such/targets.toml"}, &stdout, &stderr)
	if err == nil || !strings.HasPrefix(err.Error(), "no/such/targets.toml: no such file") {
		t.Errorf("error %v, want one naming the file and saying it does not exist", err)
	}
}

// smallCalibration is an experiment with a regime of its own (Azure stays
// in preview from 2023-07) and few buyers, and one target with one free
// parameter: a calibration of a second or so.
const (
	smallCalibration = `
name = "custom"
seed = 1
runs = 2
baseline = "history"

[market.buyers]
agents = 300

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
	oneTarget = `
seed = 3
runs = 2

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
)

// TestCalibrateFile calibrates an experiment file under a scenario with a
// regime of its own, refuses to overwrite the result without --force,
// refuses --workers out of range and --scenario unknown, and prints an
// include line that the loader accepts.
func TestCalibrateFile(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	exp := filepath.Join(root, "exp", "custom.toml")
	targets := filepath.Join(root, "targets.toml")
	os.MkdirAll(filepath.Dir(exp), 0o755)
	if err := os.WriteFile(exp, []byte(smallCalibration), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(targets, []byte(oneTarget), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "cal")
	cliFails(t, []string{"--workers -1", "want 1 to 4096"}, "calibrate", exp, "--workers", "-1", "--out", out)
	cliFails(t, []string{`no scenario "nosuch"`, "slow-azure"}, "calibrate", exp, "--scenario", "nosuch", "--out", out)
	args := []string{"calibrate", exp, "--scenario", "slow-azure", "--targets", targets, "--quiet", "--workers", "2", "--out", out}
	stdout, _ := cliOK(t, args...)
	if !strings.Contains(stdout, "regime azure-preview-longer") {
		t.Errorf("the fit does not say it ran under the file's own regime:\n%s", stdout)
	}
	cliFails(t, []string{"already holds a calibration", "--force"}, args...)
	cliOK(t, append(args, "--force")...)

	// The printed include, put in the experiment file, loads.
	_, line, ok := strings.Cut(stdout, "include = ")
	if !ok {
		t.Fatalf("no include line:\n%s", stdout)
	}
	inc := strings.Fields(line)[0]
	text := "include = " + inc + "\n" + smallCalibration
	if err := os.WriteFile(exp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := experiments.Load(exp)
	if err != nil {
		t.Fatalf("the printed include %s does not load: %v", inc, err)
	}
	vals, err := calibration.ReadFitted(filepath.Join(out, calibration.FittedFile))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.Market.Buyers.BudgetMedian, vals["buyers.budget_median_usd"]; got != want {
		t.Errorf("included budget median %v, fitted %v", got, want)
	}
}

// TestCheckDraws: --draws up to calibrate.MostDraws is accepted, one more
// is refused naming the limit and the most a chain; the default fifteen
// parameters in four chains take MaxDraws.
func TestCheckDraws(t *testing.T) {
	if err := checkDraws(calibration.MaxDraws, 15, 4); err != nil {
		t.Errorf("--draws %d (the limit) of 15 parameters: %v", calibration.MaxDraws, err)
	}
	const params, chains = 40, 4
	most := calibration.MostDraws(params, chains)
	if err := checkDraws(most, params, chains); err != nil {
		t.Errorf("--draws %d of %d parameters: %v", most, params, err)
	}
	err := checkDraws(most+1, params, chains)
	want := fmt.Sprintf("--draws %d: 4 chains of %d draws of 40 parameters could make posterior.csv larger than the 64 MiB that coopsim plot and an experiment's [uncertainty] read: want at most %d draws a chain", most+1, most+1, most)
	if err == nil || err.Error() != want {
		t.Errorf("--draws %d of %d parameters:\n got %v\nwant %s", most+1, params, err, want)
	}
}
