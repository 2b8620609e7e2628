package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/market"
)

// resolver turns a decoded file into an Experiment, one named phase at a
// time; each phase validates its part of the file and fills its part of
// the Experiment.
type resolver struct {
	fsys fs.FS
	f    *fileFormat
	// file is the name errors show; dir and base are the experiment's
	// directory as shown to the user and inside fsys (includes resolve
	// there).
	file, dir, base string
	// self is the experiment's own file in fsys ("" when read from
	// memory), so that an include of it is seen as a cycle.
	self string
	e    *Experiment
	// regimes are the file's own regimes, by name.
	regimes map[string]*market.Regime
	// byName indexes e.Scenarios by name.
	byName map[string]int
}

// bad returns an Error at key, with the line that sets it where locate
// finds one.
func (r *resolver) bad(key, format string, args ...any) error {
	return &Error{File: r.file, Line: locate(r.e.files[mainFile], key), Key: key, Msg: fmt.Sprintf(format, args...)}
}

// resolve validates the decoded file and builds the Experiment; data is
// the file's text (kept with the texts of its includes in e.files).
func resolve(fsys fs.FS, f *fileFormat, data []byte, self, file, dir, base string) (*Experiment, error) {
	r := &resolver{fsys: fsys, f: f, file: file, dir: dir, base: base, self: self,
		e:       &Experiment{Name: f.Name, Source: file, Runs: 1000, Batch: 100, files: map[string][]byte{mainFile: data}},
		regimes: map[string]*market.Regime{}, byName: map[string]int{}}
	r.e.ResultFiles = f.Output.resolve()
	for _, phase := range []func() error{
		r.identity, r.runCount, r.execution,
		r.baseMarket, r.span, r.reportWindow, r.annualizedAt,
		r.ownRegimes, r.scenarios, r.sweeps, r.baseline, r.compile, r.uncertainty,
	} {
		if err := phase(); err != nil {
			return nil, err
		}
	}
	r.e.Hash = r.e.hash()
	return r.e, nil
}

// identity checks the name and the seed.
func (r *resolver) identity() error {
	f, e := r.f, r.e
	if e.Name == "" {
		return r.bad("name", `missing: give the experiment a name, e.g. name = "cap-study"`)
	}
	if err := r.checkLength("name", e.Name, maxNameLen); err != nil {
		return err
	}
	if !validName(e.Name) {
		return r.bad("name", "%q: use letters, digits, '-', '_' and '.' only (it names the output directory)", e.Name)
	}
	if f.Seed == nil {
		return r.bad("seed", "missing: set a seed, e.g. seed = 1, so the experiment can be reproduced")
	}
	if *f.Seed < 0 {
		return r.bad("seed", "%d, want 0 or more", *f.Seed)
	}
	e.Seed = uint64(*f.Seed)
	return nil
}

// runCount reads runs, or precision with max_runs.
func (r *resolver) runCount() error {
	f, e := r.f, r.e
	if f.Runs != nil {
		if *f.Runs < 1 || *f.Runs > engine.MaxRuns {
			return r.bad("runs", "%d, want 1 to %d", *f.Runs, engine.MaxRuns)
		}
		e.Runs = int(*f.Runs)
	}
	if f.Precision != nil {
		if !(*f.Precision > 0 && *f.Precision < 1) {
			return r.bad("precision", "%g, want a relative half-width between 0 and 1 (e.g. 0.01 for ±1%%)", *f.Precision)
		}
		if f.Runs != nil {
			return r.bad("runs", "set either runs or precision (with max_runs), not both")
		}
		if f.MaxRuns == nil {
			return r.bad("max_runs", "missing: precision mode needs max_runs, the most runs to spend")
		}
		e.Precision = *f.Precision
	}
	if f.MaxRuns != nil {
		if f.Precision == nil {
			return r.bad("max_runs", "only used with precision; for a fixed number of runs set runs")
		}
		if *f.MaxRuns < 2 || *f.MaxRuns > engine.MaxRuns {
			return r.bad("max_runs", "%d, want 2 to %d", *f.MaxRuns, engine.MaxRuns)
		}
		e.MaxRuns = int(*f.MaxRuns)
		e.Runs = e.MaxRuns
	}
	return nil
}

// execution reads batch and workers.
func (r *resolver) execution() error {
	f, e := r.f, r.e
	if f.Batch != nil {
		if *f.Batch < 2 || *f.Batch > 1_000_000 {
			return r.bad("batch", "%d, want 2 to 1000000 runs per precision check", *f.Batch)
		}
		e.Batch = int(*f.Batch)
	}
	if f.Workers != nil {
		if *f.Workers < 0 || *f.Workers > engine.MaxWorkers {
			return r.bad("workers", "%d, want 0 (all cores) to %d", *f.Workers, engine.MaxWorkers)
		}
		e.Workers = int(*f.Workers)
	}
	return nil
}

// baseMarket builds the base market: defaults, then includes, then the
// file's [market] table.
func (r *resolver) baseMarket() error {
	r.e.Market = market.DefaultConfig()
	includes, err := includeList(r.f.Include)
	if err != nil {
		return r.bad("include", "%v", err)
	}
	for _, inc := range includes {
		name, err := r.nearbyFile("include", inc, "an included file")
		if err != nil {
			return err
		}
		if name == r.self {
			return r.bad("include", "include cycle: %s → %s: an experiment cannot include itself; %s", filepath.Base(r.file), inc, includeHolds)
		}
		data, err := applyInclude(r.fsys, &r.e.Market, name, filepath.Join(r.dir, inc), r.file, r.self, filepath.Base(r.file)+" → "+inc)
		if err != nil {
			return err
		}
		r.e.files[inc] = data
	}
	return applyMarket(&r.e.Market, r.f.Market, "market", r.file)
}

// nearbyFile returns the path in the file system of a file the
// experiment names (what is "an included file", "the posterior file") by a
// path relative to the experiment file, at most maxIncludeUp directories up
// and not above the file system's root.
func (r *resolver) nearbyFile(key, name, what string) (string, error) {
	if name == "" || path.IsAbs(name) || filepath.IsAbs(name) || name == mainFile || upLevels(name) > maxIncludeUp {
		return "", r.bad(key, "%q: name %s by a path relative to the experiment file, at most %d directories up", name, what, maxIncludeUp)
	}
	full := path.Join(r.base, name)
	if full == ".." || strings.HasPrefix(full, "../") {
		depth := 0
		if r.base != "." {
			depth = strings.Count(r.base, "/") + 1
		}
		levels := fmt.Sprintf("%d directories", depth)
		if depth == 1 {
			levels = "1 directory"
		}
		return "", r.bad(key, "%q climbs above the file system's root, which is %s above the experiment file's: name %s at most that far up", name, levels, what)
	}
	return full, nil
}

// month parses the month at key into *dst, if set.
func (r *resolver) month(key, s string, set bool, dst *agents.Month) error {
	if !set {
		return nil
	}
	m, err := agents.ParseMonth(s)
	if err != nil {
		return r.bad(key, "%s", msgOf(err))
	}
	*dst = m
	return nil
}

// span reads start and end and validates the base market over them.
func (r *resolver) span() error {
	e := r.e
	f := r.f
	if err := r.month("start", deref(f.Start), f.Start != nil, &e.Market.Start); err != nil {
		return err
	}
	if err := r.month("end", deref(f.End), f.End != nil, &e.Market.End); err != nil {
		return err
	}
	if e.Market.End < e.Market.Start {
		return r.bad("end", "%s is before start %s: end must be at or after start", e.Market.End, e.Market.Start)
	}
	if err := e.Market.Validate(); err != nil {
		return r.marketErr(err)
	}
	return nil
}

// marketErr places an invalid base market's error: at the key the file
// sets (start, end, or a [market] key) when the error names one, else at
// the [market] table.
func (r *resolver) marketErr(err error) error {
	var ve *agents.ValueError
	if errors.As(err, &ve) && ve.Key != "" {
		data := r.e.files[mainFile]
		if ve.Key == "start" || ve.Key == "end" {
			if locate(data, ve.Key) > 0 {
				return r.bad(ve.Key, "%s", ve.Detail())
			}
		} else if key := "market." + ve.Key; locateExact(data, key) > 0 {
			return r.bad(key, "%s", ve.Detail())
		}
	}
	return r.bad("market", "%s", msgOf(err))
}

// reportWindow reads the report window, by default the whole span.
func (r *resolver) reportWindow() error {
	e, rep := r.e, &r.f.Report
	e.WindowStart, e.WindowEnd = e.Market.Start, e.Market.End
	if err := r.month("report.window_start", rep.WindowStart, rep.WindowStart != "", &e.WindowStart); err != nil {
		return err
	}
	if err := r.month("report.window_end", rep.WindowEnd, rep.WindowEnd != "", &e.WindowEnd); err != nil {
		return err
	}
	if e.WindowEnd < e.WindowStart {
		return r.bad("report.window_end", "%s is before report.window_start %s", e.WindowEnd, e.WindowStart)
	}
	if e.WindowStart < e.Market.Start || e.WindowEnd > e.Market.End {
		return r.bad("report", "window %s to %s is outside the simulated months %s to %s", e.WindowStart, e.WindowEnd, e.Market.Start, e.Market.End)
	}
	return nil
}

// annualizedAt reads the months at which annualized revenue is reported.
func (r *resolver) annualizedAt() error {
	e := r.e
	for i, s := range r.f.Report.AnnualizedAt {
		key := fmt.Sprintf("report.annualized_at[%d]", i)
		m, err := agents.ParseMonth(s)
		if err != nil {
			return r.bad(key, "%s", msgOf(err))
		}
		if m < e.Market.Start || m > e.Market.End {
			return r.bad(key, "%s is outside the simulated months %s to %s", m, e.Market.Start, e.Market.End)
		}
		if slices.Contains(e.AnnualizedAt, m) {
			return r.bad(key, "%s is listed twice", m)
		}
		e.AnnualizedAt = append(e.AnnualizedAt, m)
	}
	return nil
}

// Bounds on the names and texts of a file: a name becomes a directory
// (most file systems allow 255 bytes), a CSV field and a figure label.
const (
	maxNameLen = 100
	maxTextLen = 1000
)

// checkLength refuses a text at key longer than n bytes.
func (r *resolver) checkLength(key, s string, n int) error {
	if len(s) > n {
		return r.bad(key, "%d characters, want at most %d", len(s), n)
	}
	return nil
}

func validName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
