package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// smallFile is the tiny seeded experiment shared with package experiments'
// tests and the Slurm e2e script.
var smallFile = filepath.Join("..", "..", "experiments", "testdata", "small.toml")

// cliRun runs the program with args and returns its stdout, stderr and error.
func cliRun(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	var o, e bytes.Buffer
	err = run(ctx, args, &o, &e)
	return o.String(), e.String(), err
}

// cliOK runs the program and fails the test if it returns an error.
func cliOK(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	o, e, err := cliRun(context.Background(), args...)
	if err != nil {
		t.Fatalf("coopsim %s: %v\nstderr:\n%s", strings.Join(args, " "), err, e)
	}
	return o, e
}

// cliFails runs the program, wants an error containing every substring of
// want, on one line, and returns it.
func cliFails(t *testing.T, want []string, args ...string) string {
	t.Helper()
	_, _, err := cliRun(context.Background(), args...)
	if err == nil {
		t.Fatalf("coopsim %s succeeded, want an error", strings.Join(args, " "))
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("coopsim %s: error spans lines: %q", strings.Join(args, " "), msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("coopsim %s: error %q lacks %q", strings.Join(args, " "), msg, w)
		}
	}
	return msg
}

func sameResultFiles(t *testing.T, a, b string) {
	t.Helper()
	for _, f := range []string{report.RunsFile, report.SeriesFile, report.SummaryFile} {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", f, a, b)
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"help"}, {"-h"}, {"--help"}} {
		out, _ := cliOK(t, args...)
		for name, c := range commands {
			if !strings.Contains(out, "coopsim "+c.usage) || !strings.Contains(out, c.summary) {
				t.Errorf("help %v: no usage of %s", args, name)
			}
		}
	}
	out, _ := cliOK(t, "help", "merge")
	if want := "usage: coopsim " + commands["merge"].usage; !strings.HasPrefix(out, want) {
		t.Errorf("help merge: %q, want it to start with %q", out, want)
	}
}

func TestRegimes(t *testing.T) {
	t.Parallel()
	out, _ := cliOK(t, "regimes")
	for _, name := range market.BuiltinRegimeNames() {
		if !strings.Contains(out, "\n"+name+": ") && !strings.HasPrefix(out, name+": ") {
			t.Errorf("regimes: %s missing", name)
		}
	}
	cliFails(t, []string{"regimes takes no arguments"}, "regimes", "x")
}

func TestParams(t *testing.T) {
	t.Parallel()
	out, _ := cliOK(t, "params")
	def := market.DefaultConfig()
	for _, p := range market.Params() {
		if !strings.Contains(out, "\n"+p.Path+" ") {
			t.Errorf("params: %s missing", p.Path)
		}
	}
	if want := "buyers.agents"; !strings.Contains(out, want) || def.Buyers.Agents == 0 {
		t.Errorf("params lacks %s", want)
	}
	cliFails(t, []string{"params takes no arguments"}, "params", "x")
}

func TestDefault(t *testing.T) {
	t.Parallel()
	out, _ := cliOK(t, "default")
	if out != string(experiments.DefaultTOML()) {
		t.Error("default does not print the embedded default experiment")
	}
}

// TestDefaultOut: `default --out DIR` writes the experiment and the
// posterior it draws from, and the copy loads to the built-in default (same
// hash); a second call refuses to overwrite them.
func TestDefaultOut(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "mine")
	cliOK(t, "default", "--out", dir)
	saved, err := experiments.Load(filepath.Join(dir, "default.toml"))
	if err != nil {
		t.Fatalf("the written default does not load: %v", err)
	}
	builtin, err := experiments.Default()
	if err != nil {
		t.Fatal(err)
	}
	if saved.Hash != builtin.Hash || saved.Uncertainty == nil {
		t.Errorf("written default: hash %s, uncertainty %v; want the built-in's %s with its posterior", saved.Hash, saved.Uncertainty != nil, builtin.Hash)
	}
	cliFails(t, []string{"default.toml already exists", "--out"}, "default", "--out", dir)
	cliFails(t, []string{"default takes no arguments"}, "default", "x")
}

func TestValidate(t *testing.T) {
	t.Parallel()
	ref := filepath.Join("..", "..", "experiments", "reference.toml")
	out, _ := cliOK(t, "validate", ref)
	for _, want := range []string{ref + `: ok: experiment "reference", seed 7, 200 runs of 2000 buyers`,
		"scenario history (baseline): regime history", "scenario cheap-azure: regime history; sellers.azure.list_price=0.9"} {
		if !strings.Contains(out, want) {
			t.Errorf("validate: output lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("name = \"x\"\nseed = 1\nrunz = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cliFails(t, []string{bad, "runz: unknown key", `did you mean "runs"`}, "validate", bad)
	cliFails(t, []string{"validate needs one experiment file"}, "validate")
	cliFails(t, []string{"absent.toml", "no such file"}, "validate", "absent.toml")
	// A file with a sensitivity study says what the study runs, and warns
	// of scrambles too small for their intervals.
	out, _ = cliOK(t, "validate", studyFile)
	for _, want := range []string{"  sensitivity: sobol over 4 factors, 2 outputs: 48 design points × 2 runs", "  warning: sensitivity: 4 base rows a scramble", ": ok: experiment \"", ", coopsim run: "} {
		if !strings.Contains(out, want) {
			t.Errorf("validate %s: output lacks %q:\n%s", studyFile, want, out)
		}
	}
	// A discovery study says what it runs too; the file's runs are coopsim
	// run's, and said so.
	capBinds := filepath.Join("..", "..", "experiments", "examples", "cap-binds.toml")
	out, _ = cliOK(t, "validate", capBinds)
	for _, want := range []string{", coopsim run: 1000 runs of 10000 buyers", "  discover: sobol design over 7 factors: 256 design points × 10 runs, looking for where cap_bound_by_window_end@history > 0.5"} {
		if !strings.Contains(out, want) {
			t.Errorf("validate %s: output lacks %q:\n%s", capBinds, want, out)
		}
	}
}

func TestUnknownCommandAndFlags(t *testing.T) {
	t.Parallel()
	cliFails(t, []string{`unknown command "rnu"`, `did you mean "run"`, "coopsim help"}, "rnu")
	cliFails(t, []string{`unknown command "valdate"`, `did you mean "validate"`}, "valdate")
	cliFails(t, []string{"run: unknown flag --bogus", "coopsim help run"}, "run", "--bogus")
	cliFails(t, []string{"--runs before a command: flags go after it, e.g. coopsim run --runs ..."}, "--runs", "2", "run")
	cliFails(t, []string{"--version: the command is written without dashes: coopsim version"}, "--version")
	cliFails(t, []string{"plot: " + smallFile + " is a file: give the result directory", "coopsim run " + smallFile}, "plot", smallFile)
	cliFails(t, []string{"--runs: x is not a whole number"}, "run", smallFile, "--runs", "x")
	cliFails(t, []string{"--runs -3, want 1 to 10000000"}, "run", smallFile, "--runs", "-3")
	cliFails(t, []string{"--runs 0, want 1 to 10000000"}, "run", smallFile, "--runs", "0")
	cliFails(t, []string{"--workers -2: want 1 to 4096"}, "run", smallFile, "--workers", "-2")
	cliFails(t, []string{`--seed "abc"`, "want a whole number"}, "run", smallFile, "--seed", "abc")
	cliFails(t, []string{`--shard "4/3"`, "want K/N with 1 ≤ K ≤ N"}, "run", smallFile, "--shard", "4/3")
	cliFails(t, []string{`--shard "x"`}, "run", smallFile, "--shard", "x")
	cliFails(t, []string{"one experiment file at a time"}, "run", smallFile, smallFile)
	cliFails(t, []string{`--format "gif"`, "want png, svg or pdf"}, "plot", t.TempDir(), "--format", "gif")
	cliFails(t, []string{"plot needs one result directory"}, "plot")
	cliFails(t, []string{"merge needs --out DIR"}, "merge", "a")
	cliFails(t, []string{"merge needs the shard directories"}, "merge", "--out", t.TempDir())
	cliFails(t, []string{"--resume DIR writes to DIR"}, "run", smallFile, "--resume", "a", "--out", "b")
	cliFails(t, []string{"--resume DIR writes to DIR"}, "sensitivity", smallFile, "--resume", "a", "--out", "b")
	cliFails(t, []string{"--merge and --resume do not go together"}, "discover", smallFile, "a", "--merge", "--resume", "a")
	cliFails(t, []string{"--draws 50 needs --posterior"}, "calibrate", "--draws", "50")
}

// TestRunSmall runs the small experiment quietly without plots, then
// redraws its plots, and checks what a user sees.
func TestRunSmall(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "res")
	out, errOut := cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", dir, "--workers", "2")
	for _, want := range []string{"small: 8 runs of 3 scenarios", "history (baseline)", "amended-no-cap", "cap-10b", "results: " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(errOut, "runs/s,") {
		t.Errorf("--quiet printed progress:\n%s", errOut)
	}
	for _, f := range []string{report.RunsFile, report.SeriesFile, report.SummaryFile} {
		if !exists(filepath.Join(dir, f)) {
			t.Errorf("%s not written", f)
		}
	}
	if exists(filepath.Join(dir, "plots")) || exists(filepath.Join(dir, experiments.PartialFile)) {
		t.Error("--no-plots run left plots/ or a checkpoint")
	}

	// An existing result directory is refused unless --force.
	cliFails(t, []string{"output directory " + dir + " already exists", "--force"}, "run", smallFile, "--quiet", "--no-plots", "--out", dir)
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", dir, "--force")

	// plot redraws the figures from the files.
	pout, _ := cliOK(t, "plot", dir)
	files := strings.Fields(pout)
	if len(files) == 0 {
		t.Fatal("plot listed no figures")
	}
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 || !strings.HasPrefix(f, filepath.Join(dir, "plots")) && f != filepath.Join(dir, "report.html") {
			t.Errorf("figure %s: %v", f, err)
		}
	}
	svg := filepath.Join(t.TempDir(), "svg")
	sout, _ := cliOK(t, "plot", dir, "--format", "svg", "--out", svg)
	if n := len(strings.Fields(sout)); n != len(files) || !strings.Contains(sout, ".svg") {
		t.Errorf("plot --format svg: %d files (%q), want %d .svg", n, sout, len(files))
	}

	// --force clears the old results (the figures just drawn included), so
	// old and new files never mix; other files in the directory stay.
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", dir, "--force")
	if exists(filepath.Join(dir, "plots")) {
		t.Error("--force left the old plots/ beside the new results")
	}
	if !exists(keep) {
		t.Error("--force removed a file that is not a result file")
	}
}

// TestPlotBadDir: plot names the file it cannot read, on one line. It
// reads summary.json and series.csv (runs.csv is for users' own analyses).
func TestPlotBadDir(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "res")
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", src)
	copyDir := func(t *testing.T) string {
		t.Helper()
		d := t.TempDir()
		for _, f := range []string{report.RunsFile, report.SeriesFile, report.SummaryFile} {
			b, err := os.ReadFile(filepath.Join(src, f))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(d, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	for _, f := range []string{report.SeriesFile, report.SummaryFile} {
		t.Run("missing "+f, func(t *testing.T) {
			d := copyDir(t)
			if err := os.Remove(filepath.Join(d, f)); err != nil {
				t.Fatal(err)
			}
			cliFails(t, []string{filepath.Join(d, f)}, "plot", d)
		})
		t.Run("corrupt "+f, func(t *testing.T) {
			d := copyDir(t)
			p := filepath.Join(d, f)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// Cut it mid-line, as a crash or a full disk would.
			if err := os.WriteFile(p, append(b[:len(b)/2:len(b)/2], "\nx,y"...), 0o644); err != nil {
				t.Fatal(err)
			}
			cliFails(t, []string{p}, "plot", d)
		})
	}
	cliFails(t, []string{"nowhere"}, "plot", filepath.Join(t.TempDir(), "nowhere"))
}

// TestInvalidWritesNothing: an invalid experiment is refused before any
// file or directory is created.
func TestInvalidWritesNothing(t *testing.T) {
	root := t.TempDir()
	bad := filepath.Join(root, "bad.toml")
	text := "name = \"bad\"\nseed = 1\nruns = 2\nbaseline = \"h\"\n[[scenario]]\nname = \"h\"\nregime = \"histroy\"\n"
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "out")
	cliFails(t, []string{bad, `unknown regime "histroy"`}, "run", bad, "--out", dir)
	if exists(dir) {
		t.Errorf("%s was created for an invalid experiment", dir)
	}
	// Nor in the default place, out/<name>, relative to the working directory.
	t.Chdir(root)
	cliFails(t, []string{"bad.toml"}, "run", "bad.toml")
	if exists(filepath.Join(root, "out")) {
		t.Error("out/ was created for an invalid experiment")
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("working directory holds %d entries after an invalid run, want only bad.toml", len(entries))
	}
}

// TestShardsMerge: three shards merged through the CLI give the files of
// one run.
func TestShardsMerge(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	single := reference(t)
	var dirs []string
	for k := 1; k <= 3; k++ {
		d := filepath.Join(root, "d"+string(rune('0'+k)))
		out, _ := cliOK(t, "run", smallFile, "--quiet", "--shard", string(rune('0'+k))+"/3", "--out", d)
		if !strings.Contains(out, "coopsim merge") {
			t.Errorf("shard %d: stdout %q does not say how to merge", k, out)
		}
		if !exists(filepath.Join(d, experiments.PartialFile)) || exists(filepath.Join(d, report.SummaryFile)) {
			t.Errorf("shard %d: want partial.gob and no summary.json in %s", k, d)
		}
		dirs = append(dirs, d)
	}
	m := filepath.Join(root, "m")
	cliFails(t, []string{"missing shard(s) 2/3"}, "merge", dirs[0], dirs[2], "--out", m, "--no-plots")
	if exists(m) {
		t.Error("a refused merge created its output directory")
	}
	cliFails(t, []string{dirs[1], "finished shard", "nothing to resume"}, "run", smallFile, "--quiet", "--shard", "2/3", "--resume", dirs[1])
	cliOK(t, append(append([]string{"merge"}, dirs...), "--out", m, "--no-plots")...)
	sameResultFiles(t, single, m)
	cliFails(t, []string{"already exists"}, append(append([]string{"merge"}, dirs...), "--out", m)...)
}

// countdownCtx is a context cancelled after a number of checks: the
// ensemble checks its context before each run, so with one worker it is
// interrupted after exactly n runs, as by Ctrl-C at that moment.
type countdownCtx struct {
	context.Context
	mu   sync.Mutex
	left int
	done chan struct{}
}

func newCountdown(n int) *countdownCtx {
	return &countdownCtx{Context: context.Background(), left: n, done: make(chan struct{})}
}

func (c *countdownCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left <= 0 {
		return context.Canceled
	}
	c.left--
	if c.left == 0 {
		close(c.done)
	}
	return nil
}

func (c *countdownCtx) Done() <-chan struct{} { return c.done }

// TestInterruptResume: an interrupted run keeps its runs, says how to
// resume, refuses to be overwritten by accident, and resumes to the same
// files as an uninterrupted run.
func TestInterruptResume(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	single := reference(t)

	dir := filepath.Join(root, "int")
	_, errOut, err := cliRun(newCountdown(3), "run", smallFile, "--quiet", "--no-plots", "--workers", "1", "--seed", "42", "--out", dir)
	if err == nil || err.Error() != "interrupted" {
		t.Fatalf("interrupted run: %v, want \"interrupted\"", err)
	}
	if !exists(filepath.Join(dir, experiments.PartialFile)) || exists(filepath.Join(dir, report.SummaryFile)) {
		t.Fatalf("interrupted run: want %s and no %s in %s", experiments.PartialFile, report.SummaryFile, dir)
	}
	if !strings.Contains(errOut, "interrupted after 3 of 8 runs") {
		t.Errorf("stderr does not say how many runs are kept:\n%s", errOut)
	}
	_, resume, ok := strings.Cut(errOut, "to finish, run: ")
	if !ok {
		t.Fatalf("stderr gives no resume command:\n%s", errOut)
	}
	resume = strings.TrimSpace(strings.SplitN(resume, "\n", 2)[0])
	want := "coopsim run " + smallFile + " --seed 42 --resume " + dir
	if resume != want {
		t.Errorf("resume command %q, want %q", resume, want)
	}

	// Not overwritten by accident; nor resumed as another experiment.
	cliFails(t, []string{"holds an interrupted run", "--resume " + dir}, "run", smallFile, "--quiet", "--out", dir)
	cliFails(t, []string{"different experiment"}, "run", smallFile, "--quiet", "--seed", "7", "--resume", dir)

	// The printed command finishes it (quietly, without plots, here).
	args := append(strings.Fields(strings.TrimPrefix(resume, "coopsim ")), "--quiet", "--no-plots")
	cliOK(t, args...)
	sameResultFiles(t, single, dir)
	if exists(filepath.Join(dir, experiments.PartialFile)) {
		t.Error("the finished run kept its checkpoint")
	}

	// --force overwrites an interrupted run instead.
	forced := filepath.Join(root, "forced")
	if _, _, err := cliRun(newCountdown(2), "run", smallFile, "--quiet", "--no-plots", "--workers", "1", "--out", forced); err == nil {
		t.Fatal("second interrupted run succeeded")
	}
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", forced, "--force")
	sameResultFiles(t, single, forced)
	cliFails(t, []string{experiments.PartialFile, "no partial result here: " + single + " holds a finished run (its summary.json); nothing to resume"}, "run", smallFile, "--resume", single)
}

// TestOneShard: --shard 1/1 (a Slurm array of one task) is a shard like
// any other: it writes a partial result that merge turns into the files of
// a plain run.
func TestOneShard(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	single := reference(t)
	d := filepath.Join(root, "s1")
	cliOK(t, "run", smallFile, "--quiet", "--shard", "1/1", "--out", d)
	if !exists(filepath.Join(d, experiments.PartialFile)) {
		t.Fatalf("--shard 1/1 wrote no %s", experiments.PartialFile)
	}
	m := filepath.Join(root, "m")
	cliOK(t, "merge", d, "--out", m, "--no-plots")
	sameResultFiles(t, single, m)
}

// TestForceIsSafe: --force overwrites coopsim's results only, and only
// once the new ones are ready: a directory of other files is refused, a
// forced run that fails keeps the old results, and merge will not write
// into a shard it reads.
func TestForceIsSafe(t *testing.T) {
	t.Parallel()
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "thesis.tex"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cliFails(t, []string{"output directory " + other + " is not empty and holds no coopsim results"}, "run", smallFile, "--quiet", "--out", other, "--force")
	if !exists(filepath.Join(other, "thesis.tex")) {
		t.Fatal("a refused --force removed a file")
	}

	dir := filepath.Join(t.TempDir(), "res")
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", dir)
	before, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	// Precision mode cannot be sharded: the forced run fails before it
	// writes anything, and the old results stay whole.
	cliFails(t, []string{"precision mode cannot be sharded"}, "run", filepath.Join("..", "..", "experiments", "testdata", "precision.toml"), "--quiet", "--out", dir, "--force", "--shard", "1/2")
	after, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	if err != nil || string(after) != string(before) {
		t.Fatalf("a failed forced run changed the old summary.json (%v)", err)
	}

	s1 := filepath.Join(t.TempDir(), "s1")
	cliOK(t, "run", smallFile, "--quiet", "--shard", "1/2", "--out", s1)
	cliFails(t, []string{"is (inside) the shard directory"}, "merge", s1, "--out", filepath.Join(s1, "merged"))
	if !exists(filepath.Join(s1, experiments.PartialFile)) {
		t.Fatal("a refused merge touched its shard")
	}
}
