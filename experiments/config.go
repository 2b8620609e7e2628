package experiments

import (
	"io/fs"
	"path"
	"path/filepath"
	"strconv"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/market"
)

// Experiment is a loaded, validated and resolved experiment.
type Experiment struct {
	// Name names the experiment; results go to out/<Name> by default.
	Name string
	// Source is the file it was read from ("(default)" for the embedded one).
	Source string
	Seed   uint64
	// Runs is the number of runs per scenario; in precision mode it is
	// MaxRuns and runs stop early once Precision is reached.
	Runs      int
	Precision float64
	MaxRuns   int
	Batch     int
	Workers   int
	// Market is the base market: defaults, then included files, then the
	// file's [market] table.
	Market market.Config
	// Scenarios are the scenarios to run, sweeps expanded, in file order.
	Scenarios []Scenario
	// Baseline is the index of the baseline scenario.
	Baseline int
	// WindowStart and WindowEnd bound the report window (inclusive).
	WindowStart, WindowEnd agents.Month
	// AnnualizedAt are the months at which annualized revenue is reported.
	AnnualizedAt []agents.Month
	// Hash is the sha256 of the resolved experiment (what determines results).
	Hash string
	// ResultFiles names the optional result files to write ([output]).
	ResultFiles ResultFiles

	// Uncertainty is the [uncertainty] table: the parameters each run
	// group draws (config_uncertainty.go), or nil.
	Uncertainty *Uncertainty

	// files holds the text of the experiment ("experiment.toml") and of
	// its includes (by their include names), so that partial results carry
	// the experiment with them and merge needs no other file.
	files map[string][]byte
	// layout is the last directories of the experiment's own (at most
	// maxIncludeUp of them), so that a partial result lays out its includes
	// ("../x.toml") as they were on disk.
	layout string
	// explore holds the design tables as loaded (checkExplore); nil for
	// an experiment not read from a file.
	explore *exploreFile
}

// Scenario is one scenario: a regime and the market it runs on.
type Scenario struct {
	Name     string
	Regime   *market.Regime
	Compiled *market.Compiled
	Market   market.Config
	// Overrides are the parameter paths set on top of the base market.
	Overrides []Override
}

// Override is one parameter set by a scenario or sweep.
type Override struct {
	Path  string
	Value any
}

// Load reads, validates and resolves the experiment file at path. Included
// files are read relative to its directory.
func Load(filePath string) (*Experiment, error) {
	dir, name := filepath.Split(filePath)
	if dir == "" {
		dir = "."
	}
	fsys, base, err := dirFS(dir)
	if err != nil {
		return nil, &Error{File: filePath, Msg: err.Error()}
	}
	return load(fsys, path.Join(base, name), filePath, dir, base)
}

// LoadBytes reads an experiment from memory; includes resolve in dir.
func LoadBytes(data []byte, displayName, dir string) (*Experiment, error) {
	fsys, base, err := dirFS(dir)
	if err != nil {
		return nil, &Error{File: displayName, Msg: err.Error()}
	}
	return loadData(fsys, data, "", displayName, dir, base)
}

// load reads name from fsys. Includes are read from base inside fsys and
// shown to the user under dir.
func load(fsys fs.FS, name, display, dir, base string) (*Experiment, error) {
	data, err := readFile(fsys, name, tomlKind)
	if err != nil {
		return nil, &Error{File: display, Msg: err.Error()}
	}
	return loadData(fsys, data, name, display, dir, base)
}

// loadData decodes and resolves data, the text of the file self in fsys
// ("" when it is in no file).
func loadData(fsys fs.FS, data []byte, self, display, dir, base string) (*Experiment, error) {
	var f fileFormat
	md, err := decode(display, data, &f)
	if err != nil {
		return nil, err
	}
	if err := unknownKeys(display, md.Undecoded()); err != nil {
		return nil, withLine(err, display, data)
	}
	e, err := resolve(fsys, &f, data, self, display, dir, base)
	if err != nil {
		return nil, withLine(err, display, data)
	}
	if err := e.checkExplore(data, md); err != nil {
		return nil, withLine(err, display, data)
	}
	e.layout = lastDirs(base, maxIncludeUp)
	return e, nil
}

// WithRuns returns a copy of e with n runs per scenario (the --runs flag).
// In precision mode n replaces max_runs.
func (e *Experiment) WithRuns(n int) (*Experiment, error) {
	if n < 1 || n > engine.MaxRuns {
		return nil, &agents.ValueError{Key: "--runs", Value: n, Got: strconv.Itoa(n), Want: "1 to " + strconv.Itoa(engine.MaxRuns)}
	}
	c := *e
	c.Runs = n
	if c.Precision > 0 {
		if n < 2 {
			return nil, &agents.ValueError{Key: "--runs", Value: n, Got: strconv.Itoa(n), Want: "at least 2 in precision mode"}
		}
		c.MaxRuns = n
	}
	c.Hash = c.hash()
	return &c, nil
}

// WithSeed returns a copy of e with another master seed (the --seed flag).
func (e *Experiment) WithSeed(seed uint64) *Experiment {
	c := *e
	c.Seed = seed
	c.Hash = c.hash()
	return &c
}

// MonthIndex returns the index of month m in the simulated months.
func (e *Experiment) MonthIndex(m agents.Month) int { return int(m - e.Market.Start) }

// Months returns the number of simulated months.
func (e *Experiment) Months() int { return e.Market.Months() }
