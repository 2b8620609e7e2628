package calibration

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/calibration/posterior"
	"github.com/coopsim/coopsim/experiments"
)

// toySim is a cheap model for a fit.json fixture: revenue = a and
// share = p, each with 5% run noise from the run's key.
type toySim struct{}

func (toySim) Simulate(theta []float64, key agents.Key, _ int, out []float64) error {
	st := key.Stream()
	for i, m := range []float64{theta[0], theta[1]} {
		out[i] = m * (1 + 0.05*agents.NormalQuantile(st.Float64(agents.PurposeAdoption, uint32(i), 0)))
	}
	return nil
}

// readFixture is a fit with a posterior (package posterior's sampler, 2
// chains × 30 draws, and its predictive check), a warning, a summary
// whose R-hat is not finite, and targets at source.
func readFixture(t *testing.T, source string) *Result {
	t.Helper()
	date := agents.MonthOf(2024, 3)
	free := []FreeParam{{Path: "buyers.accounts", Min: 2e4, Max: 2e6, Log: true}, {Path: "buyers.diffusion.p", Min: 0, Max: 1}}
	targets := []Target{
		{Name: "toy_revenue", Label: "Toy revenue", Moment: MomentRevenue, Date: date, Value: 1e5, SD: 2e4, Relation: RelEqual, Unit: "USD"},
		{Name: "toy_share", Label: "Toy share", Moment: MomentAdoption, Date: date, Value: 0.05, SD: 0.02, Relation: RelAtLeast, Unit: "share"},
	}
	prob := &posterior.Problem{Sim: posterior.PerRun(toySim{}), Targets: []posterior.Target{
		{Name: targets[0].Name, Value: 1e5, SD: 2e4}, {Name: targets[1].Name, Value: 0.05, SD: 0.02, Relation: posterior.AtLeast}}}
	res := &Result{Experiment: "toy", Seed: 7, Runs: 2, Agents: 100, FitAgents: 100, Regime: "history", TargetsSource: source,
		Start: agents.MonthOf(2019, 7), End: agents.MonthOf(2025, 12), Objective: 1.0 / 3,
		Warnings: []error{&Warning{Subject: "buyers.accounts", Message: "at a bound"}}}
	rep := &PosteriorReport{Method: "toy", Runs: 2, Agents: 100, Chains: 2, Warmup: 20, Iterations: 30}
	for _, fp := range free {
		prob.Params = append(prob.Params, posterior.Param{Name: fp.Path, Prior: fp.PriorDist(), Log: fp.Log})
		res.Params = append(res.Params, ParamFit{Path: fp.Path, Min: fp.Min, Max: fp.Max, Log: fp.Log, Value: fp.Min * 1.1,
			Sensitivity: []float64{0.1, math.Pi}, Elasticity: []float64{0, -2e-9}})
		rep.Priors = append(rep.Priors, fp.PriorText())
	}
	sample, err := posterior.Sample(context.Background(), prob, posterior.Options{Seed: 7, Runs: 2, Chains: 2, Warmup: 20, Iterations: 30, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sample.Params[0].RHat = math.Inf(1)
	rep.Result = sample
	if rep.Predictive, err = posterior.Predictive(context.Background(), prob, sample.Draws(), 10, 7, 1); err != nil {
		t.Fatal(err)
	}
	for i, tg := range targets {
		res.Targets = append(res.Targets, MomentFit{Target: tg, Simulated: rep.Predictive[i].Mean, SE: tg.SD / 10, Met: true})
	}
	res.Posterior = rep
	return res
}

// writtenFixture writes readFixture's result, changed by edit (nil: as
// it is), into a new directory with WriteFiles.
func writtenFixture(t *testing.T, edit func(*Result)) (*Result, string) {
	t.Helper()
	res := readFixture(t, embeddedTargets)
	if edit != nil {
		edit(res)
	}
	dir := t.TempDir()
	if err := res.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	return res, dir
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ReadFiles reads back exactly what WriteFiles wrote: written again, the
// result gives the same fit.json and posterior.csv bytes, its draws are
// the sampler's bit for bit, and its warnings have the same text.
func TestReadFilesRoundTrip(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "my-targets.toml") // absolute: kept as is
	res := readFixture(t, src)
	dir := t.TempDir()
	if err := res.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Posterior.Result.Chains(), res.Posterior.Result.Chains()) {
		t.Error("the draws read back differ from the sampler's")
	}
	if !reflect.DeepEqual(got.Posterior.Draws(), res.Posterior.Draws()) || len(got.Posterior.Draws()) != 60 {
		t.Errorf("%d draws read back, want the sampler's 60", len(got.Posterior.Draws()))
	}
	if !math.IsNaN(got.Posterior.Result.Params[0].RHat) {
		t.Errorf("an infinite R-hat (null in fit.json) read back as %g, want NaN", got.Posterior.Result.Params[0].RHat)
	}
	if len(got.Warnings) != 1 || got.Warnings[0].Error() != res.Warnings[0].Error() {
		t.Errorf("warnings read back as %v, want %v", got.Warnings, res.Warnings)
	}
	if got.TargetsSource != src || got.Experiment != "toy" || got.Params[1].Elasticity[1] != -2e-9 {
		t.Errorf("read back targets %q, experiment %q, elasticity %g", got.TargetsSource, got.Experiment, got.Params[1].Elasticity[1])
	}
	again := t.TempDir()
	if err := got.WriteFiles(again); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{FitFile, PosteriorFile} {
		if a, b := readFile(t, filepath.Join(dir, f)), readFile(t, filepath.Join(again, f)); !bytes.Equal(a, b) {
			t.Errorf("%s written again from what was read differs:\n%s\nwant:\n%s", f, b, a)
		}
	}
}

// A relative targets path is recorded relative to the calibration's
// directory, so that it is found from any working directory; a fit.json
// written before (the path relative to where calibrate ran) still finds
// it from there.
func TestReadFilesTargetsPath(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	if err := os.Mkdir("targets", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("targets", "my.toml"), []byte("# targets\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := readFixture(t, filepath.Join("targets", "my.toml"))
	dir := filepath.Join("out", "fit")
	if err := res.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	if res.TargetsSource != filepath.Join("targets", "my.toml") {
		t.Errorf("WriteFiles changed the result's TargetsSource to %q", res.TargetsSource)
	}
	for _, f := range []string{FitFile, FittedFile} {
		if b := readFile(t, filepath.Join(dir, f)); !bytes.Contains(b, []byte("../../targets/my.toml")) {
			t.Errorf("%s does not record the targets relative to its directory:\n%s", f, b)
		}
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	got, err := ReadFiles(absDir)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "targets", "my.toml"); got.TargetsSource != want {
		t.Errorf("read from elsewhere, the targets are at %q, want %q", got.TargetsSource, want)
	}
	if _, err := os.Stat(got.TargetsSource); err != nil {
		t.Error(err)
	}

	// An older fit.json: the path as given to calibrate in root.
	t.Chdir(root)
	fit := filepath.Join(dir, FitFile)
	old := bytes.Replace(readFile(t, fit), []byte(`"../../targets/my.toml"`), []byte(`"targets/my.toml"`), 1)
	if err := os.WriteFile(fit, old, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFiles(dir); err != nil || got.TargetsSource != "targets/my.toml" {
		t.Errorf("an older fit.json read from where calibrate ran: targets %q, %v", got.TargetsSource, err)
	}

	res.TargetsSource = embeddedTargets
	if err := res.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFiles(dir); err != nil || got.TargetsSource != embeddedTargets {
		t.Errorf("the embedded targets read back as %q, %v", got.TargetsSource, err)
	}
}

// wantFileError wants err to be the *FileError of file at line (0: no
// line) whose whole message is msg.
func wantFileError(t *testing.T, name string, err error, file string, line int, msg string) {
	t.Helper()
	want := "calibration: " + file
	if line > 0 {
		want += " line " + strconv.Itoa(line)
	}
	want += ": " + msg
	var fe *FileError
	if !errors.As(err, &fe) || fe.File != file || fe.Line != line || err.Error() != want {
		t.Errorf("%s:\n got %v\nwant %s", name, err, want)
	}
}

// lineOf is the 1-based line of text's n-th (from 0) occurrence of s.
func lineOf(t *testing.T, text []byte, s string, n int) int {
	t.Helper()
	at := 0
	for k := 0; k <= n; k++ {
		i := bytes.Index(text[at:], []byte(s))
		if i < 0 {
			t.Fatalf("%q occurs %d times, want %d", s, k, n+1)
		}
		if k < n {
			at += i + len(s)
		} else {
			at += i
		}
	}
	return 1 + bytes.Count(text[:at], []byte("\n"))
}

// replaceNth replaces the n-th (from 0) occurrence of old in text.
func replaceNth(t *testing.T, text []byte, old, new string, n int) []byte {
	t.Helper()
	parts := bytes.SplitAfterN(text, []byte(old), n+2)
	if len(parts) < n+2 {
		t.Fatalf("%q occurs %d times, want %d", old, len(parts)-1, n+1)
	}
	last := parts[n]
	parts[n] = append(last[:len(last)-len(old):len(last)-len(old)], new...)
	return bytes.Join(parts, nil)
}

// ReadFiles refuses a fit.json that is cut short, mistyped, too large or
// not calibrate's, with the file, the line where there is one, the key
// path as fit.json spells it (with no Go name: the fields of the targets,
// promoted from Target, and of the posterior's summaries and checks,
// which decode themselves, among them) and the fix.
func TestReadFilesBadFit(t *testing.T) {
	t.Parallel()
	_, dir := writtenFixture(t, nil)
	fit := filepath.Join(dir, FitFile)
	good := readFile(t, fit)
	const fix = " (was the file edited? rerun coopsim calibrate)"
	for _, c := range []struct {
		name string
		text []byte
		line int
		msg  string
	}{
		{"cut short", good[:bytes.Index(good, []byte(`"regime"`))], 0, "the file is cut short" + fix},
		{"empty", nil, 0, "empty file" + fix},
		{"syntax", replaceNth(t, good, `"runs": 2,`, `"runs": 2,,`, 0), 4, "not valid JSON: invalid character ',' looking for beginning of object key string" + fix},
		{"trailing", append(slices.Clip(good), "{}"...), 0, "trailing data after the JSON object" + fix},
		{"seed", replaceNth(t, good, `"seed": 7`, `"seed": "7"`, 0), lineOf(t, good, `"seed"`, 0), "field seed: want a whole number, 0 or more, got text" + fix},
		{"target", replaceNth(t, good, `"value": 0.05`, `"value": "5%"`, 0), lineOf(t, good, `"value": 0.05`, 0), "field targets[1].value: want a number, got text" + fix},
		{"month", replaceNth(t, good, `"2024-03"`, `"2024-13"`, 1), lineOf(t, good, `"2024-03"`, 1), `field targets[1].date: "2024-13", want a month "YYYY-MM" with a year 1900-2200 and a month 01-12` + fix},
		{"summary", replaceNth(t, good, `"q50": `, `"q50": "x", "was": `, 1), lineOf(t, good, `"q50"`, 1), "field posterior.params[1].q50: want a number, got text" + fix},
		{"check", replaceNth(t, good, `"pit": `, `"pit": true, "was": `, 1), lineOf(t, good, `"pit"`, 1), "field posterior.predictive[1].pit: want a number, got true or false" + fix},
		{"unknown key", replaceNth(t, good, `"seed"`, `"sede"`, 0), lineOf(t, good, `"seed"`, 0), "unknown key sede" + fix},
		{"unknown in a summary", replaceNth(t, good, `"rhat"`, `"r_hat"`, 1), lineOf(t, good, `"rhat"`, 1), "unknown key posterior.params[1].r_hat" + fix},
		{"no targets", []byte(`{"seed": 1}`), 0, "has no targets: it is not the fit.json of coopsim calibrate (give the directory that calibrate's --out names)"},
	} {
		if err := os.WriteFile(fit, c.text, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFiles(dir)
		wantFileError(t, c.name, err, fit, c.line, c.msg)
	}

	f, err := os.Create(fit)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxFitBytes + 1); err != nil { // sparse: never read
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadFiles(dir)
	wantFileError(t, "huge", err, fit, 0, "is larger than 16 MiB: a fit.json is tens of kilobytes: was it replaced? rerun coopsim calibrate")

	_, err = ReadFiles(filepath.Join(dir, "nowhere"))
	wantFileError(t, "missing", err, filepath.Join(dir, "nowhere", FitFile), 0, "no such file: check the path")
}

// ReadFiles refuses a fit.json whose posterior does not list one prior,
// one summary and one predictive check a parameter or target (it used to
// stop short of the priors it lacked, silently).
func TestReadFilesBadPosterior(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		edit func(*Result)
		want string
	}{
		"fewer priors":  {func(r *Result) { r.Posterior.Priors = r.Posterior.Priors[:1] }, "posterior.priors lists 1 prior for 2 fitted parameters, want one a parameter"},
		"more priors":   {func(r *Result) { r.Posterior.Priors = append(r.Posterior.Priors, "x") }, "posterior.priors lists 3 priors for 2 fitted parameters, want one a parameter"},
		"summaries":     {func(r *Result) { r.Posterior.Result.Params[1].Name = "q" }, "posterior.params are buyers.accounts, q, want the fitted parameters buyers.accounts, buyers.diffusion.p"},
		"predictive":    {func(r *Result) { r.Posterior.Predictive = r.Posterior.Predictive[:1] }, "posterior.predictive checks toy_revenue, want the targets toy_revenue, toy_share"},
		"no iterations": {func(r *Result) { r.Posterior.Iterations = 0 }, "posterior has 2 chains of 0 draws, want at least 1 of 1"},
		"one chain":     {func(r *Result) { r.Posterior.Chains, r.Posterior.Iterations = 1, 1 }, ""},
	} {
		_, dir := writtenFixture(t, c.edit)
		_, err := ReadFiles(dir)
		if c.want == "" { // fit.json is sound; posterior.csv does not match it
			wantFileError(t, name, err, filepath.Join(dir, PosteriorFile), 0, "2 chains of 30 draws, fit.json says 1 × 1: posterior.csv and fit.json must come from the same coopsim calibrate --posterior")
			continue
		}
		wantFileError(t, name, err, filepath.Join(dir, FitFile), 0, c.want+": was the file edited? rerun coopsim calibrate")
	}
}

// ReadFiles refuses a posterior.csv that is missing, too large, not
// calibrate's, or not the sample fit.json describes, naming the file, the
// line at fault and the fix.
func TestReadFilesBadDraws(t *testing.T) {
	t.Parallel()
	res, dir := writtenFixture(t, nil)
	path := filepath.Join(dir, PosteriorFile)
	good := string(readFile(t, path))
	lines := strings.SplitAfter(good, "\n")
	const fix = "; posterior.csv and fit.json must come from the same coopsim calibrate --posterior"
	for name, c := range map[string]struct {
		text string
		line int
		want string
	}{
		"header":       {strings.Replace(good, "buyers.diffusion.p", "buyers.diffusion.q", 1), 1, `the header is "chain,buyers.accounts,buyers.diffusion.q", want "chain,buyers.accounts,buyers.diffusion.p"` + fix},
		"no chain":     {strings.Replace(good, "chain,", "", 1), 1, `the header is "buyers.accounts,buyers.diffusion.p", want "chain,buyers.accounts,buyers.diffusion.p"` + fix},
		"chain number": {strings.Join(lines[:5], "") + "a" + lines[5][1:] + strings.Join(lines[6:], ""), 6, `chain "a" is not a chain number: want a whole number from 0 in the first column` + fix},
		"cut short":    {strings.Join(lines[:len(lines)-2], ""), 60, "the file ends after 29 draws of chain 1, chain 0 has 30: want chains of equal length (is it cut short?)" + fix},
		"one chain":    {strings.Join(lines[:31], ""), 0, "1 chain of 30 draws, fit.json says 2 × 30: posterior.csv and fit.json must come from the same coopsim calibrate --posterior"},
		"empty":        {"", 1, "the file is empty: want a header chain,buyers.accounts,buyers.diffusion.p and one row per draw" + fix},
	} {
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFiles(dir)
		wantFileError(t, name, err, path, c.line, c.want)
	}

	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(experiments.MaxPosteriorBytes + 1); err != nil { // sparse: never read
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadFiles(dir)
	wantFileError(t, "huge", err, path, 0, "is larger than 64 MiB: "+experiments.PosteriorSizeHint)

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFiles(dir)
	wantFileError(t, "missing", err, path, 0, "no such file, though fit.json has a posterior: restore it, or rerun coopsim calibrate --posterior")

	// WriteFiles removes an earlier posterior.csv for a point fit; the
	// point fit reads back without one.
	res.Posterior = nil
	if err := res.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFiles(dir); err != nil || got.Posterior != nil || len(got.Targets) != 2 {
		t.Errorf("a point fit read back: %v", err)
	}
}
