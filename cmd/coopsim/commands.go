package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report"
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
	e, err := experiments.Load(pos[0])
	if err != nil {
		return err
	}
	mode := fmt.Sprintf("%d runs", e.Runs)
	if e.Precision > 0 {
		mode = fmt.Sprintf("until ±%g%% precision, at most %d runs in batches of %d", 100*e.Precision, e.MaxRuns, e.Batch)
	}
	fmt.Fprintf(stdout, "%s: ok: experiment %q, seed %d, %s of %d buyers, %s to %s, report window %s to %s\n",
		pos[0], e.Name, e.Seed, mode, e.Market.Buyers.Agents, e.Market.Start, e.Market.End, e.WindowStart, e.WindowEnd)
	for i, s := range e.Scenarios {
		mark := ""
		if i == e.Baseline {
			mark = " (baseline)"
		}
		var ov []string
		for _, o := range s.Overrides {
			ov = append(ov, fmt.Sprintf("%s=%v", o.Path, o.Value))
		}
		extra := ""
		if len(ov) > 0 {
			extra = "; " + strings.Join(ov, ", ")
		}
		fmt.Fprintf(stdout, "  scenario %s%s: regime %s%s\n", s.Name, mark, s.Regime.Name, extra)
	}
	return nil
}

// noArgs parses a command that takes no arguments (but -h).
func noArgs(name string, args []string, stderr io.Writer) error {
	pos, err := parseArgs(newFlags(name, stderr), args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", name, strings.Join(pos, " "))
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

func cmdPlot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plot", stderr)
	format := fs.String("format", "png", "png, svg or pdf")
	out := fs.String("out", "", "where to write the figures (default DIR/plots)")
	width := fs.Int("width", plots.DefaultOptions.Width, "figure width in pixels")
	height := fs.Int("height", plots.DefaultOptions.Height, "figure height in pixels")
	dpi := fs.Int("dpi", plots.DefaultOptions.DPI, "dots per inch: text is 14 pt, so a smaller dpi at a smaller size keeps the layout")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("plot needs one result directory (usage: coopsim %s)", commands["plot"].usage)
	}
	switch *format {
	case "png", "svg", "pdf":
	default:
		return fmt.Errorf("--format %q: want png, svg or pdf", *format)
	}
	dst := *out
	if dst == "" {
		dst = filepath.Join(pos[0], "plots")
	}
	if *width < 200 || *width > 20000 || *height < 150 || *height > 20000 {
		return fmt.Errorf("--width %d --height %d: want 200 to 20000 by 150 to 20000 pixels", *width, *height)
	}
	if *dpi < 36 || *dpi > 1200 {
		return fmt.Errorf("--dpi %d: want 36 to 1200", *dpi)
	}
	// plot writes into the result directory (DIR/plots by default) as run
	// and merge do, so it takes the same lock, and that of --out elsewhere.
	if _, err := os.Stat(filepath.Join(pos[0], report.SummaryFile)); err == nil {
		lock, err := lockOut(pos[0], "plot", args)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	if !within(dst, pos[0]) {
		lock, err := lockOut(dst, "plot", args)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	opt := plots.DefaultOptions
	opt.Format, opt.Width, opt.Height, opt.DPI = *format, *width, *height, *dpi
	files, err := plots.WriteDir(pos[0], dst, opt)
	if err != nil {
		return err
	}
	page, err := replotReport(pos[0], dst, files, *format)
	if err != nil {
		return err
	}
	for _, f := range append(files, page) {
		if f != "" {
			fmt.Fprintln(stdout, f)
		}
	}
	return nil
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
	o, err := experiments.Merge(pos)
	if err != nil {
		return err
	}
	o.Experiment = withParquet(o.Experiment, *parquet)
	if overwrite { // only now that the merge worked
		if err := clearResults(*out); err != nil {
			return err
		}
	}
	return finish(o, *out, !*noPlots, stdout)
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

func cmdDefault(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := noArgs("default", args, stderr); err != nil {
		return err
	}
	_, err := stdout.Write(experiments.DefaultTOML())
	return err
}

func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := noArgs("version", args, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "coopsim %s\n", experiments.CodeVersion())
	return nil
}
