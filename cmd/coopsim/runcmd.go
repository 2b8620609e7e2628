package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/coopsim/coopsim/cmd/coopsim/internal/outdir"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/atomicfile"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/internal/words"
	"github.com/coopsim/coopsim/plots"
)

// loadExperiment loads FILE, or the embedded default when no file is given.
func loadExperiment(pos []string) (*experiments.Experiment, error) {
	switch len(pos) {
	case 0:
		return experiments.Default()
	case 1:
		if fi, err := os.Stat(pos[0]); err == nil && fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory: give the experiment's .toml file", pos[0])
		}
		return experiments.Load(pos[0])
	default:
		return nil, fmt.Errorf("one experiment file at a time, got %d: %s", len(pos), strings.Join(pos, " "))
	}
}

func parseShard(s string) (experiments.Shard, error) {
	if s == "" {
		return experiments.Shard{}, nil
	}
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ni > engine.MaxRuns || ki < 1 || ki > ni {
		return experiments.Shard{}, fmt.Errorf("--shard %q: want K/N with 1 ≤ K ≤ N ≤ %d, e.g. --shard 2/8 for the second of eight shards", s, engine.MaxRuns)
	}
	return experiments.Shard{K: ki, N: ni}, nil
}

// runFlags are run's flags after parsing; set names those given.
type runFlags struct {
	out, seed, shard, resume string
	runs, workers            int
	force, noPlots, quiet    bool
	parquet, point           bool
	checkpoint               time.Duration
	set                      map[string]bool
}

// runPlan is what a run will do, decided before anything is simulated.
type runPlan struct {
	e         *experiments.Experiment
	shard     experiments.Shard
	dir       string
	prior     *experiments.Outcome // the interrupted run to finish (--resume)
	overwrite bool                 // earlier results in dir go once the new ones are ready
	// removedFigures counts the earlier figures that went with them.
	removedFigures int
}

// cmdRun runs an experiment and writes its results: parse the flags, load
// the experiment, plan where the results go, simulate, then write the
// results (or, when interrupted, the completed runs and how to resume).
func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, pos, err := parseRunFlags(args, stderr)
	if err != nil {
		return err
	}
	e, err := loadRunExperiment(pos, f)
	if err != nil {
		return err
	}
	plan, err := planRun(e, f)
	if err != nil {
		return err
	}
	if err := checkMemory(e, plan.total(), plan.shard.N); err != nil {
		return err
	}
	lock, err := lockOut(plan.dir, "run", args)
	if err != nil {
		return err
	}
	defer lock.Release()
	if err := plan.prepare(f.resume != "", f.force); err != nil {
		return err
	}
	cp := newCheckpoints(plan, resumeCommand(pos, f, plan.dir), plan.total())
	onSecondSignal.Store(cp)
	defer onSecondSignal.Store(nil)
	o, total, err := simulate(ctx, plan, f, cp, stderr)
	if errors.Is(err, experiments.ErrInterrupted) {
		return saveInterrupted(o, plan, total, cp, stderr)
	}
	if err != nil {
		return err
	}
	return writeRun(ctx, o, plan, !f.noPlots, cp, stdout, stderr)
}

// parseRunFlags parses run's flags and returns them with the positional
// arguments.
func parseRunFlags(args []string, stderr io.Writer) (*runFlags, []string, error) {
	fs := newFlags("run", stderr)
	f := &runFlags{set: map[string]bool{}}
	fs.StringVar(&f.out, "out", "", "result directory (default out/<experiment name>, or out/<name>/shard-K-of-N)")
	fs.IntVar(&f.runs, "runs", 0, "runs per scenario (overrides the file)")
	fs.StringVar(&f.seed, "seed", "", "master seed (overrides the file)")
	fs.IntVar(&f.workers, "workers", 0, fmt.Sprintf("goroutines, 1 to %d (default 0: all cores)", engine.MaxWorkers))
	fs.StringVar(&f.shard, "shard", "", "run only shard K of N (K/N), for merge")
	fs.StringVar(&f.resume, "resume", "", "finish the interrupted run in DIR")
	fs.BoolVar(&f.force, "force", false, "overwrite an existing result directory")
	fs.BoolVar(&f.noPlots, "no-plots", false, "do not draw figures")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress on stderr")
	fs.BoolVar(&f.parquet, "parquet", false, parquetUsage)
	fs.BoolVar(&f.point, "point-estimate", false, "ignore the experiment's [uncertainty] table: every run at the file's parameter values, for comparison")
	fs.DurationVar(&f.checkpoint, "checkpoint", time.Minute, "save the completed runs at most this often, so a killed run resumes with --resume (0: only when interrupted)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, nil, err
	}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if err := checkWorkers(f.workers); err != nil {
		return nil, nil, err
	}
	if f.checkpoint < 0 {
		return nil, nil, fmt.Errorf("--checkpoint %v: want a duration of 0 or more, e.g. 60s (0: save only when interrupted)", f.checkpoint)
	}
	return f, pos, nil
}

// loadRunExperiment loads the experiment and applies --runs and --seed.
func loadRunExperiment(pos []string, f *runFlags) (*experiments.Experiment, error) {
	e, err := loadExperiment(pos)
	if err != nil {
		return nil, err
	}
	if f.set["runs"] {
		if e, err = e.WithRuns(f.runs); err != nil {
			return nil, err
		}
	}
	if f.seed != "" {
		s, err := strconv.ParseUint(f.seed, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--seed %q: want a whole number from 0 to 18446744073709551615", f.seed)
		}
		e = e.WithSeed(s)
	}
	if f.point {
		e = e.AtPointEstimate()
	}
	return withParquet(e, f.parquet), nil
}

// planRun decides the shard and the result directory; it touches no file.
func planRun(e *experiments.Experiment, f *runFlags) (*runPlan, error) {
	shard, err := parseShard(f.shard)
	if err != nil {
		return nil, err
	}
	p := &runPlan{e: e, shard: shard, dir: f.out}
	if f.resume != "" {
		if p.dir != "" && filepath.Clean(p.dir) != filepath.Clean(f.resume) {
			return nil, errors.New("--resume DIR writes to DIR: leave out --out, or give the same directory")
		}
		p.dir = f.resume
	}
	if p.dir == "" {
		p.dir = filepath.Join("out", e.Name)
		if !shard.Whole() {
			p.dir = filepath.Join(p.dir, fmt.Sprintf("shard-%d-of-%d", shard.K, shard.N))
		}
	}
	if e.Precision > 0 && !shard.Whole() {
		return nil, errors.New("--shard: precision mode cannot be sharded (where it stops depends on all runs): set runs instead of precision in the file")
	}
	return p, nil
}

// prepare reads the run to resume, or checks that the directory may
// receive results; the caller holds the directory's lock.
func (p *runPlan) prepare(resume, force bool) (err error) {
	if !resume {
		p.overwrite, err = checkOutDir(p.dir, force)
		return err
	}
	prior, complete, err := experiments.LoadPartial(p.dir)
	if err != nil {
		return err
	}
	if complete && !prior.Shard.Whole() {
		return fmt.Errorf("%s is a finished shard: nothing to resume (merge it)", p.dir)
	}
	p.prior = prior
	return nil
}

// simulate runs the plan's experiment with a progress report and returns
// the outcome and the number of runs it was to do.
func simulate(ctx context.Context, p *runPlan, f *runFlags, cp *checkpoints, stderr io.Writer) (*experiments.Outcome, int, error) {
	e := p.e
	total := p.total()
	label := e.Name
	if !p.shard.Whole() {
		label += " shard " + p.shard.String()
	}
	if w := bigSeriesWarning(e); w != "" {
		fmt.Fprintln(stderr, "coopsim: "+w)
	}
	if !f.quiet {
		fmt.Fprintf(stderr, "coopsim: %s: %s × %s of %s, %s to %s → %s\n", label, words.Plural(len(e.Scenarios), "scenario"),
			words.Plural(total, "run"), words.Plural(e.Market.Buyers.Agents, "buyer"), e.Market.Start, e.Market.End, p.dir)
	}
	bar := newProgress(stderr, total, label, "runs", f.quiet)
	o, err := experiments.Run(ctx, e, experiments.Options{Workers: f.workers, Shard: p.shard, Progress: bar.Set, Resume: p.prior,
		Checkpoint: cp.save, CheckpointEvery: f.checkpoint})
	bar.Finish()
	return o, total, err
}

// bigSeries is the estimated size of series.csv past which run and
// validate warn of it.
const bigSeries = 2e9

// bigSeriesWarning warns, when e's series.csv would take more than a
// couple of GB (a large sweep), of its estimated size; it returns "" for
// any smaller.
func bigSeriesWarning(e *experiments.Experiment) string {
	b := e.SeriesCSVBytes()
	if b <= bigSeries {
		return ""
	}
	return fmt.Sprintf("warning: series.csv will take about %.0f GB (%s × %d months × %d series, a row each); check the disk has room, or run fewer scenarios or months",
		float64(b)/1e9, words.Plural(len(e.Scenarios), "scenario"), e.Months(), experiments.SeriesMetrics())
}

// total returns the runs the plan's run is to do (a shard's share, or
// max_runs in precision mode).
func (p *runPlan) total() int {
	lo, hi := p.shard.Range(p.e.Runs)
	return hi - lo
}

// clearOld removes a forced run's earlier results. They go only once the
// new ones are ready to be written: a run that fails leaves them as they
// were.
func (p *runPlan) clearOld() error {
	if p.overwrite {
		p.overwrite = false
		var err error
		p.removedFigures, err = clearResults(p.dir)
		return err
	}
	return nil
}

// saveInterrupted keeps an interrupted run's completed runs in its
// directory and says how to finish it.
func saveInterrupted(o *experiments.Outcome, p *runPlan, total int, cp *checkpoints, stderr io.Writer) error {
	if err := cp.save(o); err != nil {
		return fmt.Errorf("interrupted, and the completed runs could not be saved: %w", err)
	}
	fmt.Fprintf(stderr, "coopsim: interrupted after %d of %s; they are kept in %s\n", len(o.RunIDs), words.Plural(total, "run"), p.dir)
	fmt.Fprintf(stderr, "coopsim: to finish, run: %s\n", cp.resume)
	return &interruptedError{msg: "interrupted", said: true}
}

// beforeWrite, if not nil, is called as a finished run starts writing its
// result files. Only tests set it (to interrupt the writing).
var beforeWrite func()

// writeRun writes a finished run: a shard's partial result, or the whole
// experiment's result files and figures. A signal while the result files
// are written abandons them, and says so (interruptedWrite).
func writeRun(ctx context.Context, o *experiments.Outcome, p *runPlan, drawPlots bool, cp *checkpoints, stdout, stderr io.Writer) error {
	if err := p.clearOld(); err != nil {
		return err
	}
	if p.shard.Whole() {
		cp.startWriting()
		if beforeWrite != nil {
			beforeWrite()
		}
		err := finishContext(ctx, o, p.dir, drawPlots, p.removedFigures, stdout)
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return cp.interruptedWrite(stderr)
		}
		return err
	}
	if err := o.SavePartial(p.dir, true); err != nil {
		return err
	}
	if err := writeShardManifest(o, p.dir); err != nil {
		return fmt.Errorf("shard %s: write %s: %w", p.shard, ShardFile, err)
	}
	fmt.Fprintf(stdout, "shard %s of %s: %s in %s; combine all shards with: coopsim merge DIR... --out DIR\n", p.shard, p.e.Name, words.Plural(len(o.RunIDs), "run"), p.dir)
	return nil
}

// finish writes an outcome's result files and figures and prints a summary.
// removedFigures counts the figures of earlier results that --force
// removed: without new figures (--no-plots), finish says they are gone.
func finish(o *experiments.Outcome, dir string, drawPlots bool, removedFigures int, stdout io.Writer) error {
	return finishContext(context.Background(), o, dir, drawPlots, removedFigures, stdout)
}

// finishContext is finish stopped by ctx: done while the result files are
// written, they are abandoned and ctx's error returned; done after, the
// figures and report.html are left out, and it says so.
func finishContext(ctx context.Context, o *experiments.Outcome, dir string, drawPlots bool, removedFigures int, stdout io.Writer) error {
	sum, err := o.WriteAllContext(ctx, dir)
	if err != nil {
		return err
	}
	// A finished run no longer needs its checkpoint, nor the temporary
	// files a process killed while writing left (a resumed run's).
	if err := os.Remove(filepath.Join(dir, experiments.PartialFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove checkpoint: %w", err)
	}
	if err := removeTemps(dir); err != nil {
		return fmt.Errorf("remove temporary files: %w", err)
	}
	// The note follows the results line, where it is seen after the
	// table of (here, thousands of) scenarios.
	note := skipDrawing(ctx, dir, len(sum.Scenarios), drawPlots)
	page := note == ""
	drawPlots = drawPlots && page
	var files []string
	if drawPlots {
		figs, err := plots.WriteDir(dir, filepath.Join(dir, "plots"), plots.DefaultOptions)
		if err != nil {
			return err
		}
		files = plots.Paths(figs)
	}
	extra, err := writeOutputs(o, sum, dir, files, page)
	if err != nil {
		return err
	}
	printSummary(stdout, sum, o)
	fmt.Fprintf(stdout, "\nresults: %s (summary.json, runs.csv, series.csv%s", dir, extra)
	if len(files) > 0 {
		fmt.Fprintf(stdout, ", plots/ with %d figures", len(files))
	}
	fmt.Fprintln(stdout, ")")
	if note != "" {
		fmt.Fprintln(stdout, "coopsim: "+note)
	}
	if !drawPlots && removedFigures > 0 && page {
		fmt.Fprintf(stdout, "removed the earlier results' %s from %s (--no-plots: draw the new ones with coopsim plot %s)\n",
			words.Plural(removedFigures, "figure"), filepath.Join(dir, "plots"), dir)
	}
	return nil
}

// skipDrawing says why the figures and report.html of the results in dir
// are not drawn, or "" if they are: a summary.json larger than the readers
// load (a sweep of thousands of scenarios, which no figure shows readably),
// or a signal after the result files were written.
func skipDrawing(ctx context.Context, dir string, scenarios int, drawPlots bool) string {
	what := "no figures or report.html"
	if !drawPlots {
		what = "no report.html"
	}
	if ctx.Err() != nil {
		return fmt.Sprintf("interrupted after the result files were written: %s (draw them with: coopsim plot %s)", what, dir)
	}
	fi, err := os.Stat(filepath.Join(dir, report.SummaryFile))
	if err != nil || fi.Size() <= report.MaxSummaryBytes {
		return ""
	}
	return fmt.Sprintf("%s: %s (%d MiB, %s) is over the %d MiB they are drawn from, and no figure shows that many scenarios readably; the result files are complete (--no-plots skips the figures)",
		what, report.SummaryFile, (fi.Size()+1<<19)>>20, words.Plural(scenarios, "scenario"), report.MaxSummaryBytes>>20)
}

func resumeCommand(pos []string, f *runFlags, dir string) string {
	runs, seed, shard := f.runs, f.seed, f.shard
	parts := []string{"coopsim", "run"}
	parts = append(parts, pos...)
	if f.point {
		parts = append(parts, "--point-estimate")
	}
	if f.parquet {
		parts = append(parts, "--parquet")
	}
	if runs != 0 {
		parts = append(parts, "--runs", strconv.Itoa(runs))
	}
	if seed != "" {
		parts = append(parts, "--seed", seed)
	}
	if shard != "" {
		parts = append(parts, "--shard", shard)
	}
	parts = append(parts, "--resume", dir)
	return strings.Join(parts, " ")
}

// checkOutDir says whether dir may receive results: a new or empty
// directory may; one holding earlier coopsim results only with force (and
// overwrite reports that they must be cleared); any other is refused, force
// or not, so that --force never deletes what coopsim did not write.
func checkOutDir(dir string, force bool) (overwrite bool, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("output directory %s: %w", dir, err)
	}
	if len(entries) == 0 || len(entries) == 1 && entries[0].Name() == outdir.LockFile {
		return false, nil
	}
	_, errSummary := os.Stat(filepath.Join(dir, report.SummaryFile))
	_, errPartial := os.Stat(filepath.Join(dir, experiments.PartialFile))
	if errSummary != nil && errPartial != nil {
		if !stoppedWrite(dir, entries) {
			return false, fmt.Errorf("output directory %s is not empty and holds no coopsim results: choose another with --out", dir)
		}
		if !force {
			return false, fmt.Errorf("output directory %s holds the files of a run stopped while writing them (no %s): overwrite it with --force, or choose another with --out", dir, report.SummaryFile)
		}
	}
	if force {
		return true, nil
	}
	if errPartial == nil && errSummary != nil {
		return false, fmt.Errorf("output directory %s holds an interrupted run: finish it with --resume %s, or overwrite it with --force", dir, dir)
	}
	return false, fmt.Errorf("output directory %s already exists: choose another with --out, or overwrite it with --force", dir)
}

// resultNames are the files a run or merge writes into its directory.
func resultNames() []string {
	return append([]string{report.SummaryFile, report.RunsFile, report.SeriesFile, experiments.ParamsFile, experiments.PartialFile, ShardFile}, outputFiles...)
}

// stoppedWriteFiles are the result files a run stopped while writing them
// can leave, with their headers: WriteAllContext writes these before
// summary.json, and everything else (report.html, the Parquet files,
// shard.json) after it or into a checkpointed directory.
var stoppedWriteFiles = map[string][]string{
	report.RunsFile:        report.RunsHeader,
	report.SeriesFile:      report.SeriesHeader,
	experiments.ParamsFile: report.ParamsHeader,
}

// stoppedWrite reports whether entries (those of dir, which has neither
// summary.json nor a checkpoint) are what a run stopped while writing its
// results leaves, and so coopsim's to overwrite: only those result files,
// each beginning with coopsim's header, the temporary files of coopsim's
// files, and the lock, with at least one result or temporary file. A
// user's file of any other name (report.html, notes), or a runs.csv of
// another header, makes it not coopsim's.
func stoppedWrite(dir string, entries []os.DirEntry) bool {
	found, names := false, resultNames()
	for _, e := range entries {
		n := e.Name()
		header, result := stoppedWriteFiles[n]
		switch {
		case !e.Type().IsRegular():
			return false
		case n == outdir.LockFile:
		case atomicfile.IsTemp(n, names...):
			found = true
		case result && startsWithHeader(filepath.Join(dir, n), header):
			found = true
		default:
			return false
		}
	}
	return found
}

// startsWithHeader reports whether the file at path begins with the CSV
// header line header, reading only that line's length.
func startsWithHeader(path string, header []string) bool {
	want := strings.Join(header, ",") + "\n"
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	got := make([]byte, len(want))
	_, err = io.ReadFull(f, got)
	return err == nil && string(got) == want
}

// removeTemps removes the temporary files of the result files in dir (a
// process stopped while writing them leaves them), returning the first
// error.
func removeTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var first error
	names := resultNames()
	for _, e := range entries {
		if atomicfile.IsTemp(e.Name(), names...) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// clearResults removes the files an earlier run or merge wrote into dir,
// and nothing else: the result files, their temporary files, the
// checkpoint, and coopsim's figures in plots/ (the folder too, if that
// empties it).
func clearResults(dir string) (figures int, err error) {
	for _, name := range resultNames() {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("clear old results: %w", err)
		}
	}
	if err := removeTemps(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("clear old results: %w", err)
	}
	plotDir := filepath.Join(dir, "plots")
	for _, fig := range plots.Figures() {
		stem := strings.TrimSuffix(fig.File, filepath.Ext(fig.File))
		for _, ext := range []string{".png", ".svg", ".pdf"} {
			err := os.Remove(filepath.Join(plotDir, stem+ext))
			if err == nil {
				figures++
			} else if !errors.Is(err, os.ErrNotExist) {
				return figures, fmt.Errorf("clear old figures: %w", err)
			}
		}
	}
	if entries, err := os.ReadDir(plotDir); err == nil && len(entries) == 0 {
		_ = os.Remove(plotDir) // only an empty folder
	}
	return figures, nil
}

// speed says how long runs of scenarios took and how fast that was; it
// says nothing when nothing was simulated (a merge) or no time was measured.
func speed(elapsed time.Duration, runs, scenarios int) string {
	sec := elapsed.Seconds()
	if sec <= 0 || runs == 0 {
		return ""
	}
	return fmt.Sprintf(" in %.1fs (%.0f runs/s, %.0f scenario-runs/s)", sec, float64(runs)/sec, float64(runs*scenarios)/sec)
}

// printSummary prints each firm's net revenue over the report window.
func printSummary(w io.Writer, sum *report.Summary, o *experiments.Outcome) {
	fmt.Fprintf(w, "%s: %s of %s%s; net revenue %s to %s, $B: mean [5%%, 95%%]\n", sum.Experiment, words.Plural(sum.Runs, "run"),
		words.Plural(len(sum.Scenarios), "scenario"), speed(o.Elapsed, sum.Runs, len(sum.Scenarios)), sum.WindowStart, sum.WindowEnd)
	if sum.StopReason != "" {
		fmt.Fprintf(w, "stopped: %s\n", sum.StopReason)
	}
	if hasVarianceSplit(sum) {
		fmt.Fprintln(w, "p: the share of the variance due to parameter uncertainty (the rest is simulation noise), ± its standard error")
	}
	fmt.Fprintln(w, "cap bound: the share of runs in which the regime's cap on OpenAI's payments to Microsoft cut a payment")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprint(tw, "scenario")
	for _, f := range report.Firms {
		fmt.Fprintf(tw, "\t%s", f)
	}
	fmt.Fprintln(tw, "\tcap bound")
	for _, sc := range sum.Scenarios {
		fmt.Fprint(tw, sum.Label(sc.Name))
		for _, f := range report.Firms {
			m, _ := sc.Metric(report.MetricName(report.NetRevenue, f))
			fmt.Fprintf(tw, "\t%.1f [%.1f, %.1f]%s", m.Mean/1e9, m.P5/1e9, m.P95/1e9, spaced(m.Variance.ShareText()))
		}
		cb, _ := sc.Metric(report.CapBound)
		fmt.Fprintf(tw, "\t%.0f%%\n", 100*cb.Mean)
	}
	tw.Flush()
}

// spaced puts a space before a non-empty s.
func spaced(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// hasVarianceSplit reports whether any metric of the summary has one.
func hasVarianceSplit(sum *report.Summary) bool {
	for _, sc := range sum.Scenarios {
		for _, m := range sc.Metrics {
			if m.Variance != nil {
				return true
			}
		}
	}
	return false
}

// lockOut takes the lock of the output directory dir for the command name
// run with args, creating dir: a second writer, or a directory that cannot
// be created or written, is refused before any work starts.
func lockOut(dir, name string, args []string) (*outdir.Lock, error) {
	return outdir.Acquire(dir, strings.Join(append([]string{"coopsim", name}, args...), " "))
}
