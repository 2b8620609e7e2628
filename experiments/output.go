package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/experiments/report"
)

// Version is coopsim's version, recorded in every summary.json.
const Version = "0.1.0"

// CodeVersion returns Version, the architecture, the determinism
// fingerprint ("math=" and detmath.Fingerprint: it changes with the bits of
// the elementary functions results depend on, and with a build that fuses
// multiply-adds) and the VCS revision the binary was built from when Go
// recorded one. Floating-point results may differ in their last bits
// between architectures and such builds, so shards and resumes refuse to
// mix them.
func CodeVersion() string {
	v := Version + " " + runtime.GOOS + "/" + runtime.GOARCH + " math=" + detmath.Fingerprint()
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += " " + rev
			if dirty {
				v += "-dirty"
			}
		}
	}
	return v
}

// Summary computes the summary of the outcome: per scenario and metric the
// distribution over runs, and per non-baseline scenario the paired
// difference to the baseline.
func (o *Outcome) Summary() (*report.Summary, error) {
	e := o.Experiment
	s := &report.Summary{
		Experiment: e.Name, Seed: e.Seed, Runs: len(o.RunIDs), CodeVersion: CodeVersion(),
		ExperimentHash: e.Hash, Baseline: e.Scenarios[e.Baseline].Name,
		WindowStart: e.WindowStart.String(), WindowEnd: e.WindowEnd.String(),
		Start: e.Market.Start.String(), End: e.Market.End.String(),
		StopReason: o.StopReason,
	}
	if o.Stop == StopMaxRuns {
		s.Warnings = append(s.Warnings, o.StopReason+": raise max_runs, or accept a wider interval")
	}
	if len(o.RunIDs) == 0 {
		return nil, errors.New("experiments: no completed runs to summarize")
	}
	for si, sc := range e.Scenarios {
		ss := report.ScenarioSummary{Name: sc.Name, Regime: sc.Regime.Name}
		for _, t := range sc.Compiled.Terms {
			if t.HasCap {
				end := t.CapEnd
				if end > e.Market.End {
					end = e.Market.End
				}
				ss.Cap = &report.Cap{AmountUSD: t.CapUSD, Start: t.CapStart.String(), End: end.String()}
				break
			}
		}
		if si != e.Baseline {
			ss.Differences = make([]report.Difference, 0, len(o.Metrics))
		}
		s.Scenarios = append(s.Scenarios, ss)
	}
	// Metric by metric, so that only one metric's values over the runs are
	// copied out at a time (memory stays at the per-run scalars).
	for m, name := range o.Metrics {
		base := o.Scalars(e.Baseline, m)
		for si := range e.Scenarios {
			ss := &s.Scenarios[si]
			v := base
			if si != e.Baseline {
				v = o.Scalars(si, m)
			}
			d := report.Describe(v)
			d.Metric = name
			d.Variance = o.varianceSplit(v)
			ss.Metrics = append(ss.Metrics, d)
			if si != e.Baseline {
				diff, err := report.Paired(v, base)
				if err != nil {
					return nil, fmt.Errorf("experiments: %s %s: %w", ss.Name, name, err)
				}
				diff.Metric = name
				ss.Differences = append(ss.Differences, diff)
			}
		}
	}
	return s, nil
}

// WriteRuns writes runs.csv: one row per scenario, run and metric.
func (o *Outcome) WriteRuns(path string) error {
	return o.writeRuns(context.Background(), path)
}

// writeRuns is WriteRuns stopped by ctx: once ctx is done the file is
// abandoned (no temporary file stays) and ctx's error returned.
func (o *Outcome) writeRuns(ctx context.Context, path string) error {
	w, err := report.CreateRuns(path)
	if err != nil {
		return err
	}
	nm := len(o.Metrics)
	for si, sc := range o.Experiment.Scenarios {
		for i, r := range o.RunIDs {
			if err := ctx.Err(); err != nil {
				w.Abort()
				return err
			}
			row := o.scalars[si][i*nm : (i+1)*nm]
			for m, name := range o.Metrics {
				if err := w.Write(report.RunRow{Scenario: sc.Name, Run: r, Metric: name, Value: row[m]}); err != nil {
					w.Abort()
					return err
				}
			}
		}
	}
	return w.Commit()
}

// WriteSeries writes series.csv: per scenario, month and series metric,
// the mean over runs (exact) and quantiles (within 0.5%, see sketch).
func (o *Outcome) WriteSeries(path string) error {
	return o.writeSeries(context.Background(), path)
}

// writeSeries is WriteSeries stopped by ctx, as writeRuns.
func (o *Outcome) writeSeries(ctx context.Context, path string) error {
	w, err := report.CreateSeries(path)
	if err != nil {
		return err
	}
	e := o.Experiment
	for si, sc := range e.Scenarios {
		acc := o.series[si]
		for k := 0; k < e.Months(); k++ {
			if err := ctx.Err(); err != nil {
				w.Abort()
				return err
			}
			month := (e.Market.Start + agents.Month(k)).String()
			for j, name := range seriesNames {
				c := k*numSeries + j
				row := report.SeriesRow{Scenario: sc.Name, Month: month, Metric: name,
					Mean: acc.Mean(c),
					P5:   acc.Quantile(c, 0.05), P25: acc.Quantile(c, 0.25), P50: acc.Quantile(c, 0.50),
					P75: acc.Quantile(c, 0.75), P95: acc.Quantile(c, 0.95)}
				if err := w.Write(row); err != nil {
					w.Abort()
					return err
				}
			}
		}
	}
	return w.Commit()
}

// seriesRowBytes is about what a series.csv row takes besides its scenario
// and metric names: the month, six numbers and the separators. Measured on
// testdata/small.toml (2019-07 to 2027-12): 70 bytes on average over the
// run, 120 over its last two years (rows take from 22 bytes, while the
// bands are zero, to 148); a sweep runs over the recent years.
const seriesRowBytes = 100

// SeriesCSVBytes estimates the size in bytes of the series.csv a run of e
// writes (one row per scenario, month and series metric), so that a large
// sweep can say how much disk its results take before it runs.
func (e *Experiment) SeriesCSVBytes() int64 {
	var names int64
	for _, n := range seriesNames {
		names += int64(len(n))
	}
	var b int64
	for _, sc := range e.Scenarios {
		b += int64(len(seriesNames))*(int64(len(sc.Name))+seriesRowBytes) + names
	}
	return b * int64(e.Months())
}

// WriteAll writes runs.csv, series.csv, params.csv (with [uncertainty])
// and, last, summary.json into dir
// (created if needed), so a directory without summary.json is visibly
// incomplete. Each file is written whole or not at all.
func (o *Outcome) WriteAll(dir string) (*report.Summary, error) {
	return o.WriteAllContext(context.Background(), dir)
}

// afterWrite, if not nil, is called by WriteAllContext with the name of
// each result file it has written whole (params.csv's even when it has
// none), from that file's goroutine. Only tests set it (to stop the
// writing once a file is complete).
var afterWrite func(name string)

// WriteAllContext is WriteAll stopped by ctx (a signal during the writing
// of a large result): once ctx is done, the files being written are
// abandoned, their temporary files removed, summary.json is not written,
// and ctx's error is returned. Files already complete stay.
func (o *Outcome) WriteAllContext(ctx context.Context, dir string) (*report.Summary, error) {
	sum, err := o.Summary()
	if err != nil {
		return nil, err
	}
	// A summary that cannot be written (a non-finite value) must stop us
	// before any file is.
	if err := sum.Validate(); err != nil {
		return nil, fmt.Errorf("experiments: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("experiments: create output directory: %w", err)
	}
	// The three files are independent (each written atomically), so they
	// are formatted at once: runs.csv and series.csv take a second or so
	// each for the default experiment.
	names := []string{report.RunsFile, report.SeriesFile, ParamsFile}
	writes := []func() error{
		func() error { return o.writeRuns(ctx, filepath.Join(dir, report.RunsFile)) },
		func() error { return o.writeSeries(ctx, filepath.Join(dir, report.SeriesFile)) },
		func() error { return o.WriteParams(dir) },
	}
	errs := make([]error, len(writes))
	var wg sync.WaitGroup
	for i, w := range writes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w()
			if errs[i] == nil && afterWrite != nil {
				afterWrite(names[i])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := report.WriteSummary(filepath.Join(dir, report.SummaryFile), sum); err != nil {
		return nil, err
	}
	return sum, nil
}
