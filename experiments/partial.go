package experiments

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/experiments/internal/sketch"
	"github.com/coopsim/coopsim/experiments/report"
)

// PartialFile is the file, in a shard's or an interrupted run's directory,
// that holds its partial result: the experiment's text, the runs done, their
// scalars and the monthly accumulators.
const PartialFile = "partial.gob"

// partialFormat is the partial file's format: 2 since the series carry the
// breakdowns by segment and cloud (more cells a month).
const partialFormat = 2

// partialState is PartialFile's content (gob needs exported fields).
type partialState struct {
	Format      int
	CodeVersion string
	Math        string // detmath.Fingerprint() of the build that computed it
	Files       map[string][]byte
	Layout      string
	Runs        int
	Seed        uint64
	Hash        string
	Shard       Shard
	Complete    bool
	RunIDs      []int
	Metrics     []string
	Scalars     [][]float64
	Series      []seriesState
	Decisions   int64
	StopReason  string
	Stop        Stop
}

type seriesState struct {
	N     int
	Sums  [][3]uint64
	Cells []sketchState
}

// sketchState is a sketch's content (sketch.State; the same gob fields).
type sketchState = sketch.State

// SavePartial writes the outcome as a partial result into dir, atomically.
// complete says whether every run of its shard is done.
func (o *Outcome) SavePartial(dir string, complete bool) error {
	e := o.Experiment
	st := partialState{Format: partialFormat, CodeVersion: CodeVersion(), Math: detmath.Fingerprint(), Files: e.files, Layout: e.layout, Runs: e.Runs, Seed: e.Seed,
		Hash: e.Hash, Shard: o.Shard, Complete: complete, RunIDs: o.RunIDs, Metrics: o.Metrics, Scalars: o.scalars,
		Decisions: o.Decisions, StopReason: o.StopReason, Stop: o.Stop}
	for _, acc := range o.series {
		n, cells := acc.State()
		ss := seriesState{N: n, Sums: make([][3]uint64, len(cells)), Cells: make([]sketchState, len(cells))}
		for i, c := range cells {
			ss.Sums[i] = c.Sum
			ss.Cells[i] = sketchState(c.Sketch)
		}
		st.Series = append(st.Series, ss)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return report.WriteFileAtomic(filepath.Join(dir, PartialFile), func(w io.Writer) error {
		return gob.NewEncoder(w).Encode(&st)
	})
}

// LoadPartial reads the partial result in dir and the experiment it
// carries; complete reports whether its shard was finished.
func LoadPartial(dir string) (o *Outcome, complete bool, err error) {
	path := filepath.Join(dir, PartialFile)
	st, err := readPartialState(path, dir)
	if err != nil {
		return nil, false, err
	}
	e, err := partialExperiment(st, path, dir)
	if err != nil {
		return nil, false, err
	}
	if o, err = partialOutcome(st, e, path); err != nil {
		return nil, false, err
	}
	return o, st.Complete, nil
}

// readPartialState reads and decodes the partial result at path (in dir)
// and checks that this build may continue it.
func readPartialState(path, dir string) (*partialState, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			if _, serr := os.Stat(filepath.Join(dir, report.SummaryFile)); serr == nil {
				return nil, fmt.Errorf("%s: no partial result here: %s holds a finished run (its %s); nothing to resume (to run it again, --force)", path, dir, report.SummaryFile)
			}
			return nil, fmt.Errorf("%s: no partial result here (it is written by run --shard and by an interrupted run)", path)
		}
		return nil, err
	}
	var st partialState
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&st); err != nil {
		return nil, fmt.Errorf("%s is corrupt: %v", path, err)
	}
	if st.Format != partialFormat {
		return nil, fmt.Errorf("%s has format %d, this coopsim reads %d", path, st.Format, partialFormat)
	}
	if fp := detmath.Fingerprint(); st.Math != fp {
		return nil, fmt.Errorf("%s was computed with determinism fingerprint math=%s, this build computes math=%s "+
			"(another architecture or build flags give other last bits): use the same build on the same kind of machine for every shard", path, st.Math, fp)
	}
	if st.CodeVersion != CodeVersion() {
		return nil, fmt.Errorf("%s was made by coopsim %s, this is %s: use the same build for every shard", path, st.CodeVersion, CodeVersion())
	}
	return &st, nil
}

// partialExperiment loads the experiment a partial result carries, with
// its runs and seed, and checks that it resolves as it did.
func partialExperiment(st *partialState, path, dir string) (*Experiment, error) {
	// The experiment's text and its includes, laid out as they were: under
	// the experiment directory's own last names, below a root deep enough
	// for includes that climb ("../").
	if st.Layout == "" || !fs.ValidPath(st.Layout) {
		return nil, fmt.Errorf("%s is corrupt: layout %q", path, st.Layout)
	}
	base := pathpkg.Join(strings.Repeat("r/", maxIncludeUp), st.Layout)
	fsys := fstest.MapFS{}
	for name, b := range st.Files {
		fsys[pathpkg.Join(base, name)] = &fstest.MapFile{Data: b}
	}
	e, err := load(fsys, pathpkg.Join(base, mainFile), path+" (embedded experiment)", dir, base)
	if err != nil {
		return nil, err
	}
	if e.Runs != st.Runs {
		if e, err = e.WithRuns(st.Runs); err != nil {
			return nil, err
		}
	}
	if e.Seed != st.Seed {
		e = e.WithSeed(st.Seed)
	}
	if e.Hash != st.Hash && e.Uncertainty != nil {
		// Saved by `run --point-estimate`: the file's [uncertainty] set aside.
		if pe := e.AtPointEstimate(); pe.Hash == st.Hash {
			e = pe
		}
	}
	if e.Hash != st.Hash {
		return nil, fmt.Errorf("%s: its experiment no longer resolves the same (another coopsim version?)", path)
	}
	return e, nil
}

// partialOutcome rebuilds the outcome a partial result saved, for
// experiment e, checking its runs and sizes.
func partialOutcome(st *partialState, e *Experiment, path string) (*Outcome, error) {
	o := &Outcome{Experiment: e, RunIDs: st.RunIDs, Shard: st.Shard, Metrics: st.Metrics, scalars: st.Scalars,
		Decisions: st.Decisions, StopReason: st.StopReason, Stop: st.Stop}
	if len(st.Scalars) != len(e.Scenarios) || len(st.Series) != len(e.Scenarios) {
		return nil, fmt.Errorf("%s is corrupt: scenario count", path)
	}
	lo, hi := st.Shard.Range(e.Runs)
	if st.Shard.Whole() && e.Precision > 0 {
		hi = e.MaxRuns
	}
	for i, r := range st.RunIDs {
		if r < lo || r >= hi || (i > 0 && r <= st.RunIDs[i-1]) {
			return nil, fmt.Errorf("%s is corrupt: its runs are not distinct, ascending runs of its shard", path)
		}
	}
	cells := e.Months() * numSeries
	for s, ss := range st.Series {
		if len(ss.Cells) != cells || len(ss.Sums) != cells || len(st.Scalars[s]) != len(st.RunIDs)*len(st.Metrics) {
			return nil, fmt.Errorf("%s is corrupt: sizes", path)
		}
		cs := make([]engine.CellState, cells)
		for i, c := range ss.Cells {
			cs[i] = engine.CellState{Sum: ss.Sums[i], Sketch: c}
		}
		o.series = append(o.series, &seriesAcc{Cells: engine.CellsFromState(ss.N, cs)})
	}
	return o, nil
}

// Merge combines the complete shards in dirs into the outcome of the whole
// experiment, which writes the same files as one machine would. Shards of
// different experiments, seeds or coopsim builds are refused, and missing
// or repeated shards named.
func Merge(dirs []string) (*Outcome, error) { return MergeChecked(dirs, nil) }

// MergeChecked is Merge that, once the first shard is read, asks check
// (unless nil) whether the experiment's runs, all shards', may be held,
// and returns its error before reading the others.
func MergeChecked(dirs []string, check func(e *Experiment, runs int) error) (*Outcome, error) {
	if len(dirs) == 0 {
		return nil, errors.New("merge needs at least one shard directory")
	}
	var out *Outcome
	seen := map[int]string{}
	n := 0
	for _, d := range dirs {
		p, complete, err := LoadPartial(d)
		if err != nil {
			return nil, err
		}
		if !complete {
			return nil, fmt.Errorf("%s is an unfinished shard: finish it with run --resume %s", d, d)
		}
		if p.Shard.Whole() {
			return nil, fmt.Errorf("%s is not a shard (it was not run with --shard)", d)
		}
		if out == nil {
			out = p
			n = p.Shard.N
			if check != nil {
				if err := check(p.Experiment, p.Experiment.Runs); err != nil {
					return nil, err
				}
			}
		} else {
			if p.Experiment.Hash != out.Experiment.Hash {
				return nil, fmt.Errorf("%s is a shard of another experiment than %s (the file, seed or runs differ)", d, dirs[0])
			}
			if p.Shard.N != n {
				return nil, fmt.Errorf("%s is shard %v, but %s is of %d shards", d, p.Shard, dirs[0], n)
			}
		}
		if prev, dup := seen[p.Shard.K]; dup {
			return nil, fmt.Errorf("shard %v is given twice (%s and %s)", p.Shard, prev, d)
		}
		seen[p.Shard.K] = d
		if out != p {
			if err := out.absorb(p); err != nil {
				return nil, err
			}
		}
	}
	var missing []string
	for k := 1; k <= n; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("missing shard(s) %s: run them with --shard and merge all %d", strings.Join(missing, ", "), n)
	}
	out.Shard = Shard{}
	return out, nil
}

// MaxIncludeUp is how far up ("../") an include may reach.
const MaxIncludeUp = maxIncludeUp
