package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/cmd/coopsim/internal/outdir"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/atomicfile"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/internal/words"
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/plots"
)

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("validate needs one experiment file (usage: coopsim %s)", commands["validate"].usage)
	}
	e, err := loadExperiment(pos)
	if err != nil {
		return err
	}
	mode := words.Plural(e.Runs, "run")
	if e.Precision > 0 {
		mode = fmt.Sprintf("until ±%g%% precision, at most %d runs in batches of %d", 100*e.Precision, e.MaxRuns, e.Batch)
	}
	study := e.HasSensitivity() || e.HasDiscover()
	if study { // the file's runs are coopsim run's, not the study's
		mode = "coopsim run: " + mode
	}
	fmt.Fprintf(stdout, "%s: ok: experiment %q, seed %d, %s of %s, %s to %s, report window %s to %s\n",
		pos[0], e.Name, e.Seed, mode, words.Plural(e.Market.Buyers.Agents, "buyer"), e.Market.Start, e.Market.End, e.WindowStart, e.WindowEnd)
	for i, s := range e.Scenarios {
		var ov []string
		for _, o := range s.Overrides {
			ov = append(ov, fmt.Sprintf("%s=%v", o.Path, o.Value))
		}
		extra := ""
		if len(ov) > 0 {
			extra = "; " + strings.Join(ov, ", ")
		}
		fmt.Fprintf(stdout, "  scenario %s: regime %s%s\n", report.ScenarioLabel(s.Name, i == e.Baseline), s.Regime.Name, extra)
	}
	if w := bigSeriesWarning(e); w != "" {
		fmt.Fprintln(stdout, "  "+w)
	}
	if e.HasSensitivity() {
		spec, err := e.Sensitivity()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  sensitivity: %s\n", spec.Describe())
		for _, w := range spec.Warnings() {
			fmt.Fprintf(stdout, "  warning: %s\n", w)
		}
	}
	if e.HasDiscover() {
		spec, err := e.Discover()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  discover: %s\n", spec.Describe())
	}
	return nil
}

// noArgs parses a command that takes no arguments (but -h).
func noArgs(name string, args []string, stderr io.Writer) error {
	return flagsOnly(newFlags(name, stderr), args)
}

// flagsOnly parses args with fs's flags, for a command that takes no
// positional arguments.
func flagsOnly(fs *flag.FlagSet, args []string) error {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", fs.Name(), strings.Join(pos, " "))
	}
	return nil
}

func cmdRegimes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := noArgs("regimes", args, stderr); err != nil {
		return err
	}
	for _, r := range market.BuiltinRegimes() {
		fmt.Fprintf(stdout, "%s: %s\n", r.Name, r.Description)
		for _, line := range r.Describe() {
			fmt.Fprintf(stdout, "    %s\n", line)
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintln(stdout, "Define your own in an experiment with [[regime]] (see experiments/reference.toml).")
	return nil
}

func cmdParams(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := noArgs("params", args, stderr); err != nil {
		return err
	}
	def := market.DefaultConfig()
	dexp, err := experiments.Default()
	if err != nil {
		return err
	}
	fitted := dexp.Market
	show := func(p *market.Param, c *market.Config) string {
		switch p.Kind {
		case market.KindMonth:
			return market.Month(p.Get(c)).String()
		case market.KindBool:
			return fmt.Sprint(p.Get(c) == 1)
		case market.KindTargeting:
			return agents.Targeting(p.Get(c)).String()
		default:
			return fmt.Sprintf("%g", p.Get(c))
		}
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "path\tdefault\tdefault experiment\tmeaning")
	for _, p := range market.Params() {
		v, f := show(p, &def), show(p, &fitted)
		if f == v {
			f = "="
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Path, v, f, p.Doc)
	}
	fmt.Fprintln(tw, "other_revenue.points\t(6 points)\t=\tall-products annualized revenue, [{month, annualized_usd}]")
	fmt.Fprintln(tw, "\n(default: market.DefaultConfig, before calibration; default experiment: with the calibrated experiments/default/fitted.toml)")
	return tw.Flush()
}

// parsePlotFlags reads plot's flags and checks them: it returns the
// result directory, where to write its figures, and how to draw them.
func parsePlotFlags(args []string, stderr io.Writer) (dir, dst string, opt plots.Options, err error) {
	fs := newFlags("plot", stderr)
	format := fs.String("format", "png", "png, svg or pdf")
	out := fs.String("out", "", "where to write the figures (default DIR/plots)")
	width := fs.Int("width", plots.DefaultOptions.Width, fmt.Sprintf("figure width in pixels (%d to %d; width × height at most %s pixels)", minWidth, maxSide, thousands(maxPixels)))
	height := fs.Int("height", plots.DefaultOptions.Height, fmt.Sprintf("figure height in pixels (%d to %d)", minHeight, maxSide))
	dpi := fs.Int("dpi", plots.DefaultOptions.DPI, fmt.Sprintf("dots per inch, %d to %d: text is 14 pt, so a smaller dpi at a smaller size keeps the layout; the figure must be at least %g×%g inches (width/dpi × height/dpi)", minDPI, maxDPI, minInchesW, minInchesH))
	pos, err := parseArgs(fs, args)
	if err != nil {
		return "", "", opt, err
	}
	if len(pos) != 1 {
		return "", "", opt, fmt.Errorf("plot needs one result directory (usage: coopsim %s)", commands["plot"].usage)
	}
	switch *format {
	case "png", "svg", "pdf":
	default:
		return "", "", opt, fmt.Errorf("--format %q: want png, svg or pdf", *format)
	}
	dir, dst = pos[0], *out
	if dst == "" {
		dst = filepath.Join(dir, "plots")
	}
	if err := checkFigureSize(*width, *height, *dpi); err != nil {
		return "", "", opt, err
	}
	opt = plots.DefaultOptions
	opt.Format, opt.Width, opt.Height, opt.DPI = *format, *width, *height, *dpi
	return dir, dst, opt, nil
}

func cmdPlot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	dir, dst, opt, err := parsePlotFlags(args, stderr)
	if err != nil {
		return err
	}
	// plot writes into the result directory (DIR/plots by default) as run
	// and merge do, so it takes the same lock, and that of --out elsewhere:
	// of DIR when it holds results or the lock file of a run writing it.
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("plot: %s is a file: give the result directory that coopsim run, merge or calibrate wrote (run the experiment first: coopsim run %s)", dir, dir)
	}
	kind, held := dirKind(dir)
	if held {
		lock, err := lockOut(dir, "plot", args)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	if !within(dst, dir) {
		lock, err := lockOut(dst, "plot", args)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	var figs []plots.Written
	page := ""
	switch kind {
	case calibrationResults:
		figs, err = plotCalibrationDir(dir, dst, opt, stderr)
	case noResults:
		err = notResultDir(dir)
	default:
		if figs, err = plotDir(dir, dst, opt); err == nil {
			page, err = replotReport(dir, dst, plots.Paths(figs), opt.Format)
		}
	}
	if err != nil {
		return err
	}
	for _, f := range append(plots.Paths(figs), page) {
		if f != "" {
			fmt.Fprintln(stdout, f)
		}
	}
	if msg := shrunkMessage(figs, "their rows, or the corner plot's parameters, make them larger than --width × --height asks; a smaller --width or --height, or --format svg, draws them whole"); msg != "" {
		fmt.Fprintln(stderr, msg)
	}
	return nil
}

// shrunkMessage names the figures plots drew in fewer pixels than they
// asked for (plots.Written.Shrunk: a height scale, or the corner plot's
// widening, took them past plots.MaxPixels), each with both sizes, and
// then why and how to draw them whole (why, in the command's words); ""
// when there are none.
func shrunkMessage(figs []plots.Written, why string) string {
	var shrunk []string
	for _, w := range figs {
		if w.Shrunk() {
			shrunk = append(shrunk, fmt.Sprintf("%s asked %d×%d, drawn %d×%d at %d dpi",
				filepath.Base(w.Path), w.Asked.Width, w.Asked.Height, w.Drawn.Width, w.Drawn.Height, w.Drawn.DPI))
		}
	}
	if len(shrunk) == 0 {
		return ""
	}
	return fmt.Sprintf("coopsim: drawn in fewer pixels than asked, at a lower dpi (the same inches), to stay within %s pixels: %s (%s)",
		thousands(maxPixels), strings.Join(shrunk, "; "), why)
}

// resultKind is what a directory given to coopsim plot holds.
type resultKind int

const (
	noResults          resultKind = iota // neither summary.json nor fit.json
	runResults                           // summary.json, or one that cannot be looked at (ReadDir says why)
	calibrationResults                   // fit.json and no summary.json: coopsim calibrate's output
)

// dirKind looks once at dir's result files: what it holds, and whether
// plot takes its lock (held): dir holds results (of a run, or a
// calibration) or is being written by a command holding its lock.
func dirKind(dir string) (kind resultKind, held bool) {
	stat := func(name string) error {
		_, err := os.Stat(filepath.Join(dir, name))
		return err
	}
	sum, fit, lock := stat(report.SummaryFile), stat(calibration.FitFile), stat(outdir.LockFile)
	held = sum == nil || fit == nil || lock == nil
	switch {
	case !errors.Is(sum, fs.ErrNotExist):
		return runResults, held
	case fit == nil:
		return calibrationResults, held
	}
	return noResults, held
}

// notResultDir is plot's error for a directory with no results (noResults).
func notResultDir(dir string) error {
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("plot: no directory %s: give the result directory of a run (e.g. out/default)", dir)
	}
	return fmt.Errorf("plot: no %s (nor %s): %s is not a result directory; give the directory coopsim run, merge or calibrate wrote", filepath.Join(dir, report.SummaryFile), calibration.FitFile, dir)
}

// plotDir reads the result directory dir (runResults) and draws its
// figures into dst. An error reading or writing a file names the file
// once, with no package prefixes.
func plotDir(dir, dst string, opt plots.Options) ([]plots.Written, error) {
	d, err := report.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files, err := plots.WriteAll(d, dst, opt)
	var fe *report.FileError
	if errors.As(err, &fe) {
		return nil, fe
	}
	return files, err
}

func cmdMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", stderr)
	out := fs.String("out", "", "result directory to write")
	force := fs.Bool("force", false, "overwrite an existing result directory")
	noPlots := fs.Bool("no-plots", false, "do not draw figures")
	parquet := fs.Bool("parquet", false, parquetUsage)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("merge needs --out DIR (usage: coopsim %s)", commands["merge"].usage)
	}
	if len(pos) == 0 {
		return fmt.Errorf("merge needs the shard directories (usage: coopsim %s)", commands["merge"].usage)
	}
	for _, p := range pos {
		if within(*out, p) {
			return fmt.Errorf("merge --out %s is (inside) the shard directory %s: write the merged result elsewhere", *out, p)
		}
	}
	lock, err := lockOut(*out, "merge", args)
	if err != nil {
		return err
	}
	defer lock.Release()
	overwrite, err := checkOutDir(*out, *force)
	if err != nil {
		return err
	}
	o, err := experiments.MergeChecked(pos, checkMergeMemory)
	if err != nil {
		return err
	}
	o.Experiment = withParquet(o.Experiment, *parquet)
	removed := 0
	if overwrite { // only now that the merge worked
		if removed, err = clearResults(*out); err != nil {
			return err
		}
	}
	return finish(o, *out, !*noPlots, removed, stdout)
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// cmdDefault prints the default experiment, or with --out writes it and
// the posterior sample it draws from into a directory, where it runs.
func cmdDefault(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("default", stderr)
	out := fs.String("out", "", "write default.toml and its posterior.csv into this directory instead of printing")
	if err := flagsOnly(fs, args); err != nil {
		return err
	}
	if *out == "" {
		_, err := stdout.Write(experiments.DefaultTOML())
		return err
	}
	files := []struct {
		name string
		data []byte
	}{{"default.toml", experiments.DefaultTOML()}, {experiments.DefaultPosteriorFile, experiments.DefaultPosterior()}}
	for _, f := range files {
		p := filepath.Join(*out, f.name)
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists: choose another --out, or move it away", p)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	for _, f := range files {
		if err := atomicfile.WriteBytes(filepath.Join(*out, f.name), f.data); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "wrote %s and %s: coopsim run %s\n", filepath.Join(*out, files[0].name), filepath.Join(*out, files[1].name), filepath.Join(*out, files[0].name))
	return nil
}

// Figure size limits for plot. Drawing time and memory grow with the
// pixels and with the size of the text in pixels (14 pt at the dpi): a
// figure of few inches at a high dpi spends minutes drawing text larger
// than itself (1600×1000 at 1200 dpi: minutes; 20000×20000 at 1200 dpi:
// 347 s and 9.6 GB before these limits).
const (
	minWidth, minHeight    = 200, 150
	maxSide                = 20000
	maxPixels              = plots.MaxPixels // the default is 1600×1000
	minDPI, maxDPI         = 36, 600
	minInchesW, minInchesH = 4.0, 2.5 // the default is 11.1×6.9 inches
)

// checkFigureSize checks plot's --width, --height and --dpi against the
// limits above.
func checkFigureSize(width, height, dpi int) error {
	if width < minWidth || width > maxSide || height < minHeight || height > maxSide {
		return fmt.Errorf("--width %d --height %d: want %d to %d by %d to %d pixels", width, height, minWidth, maxSide, minHeight, maxSide)
	}
	if int64(width)*int64(height) > maxPixels {
		return fmt.Errorf("--width %d --height %d: %s pixels, want at most %s (e.g. 5000×3200): figures this large take minutes and gigabytes; use --format svg or pdf for print", width, height, thousands(int64(width)*int64(height)), thousands(maxPixels))
	}
	if dpi < minDPI || dpi > maxDPI {
		return fmt.Errorf("--dpi %d: want %d to %d", dpi, minDPI, maxDPI)
	}
	if w, h := float64(width)/float64(dpi), float64(height)/float64(dpi); w < minInchesW || h < minInchesH {
		return fmt.Errorf("--width %d --height %d --dpi %d: a %.1f×%.1f inch figure, want at least %g×%g inches: lower --dpi (text is 14 pt) or raise the size", width, height, dpi, w, h, minInchesW, minInchesH)
	}
	return nil
}

// thousands formats n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
