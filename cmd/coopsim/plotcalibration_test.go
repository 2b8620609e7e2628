package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/calibration/posterior"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/plots"
)

// toyMoments is a cheap model for a calibration fixture: revenue = a,
// share = p, ratio = 2p, each with 5% run noise from the run's key.
type toyMoments struct{}

func (toyMoments) Simulate(theta []float64, key agents.Key, _ int, out []float64) error {
	st := key.Stream()
	for i, m := range []float64{theta[0], theta[1], 2 * theta[1]} {
		out[i] = m * (1 + 0.05*agents.NormalQuantile(st.Float64(agents.PurposeAdoption, uint32(i), 0)))
	}
	return nil
}

// calibrationFixture writes a calibration directory through calibration's
// own writer (Result.WriteFiles): a toy model's posterior sample (package
// posterior's sampler, 2 chains × 60 draws) and predictive check, with
// targets of each relation. It returns the result as written and the
// targets and free parameters it was fitted to.
func calibrationFixture(t *testing.T, dir string) (*calibration.Result, *calibration.Targets) {
	t.Helper()
	date := agents.MonthOf(2024, 3)
	tg := &calibration.Targets{Targets: []calibration.Target{
		{Name: "toy_revenue", Label: "Toy revenue, annualized", Moment: calibration.MomentRevenue, Date: date, Value: 1e5, SD: 2e4, Relation: calibration.RelEqual, Unit: "USD"},
		{Name: "toy_share_floor", Label: "Toy share", Moment: calibration.MomentAdoption, Date: date, Value: 0.05, SD: 0.02, Relation: calibration.RelAtLeast, Unit: "share"},
		{Name: "toy_ratio_cap", Label: "Toy ratio", Moment: calibration.MomentRevenueRatio, Date: date, Value: 1, SD: 0.05, Relation: calibration.RelAtMost, Unit: "ratio"},
	}, Params: []calibration.FreeParam{
		{Path: "buyers.accounts", Min: 2e4, Max: 2e6, Log: true},
		{Path: "buyers.diffusion.p", Min: 0, Max: 1},
	}}
	return writeFixture(t, dir, tg, "toy"), tg
}

// writeFixture is calibrationFixture's result for targets tg (three, the
// toy model's moments, and two parameters) read from source.
func writeFixture(t *testing.T, dir string, tg *calibration.Targets, source string) *calibration.Result {
	t.Helper()
	prob := &posterior.Problem{Sim: posterior.PerRun(toyMoments{})}
	for _, target := range tg.Targets {
		rel := map[string]posterior.Relation{calibration.RelAtLeast: posterior.AtLeast, calibration.RelAtMost: posterior.AtMost}[target.Relation]
		prob.Targets = append(prob.Targets, posterior.Target{Name: target.Name, Value: target.Value, SD: target.SD, Relation: rel})
	}
	res := &calibration.Result{Experiment: "toy", Seed: 7, Runs: 2, Agents: 100, FitAgents: 100, Regime: "history", TargetsSource: source,
		Start: agents.MonthOf(2019, 7), End: agents.MonthOf(2025, 12)}
	rep := &calibration.PosteriorReport{Runs: 2, Agents: 100, Chains: 2, Warmup: 40, Iterations: 60}
	for _, fp := range tg.Params {
		prob.Params = append(prob.Params, posterior.Param{Name: fp.Path, Prior: fp.PriorDist(), Log: fp.Log})
		res.Params = append(res.Params, calibration.ParamFit{Path: fp.Path, Min: fp.Min, Max: fp.Max, Log: fp.Log, Value: fp.Min})
		rep.Priors = append(rep.Priors, fp.PriorText())
	}
	sample, err := posterior.Sample(context.Background(), prob, posterior.Options{Seed: 7, Runs: 2, Chains: 2, Warmup: 40, Iterations: 60, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep.Result = sample
	if rep.Predictive, err = posterior.Predictive(context.Background(), prob, sample.Draws(), 20, 7, 1); err != nil {
		t.Fatal(err)
	}
	for i, target := range tg.Targets {
		res.Targets = append(res.Targets, calibration.MomentFit{Target: target, Simulated: rep.Predictive[i].Mean, SE: target.SD / 10, Met: true})
	}
	res.Posterior = rep
	if err := res.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	return res
}

// pngSize returns a PNG file's width and height.
func pngSize(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c.Width, c.Height
}

// TestPlotCalibrationDir: coopsim plot redraws a calibrate directory's
// calibration.png, corner plot and predictive check from fit.json and
// posterior.csv, at plot's --width/--height/--dpi, and the predictive
// plot and the predictive check are the very figures calibrate draws
// (writePosteriorPlots) from the fit in memory and its targets' priors
// (the files carry everything they show).
func TestPlotCalibrationDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res, tg := calibrationFixture(t, dir)
	stdout, stderr := cliOK(t, "plot", dir)
	if stderr != "" {
		t.Errorf("plot wrote to stderr (the default priors should be rebuilt): %s", stderr)
	}
	files := []string{plots.CalibrationFile, plots.CornerFile, plots.PredictiveFile}
	for _, f := range files {
		p := filepath.Join(dir, "plots", f)
		if !strings.Contains(stdout, p) {
			t.Errorf("stdout lacks %s:\n%s", p, stdout)
		}
		if w, h := pngSize(t, p); f != plots.CornerFile && (w != plots.DefaultOptions.Width || h != plots.DefaultOptions.Height) {
			t.Errorf("%s is %d×%d, want the default %d×%d", f, w, h, plots.DefaultOptions.Width, plots.DefaultOptions.Height)
		}
	}
	mem := t.TempDir()
	if err := os.MkdirAll(filepath.Join(mem, "plots"), 0o755); err != nil { // calibrate's drawFitPlot made it
		t.Fatal(err)
	}
	if _, err := writePosteriorPlots(res, tg, res.Experiment, mem); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{plots.CornerFile, plots.PredictiveFile} {
		a, err := os.ReadFile(filepath.Join(dir, "plots", f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(mem, "plots", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s redrawn from the files (%d bytes) differs from the one calibrate draws from the fit in memory (%d bytes)", f, len(a), len(b))
		}
	}

	other := filepath.Join(t.TempDir(), "other")
	cliOK(t, "plot", dir, "--out", other, "--width", "960", "--height", "600", "--dpi", "96")
	for _, f := range files {
		if w, h := pngSize(t, filepath.Join(other, f)); w != 960 || f != plots.CornerFile && h != 600 {
			t.Errorf("%s at --width 960 --height 600 is %d×%d", f, w, h)
		}
	}
}

// plotFails runs coopsim plot dir and wants it to fail with the whole
// message want.
func plotFails(t *testing.T, dir, want string) {
	t.Helper()
	_, _, err := cliRun(context.Background(), "plot", dir)
	if err == nil || err.Error() != want {
		t.Errorf("coopsim plot:\n got %v\nwant %s", err, want)
	}
}

// plot refuses a calibrate directory whose posterior.csv is missing or
// does not match its fit.json, or whose fit.json is cut short or edited,
// in one line naming the file, the line at fault (the line of the file,
// deep in the posterior too), the key as fit.json spells it, and the fix
// (package calibration's tests go through every case of ReadFiles).
func TestPlotCalibrationDirErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	calibrationFixture(t, dir)
	csvPath := filepath.Join(dir, calibration.PosteriorFile)
	good, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(csvPath); err != nil {
		t.Fatal(err)
	}
	plotFails(t, dir, "calibration: "+csvPath+": no such file, though fit.json has a posterior: restore it, or rerun coopsim calibrate --posterior")
	const csvFix = "; posterior.csv and fit.json must come from the same coopsim calibrate --posterior"
	lines := strings.SplitAfter(string(good), "\n")
	for _, c := range []struct{ text, want string }{
		{strings.Replace(string(good), "buyers.diffusion.p", "buyers.diffusion.q", 1), " line 1: " + `the header is "chain,buyers.accounts,buyers.diffusion.q", want "chain,buyers.accounts,buyers.diffusion.p"`},
		{strings.Replace(string(good), "chain,", "", 1), " line 1: " + `the header is "buyers.accounts,buyers.diffusion.p", want "chain,buyers.accounts,buyers.diffusion.p"`},
		{strings.Join(lines[:3], "") + "0.5" + lines[3][1:] + strings.Join(lines[4:], ""), " line 4: " + `chain "0.5" is not a chain number: want a whole number from 0 in the first column`},
		{strings.Join(lines[:len(lines)-2], ""), " line 120: the file ends after 59 draws of chain 1, chain 0 has 60: want chains of equal length (is it cut short?)"},
	} {
		if err := os.WriteFile(csvPath, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		plotFails(t, dir, "calibration: "+csvPath+c.want+csvFix)
	}
	if err := os.WriteFile(csvPath, good, 0o644); err != nil {
		t.Fatal(err)
	}
	fitPath := filepath.Join(dir, calibration.FitFile)
	fit, err := os.ReadFile(fitPath)
	if err != nil {
		t.Fatal(err)
	}
	const fitFix = " (was the file edited? rerun coopsim calibrate)"
	// The second summary's q50, on its own line deep in the file.
	at := bytes.Index(fit, []byte(`"q50"`)) + 1
	at += bytes.Index(fit[at:], []byte(`"q50"`))
	q50Line := 1 + bytes.Count(fit[:at], []byte("\n"))
	if q50Line < 100 {
		t.Fatalf("the second q50 is on line %d: the fixture no longer tests a line deep in the file", q50Line)
	}
	mistyped := slices.Concat(fit[:at], []byte(`"q50": "x", "was"`), fit[at+len(`"q50"`):])
	var doc map[string]any
	if err := json.Unmarshal(fit, &doc); err != nil {
		t.Fatal(err)
	}
	post := doc["posterior"].(map[string]any)
	post["priors"] = post["priors"].([]any)[:1]
	fewer, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text []byte
		want string
	}{
		{fit[:bytes.Index(fit, []byte(`"params"`))], ": the file is cut short" + fitFix},
		{[]byte(`{"targets": 3}`), " line 1: field targets: want a list [...], got a number" + fitFix},
		{mistyped, fmt.Sprintf(" line %d: field posterior.params[1].q50: want a number, got text", q50Line) + fitFix},
		{fewer, ": posterior.priors lists 1 prior for 2 fitted parameters, want one a parameter: was the file edited? rerun coopsim calibrate"},
	} {
		if err := os.WriteFile(fitPath, c.text, 0o644); err != nil {
			t.Fatal(err)
		}
		plotFails(t, dir, "calibration: "+fitPath+c.want)
	}
	if err := os.WriteFile(fitPath, fit, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(csvPath, experiments.MaxPosteriorBytes+1); err != nil { // sparse: refused by its size
		t.Fatal(err)
	}
	plotFails(t, dir, "calibration: "+csvPath+": is larger than 64 MiB: "+experiments.PosteriorSizeHint)
}

// A prior from a targets file given to calibrate by a relative path is
// rebuilt when plot runs from another directory: fit.json records the
// path relative to itself. The corner plot is the one calibrate draws
// with those targets' priors.
func TestPlotCalibrationDirTargetsElsewhere(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	const text = `regime = "history"

[[target]]
name = "toy_revenue"
label = "Toy revenue, annualized"
moment = "revenue"
channel = "openai"
date = "2024-03"
value = 1e5
sd = 2e4
unit = "USD"

[[target]]
name = "toy_share_floor"
label = "Toy share"
moment = "adoption"
date = "2024-03"
relation = ">="
value = 0.05
sd = 0.02
unit = "share"

[[target]]
name = "toy_ratio_cap"
label = "Toy ratio"
moment = "revenue_ratio"
channel = "azure"
other = "openai"
date = "2024-03"
relation = "<="
value = 1
sd = 0.05
unit = "ratio"

[[param]]
path = "buyers.accounts"
min = 2e4
max = 2e6
log = true

[[param]]
path = "buyers.diffusion.p"
min = 0
max = 1
prior = {dist = "normal", mean = 0.3, sd = 0.1}
`
	if err := os.WriteFile("my-targets.toml", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	tg, err := calibration.LoadTargets("my-targets.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("out", "cal")
	res := writeFixture(t, dir, tg, tg.Source())
	mem := t.TempDir()
	if err := os.MkdirAll(filepath.Join(mem, "plots"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := writePosteriorPlots(res, tg, res.Experiment, mem); err != nil {
		t.Fatal(err)
	}

	elsewhere := filepath.Join(root, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(elsewhere)
	for _, d := range []string{filepath.Join(root, dir), filepath.Join("..", dir)} {
		_, stderr := cliOK(t, "plot", d)
		if stderr != "" {
			t.Errorf("plot %s from another directory: %s", d, stderr)
		}
		a, err := os.ReadFile(filepath.Join(d, "plots", plots.CornerFile))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(mem, "plots", plots.CornerFile))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("plot %s: the corner plot differs from calibrate's with the targets' priors", d)
		}
	}
}

// A prior fit.json names but plot cannot rebuild (a [param].prior of a
// targets file not at hand, or of the embedded targets as they no longer
// are) is left off the corner plot with a note naming where it was
// sought; a default prior is rebuilt from the parameter's bounds.
func TestFitPriors(t *testing.T) {
	const note = "plot: the prior of buyers.diffusion.p (normal(0.3, 0.1) on [0, 1]) is left off the corner plot: "
	gone := filepath.Join(t.TempDir(), "gone.toml")
	_, goneErr := calibration.LoadTargets(gone)
	if goneErr == nil {
		t.Fatal("a missing targets file loaded")
	}
	elsewhere := filepath.Join(t.TempDir(), "other.toml")
	if err := os.WriteFile(elsewhere, []byte(`[[target]]
name = "toy_share_floor"
label = "Toy share"
moment = "adoption"
date = "2024-03"
relation = ">="
value = 0.05
sd = 0.02
unit = "share"

[[param]]
path = "buyers.diffusion.p"
min = 0
max = 1
prior = {dist = "normal", mean = 0.4, sd = 0.1}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := calibration.LoadTargets(elsewhere); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ source, want string }{
		{gone, note + "the targets file that gave it cannot be read (" + goneErr.Error() + ")\n"},
		{calibration.DefaultTargets().Source(), note + "the embedded targets do not give it (has coopsim changed them since?)\n"},
		{elsewhere, note + "neither the embedded targets nor " + elsewhere + " give it (was the file changed since?)\n"},
	} {
		res := &calibration.Result{TargetsSource: c.source,
			Params:    []calibration.ParamFit{{Path: "buyers.accounts", Min: 2e4, Max: 2e6, Log: true}, {Path: "buyers.diffusion.p", Min: 0, Max: 1}},
			Posterior: &calibration.PosteriorReport{Priors: []string{"log-uniform[20000, 2e+06] (default)", "normal(0.3, 0.1) on [0, 1]"}}}
		var stderr bytes.Buffer
		pr := fitPriors(res, &stderr)
		if pr[0] == nil || pr[1] != nil {
			t.Fatalf("%s: priors rebuilt: %v, %v; want the default one only", c.source, pr[0] != nil, pr[1] != nil)
		}
		if got, want := pr[0](1e5), 1/(1e5*math.Log(2e6/2e4)); got < want*(1-1e-9) || got > want*(1+1e-9) {
			t.Errorf("log-uniform density at 1e5 = %g, want %g", got, want)
		}
		if stderr.String() != c.want {
			t.Errorf("%s: stderr\n%q, want\n%q", c.source, stderr.String(), c.want)
		}
	}
}
