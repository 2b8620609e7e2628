package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/plots"
)

// studyFile is the tiny design study shared with package experiments.
var studyFile = filepath.Join("..", "..", "experiments", "testdata", "sensitivity.toml")

// sameFiles fails unless the named files of dirs a and b are identical.
func sameFiles(t *testing.T, a, b string, names ...string) {
	t.Helper()
	for _, n := range names {
		x, err1 := os.ReadFile(filepath.Join(a, n))
		y, err2 := os.ReadFile(filepath.Join(b, n))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", n, err1, err2)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", n, a, b)
		}
	}
}

// The sensitivity command runs end to end: its indices cover every factor
// and output, and three shards merged give the same bytes as one run.
func TestSensitivityShardsMerge(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	whole := filepath.Join(tmp, "whole")
	out, errOut := cliOK(t, "sensitivity", studyFile, "--out", whole, "--quiet")
	if !strings.Contains(out, "S1") || !strings.Contains(out, "buyers.diffusion.q") {
		t.Errorf("output lacks the index table:\n%s", out)
	}
	// The test study's scrambles of 4 rows are warned about, even --quiet.
	if !strings.Contains(errOut, "coopsim: warning: sensitivity: 4 base rows a scramble") {
		t.Errorf("stderr lacks the small-scramble warning:\n%s", errOut)
	}
	var rep experiments.SensitivityReport
	b, err := os.ReadFile(filepath.Join(whole, experiments.SensitivityFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Points != 48 || len(rep.Outputs) != 2 || len(rep.Outputs[1].Sobol) != 4 || rep.Outputs[0].Variance <= 0 || rep.Outputs[1].Variance <= 0 {
		t.Fatalf("report: %d points, %d outputs, %+v", rep.Points, len(rep.Outputs), rep.Outputs)
	}
	if !exists(filepath.Join(whole, "plots", plots.SobolFile)) {
		t.Error("no Sobol figure")
	}
	var dirs []string
	for k := 1; k <= 3; k++ {
		d := filepath.Join(tmp, "shard", string(rune('0'+k)))
		cliOK(t, "sensitivity", studyFile, "--shard", string(rune('0'+k))+"/3", "--out", d, "--quiet")
		dirs = append(dirs, d)
	}
	merged := filepath.Join(tmp, "merged")
	if _, e := cliOK(t, append([]string{"sensitivity", studyFile, "--merge", "--out", merged, "--quiet"}, dirs...)...); !strings.Contains(e, "4 base rows a scramble") {
		t.Errorf("the merge, which computes the intervals, does not warn of their small scrambles:\n%s", e)
	}
	sameFiles(t, whole, merged, experiments.SensitivityFile, experiments.SensitivityCSVFile, experiments.PointsFile)
	// A missing shard is refused in one line.
	cliFails(t, []string{"design point", "none of the shards"}, "sensitivity", studyFile, "--merge", "--out", filepath.Join(tmp, "m2"), dirs[0], dirs[2])
	// So are earlier results without --force.
	cliFails(t, []string{"already holds results", "--force"}, "sensitivity", studyFile, "--out", whole)
}

// Bad input is one line naming the key and the fix, and nothing is
// written.
func TestSensitivityBadInput(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile(studyFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, old, new string
		want           []string
	}{
		{"unknown factor", `"buyers.diffusion.q" =`, `"buyers.diffusion.qq" =`, []string{`factors."buyers.diffusion.qq"`, "unknown market parameter", "did you mean"}},
		{"reversed range", `{low = 0.1, high = 0.2}`, `{low = 0.2, high = 0.1}`, []string{`factors."buyers.diffusion.q"`, "low"}},
		{"empty range", `{low = 0.1, high = 0.2}`, `{low = 0.1, high = 0.1}`, []string{`factors."buyers.diffusion.q"`}},
		{"bad distribution", `sdlog = 0.2`, `sdlog = -1`, []string{`factors."buyers.budget_median_usd"`, "sdlog"}},
		{"not a power of two", `base_size = 8`, `base_size = 6`, []string{"sensitivity.base_size", "power of two"}},
		{"too large", `base_size = 8`, "base_size = 8\nmax_points = 10", []string{"sensitivity.max_points", "48 points"}},
		{"unknown regime", `"regime.history.cap_usd"`, `"regime.histori.cap_usd"`, []string{`factors."regime.histori.cap_usd"`, "regime a scenario runs under"}},
		{"unknown term", `"regime.history.cap_usd"`, `"regime.history.cap_used"`, []string{`factors."regime.history.cap_used"`, `did you mean "cap_usd"`}},
		{"term not set", `"regime.history.cap_usd"`, `"regime.amended-no-cap.cap_usd"`, []string{"no amendment of regime amended-no-cap sets cap_usd"}},
		{"share out of range", `"regime.history.cap_usd" = {dist = "triangular", low = 5e9, mode = 15e9, high = 40e9}`, `"regime.history.share_to_microsoft" = {low = 0.1, high = 1.5}`, []string{"factors", "narrow the factors' ranges"}},
		{"unknown metric", `metric = "net_revenue/openai"`, `metric = "net_revenue/opneai"`, []string{"sensitivity.output[1].metric", "did you mean"}},
		{"unknown scenario", `minus = "history"`, `minus = "histroy"`, []string{"sensitivity.output[0].minus", "did you mean"}},
		{"unknown key", `replicates = 2`, `replicate = 2`, []string{"sensitivity.replicate", "unknown key", "did you mean"}},
		{"bad method", `method = "sobol"`, `method = "fast"`, []string{"sensitivity.method"}},
		{"unknown distribution", `dist = "lognormal", median = 1000, sdlog = 0.2`, `dist = "gamma", shape = -1`, []string{"buyers.budget_median_usd.shape", "unknown key"}},
		{"base size beyond the limit", `base_size = 8`, `base_size = 1000000000`, []string{"sensitivity.base_size", "want 2 to"}},
		{"base size not whole", `base_size = 8`, `base_size = 1e9`, []string{"base_size"}},
		{"factor not a range", `"regime.history.cap_usd" = {dist = "triangular", low = 5e9, mode = 15e9, high = 40e9}`, `"regime.history.cap_usd" = [1e9, "x"]`, []string{"regime.history.cap_usd"}},
		{"no factors", `"buyers.diffusion.q" = {low = 0.1, high = 0.2}
"buyers.budget_median_usd" = {dist = "lognormal", median = 1000, sdlog = 0.2}
"buyers.renewal_months" = {low = 6, high = 18}
"regime.history.cap_usd" = {dist = "triangular", low = 5e9, mode = 15e9, high = 40e9}`, ``, []string{"factors", "missing"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := strings.Replace(string(base), c.old, c.new, 1)
			if text == string(base) {
				t.Fatalf("%q not in the file", c.old)
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "bad.toml")
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			cliFails(t, c.want, "sensitivity", file, "--out", out, "--quiet")
			refusedEverywhere(t, c.want, file, out)
		})
	}
}

// refusedEverywhere checks that validate, run, sensitivity and discover all
// refuse the file with an error containing want, and that none of them
// wrote out.
func refusedEverywhere(t *testing.T, want []string, file, out string) {
	t.Helper()
	cliFails(t, want, "validate", file)
	for _, cmd := range []string{"run", "sensitivity", "discover"} {
		cliFails(t, want, cmd, file, "--out", out, "--quiet")
	}
	if exists(out) {
		t.Errorf("%s was created", out)
	}
}

// Morris screening runs end to end on the same factors, its shards merge
// to the same bytes, and its table shows mu*.
func TestSensitivityMorris(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile(studyFile)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(base), "method = \"sobol\"\nbase_size = 8\nscrambles = 2", "method = \"morris\"\ntrajectories = 4\nlevels = 4", 1)
	tmp := t.TempDir()
	file := filepath.Join(tmp, "morris.toml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := cliOK(t, "sensitivity", file, "--out", filepath.Join(tmp, "whole"), "--quiet")
	if !strings.Contains(out, "mu*") || !strings.Contains(out, "morris sensitivity over 20 design points") {
		t.Errorf("output:\n%s", out)
	}
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	cliOK(t, "sensitivity", file, "--shard", "1/2", "--out", a, "--quiet")
	cliOK(t, "sensitivity", file, "--shard", "2/2", "--out", b, "--quiet")
	cliOK(t, "sensitivity", file, "--merge", a, b, "--out", filepath.Join(tmp, "merged"), "--quiet")
	sameFiles(t, filepath.Join(tmp, "whole"), filepath.Join(tmp, "merged"), experiments.SensitivityFile, experiments.SensitivityCSVFile, experiments.PointsFile)
}

// An interrupted study saves the points it finished, says how to resume,
// and resumes to the same files as an uninterrupted run; merge refuses an
// interrupted shard.
func TestSensitivityInterruptResume(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	whole := filepath.Join(tmp, "whole")
	cliOK(t, "sensitivity", studyFile, "--out", whole, "--quiet", "--no-plots")
	dir := filepath.Join(tmp, "stopped")
	_, _, err := cliRun(newCountdown(20), "sensitivity", studyFile, "--out", dir, "--quiet", "--no-plots")
	if err == nil || !strings.Contains(err.Error(), "interrupted after") || !strings.Contains(err.Error(), "--resume "+dir) {
		t.Fatalf("interrupted run: err = %v", err)
	}
	if exists(filepath.Join(dir, experiments.SensitivityFile)) {
		t.Error("an interrupted run wrote sensitivity.json")
	}
	cliOK(t, "sensitivity", studyFile, "--resume", dir, "--quiet", "--no-plots")
	sameFiles(t, whole, dir, experiments.SensitivityFile, experiments.SensitivityCSVFile, experiments.PointsFile)
	if exists(filepath.Join(dir, experiments.PointsShardFile)) {
		t.Error("a finished resume left points-shard.json")
	}
	// An interrupted shard cannot be merged until it is finished.
	sd := filepath.Join(tmp, "shard")
	if _, _, err := cliRun(newCountdown(10), "sensitivity", studyFile, "--shard", "1/2", "--out", sd, "--quiet"); err == nil {
		t.Fatal("the countdown did not interrupt the shard")
	}
	cliFails(t, []string{"interrupted shard", "--resume"}, "sensitivity", studyFile, "--merge", sd, "--out", filepath.Join(tmp, "m"), "--quiet")
	cliOK(t, "sensitivity", studyFile, "--shard", "1/2", "--resume", sd, "--quiet")
	// Resuming a directory with no interrupted run is refused.
	cliFails(t, []string{"no interrupted run"}, "sensitivity", studyFile, "--resume", whole, "--quiet")
}
