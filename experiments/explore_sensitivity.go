package experiments

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/experiments/design"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/experiments/sensitivity"
)

type sensitivityFormat struct {
	Method       string         `toml:"method"`
	BaseSize     *int64         `toml:"base_size"`
	Trajectories *int64         `toml:"trajectories"`
	Levels       *int64         `toml:"levels"`
	Replicates   *int64         `toml:"replicates"`
	MaxPoints    *int64         `toml:"max_points"`
	Scrambles    *int64         `toml:"scrambles"`
	Bootstrap    *int64         `toml:"bootstrap"`
	Confidence   *float64       `toml:"confidence"`
	Outputs      []outputFormat `toml:"output"`
}

// SensitivitySpec is a validated [sensitivity] table with its factors: a
// Sobol (Saltelli) or Morris design, the replicate runs per point, the
// outputs and how intervals are computed.
type SensitivitySpec struct {
	Method       string // "sobol" or "morris"
	BaseSize     int    // sobol: N base rows in all, a power of two
	Scrambles    int    // sobol: the N rows' independent scrambles, a power of two
	Trajectories int    // morris: r
	Levels       int    // morris: p, even
	Resamples    int    // morris: the bootstrap's resamples (key bootstrap); 0 for sobol
	Replicates   int
	MaxPoints    int
	// Confidence is both methods' interval level (key confidence, 0.95
	// unless set): of the Student t intervals over a Sobol study's
	// scrambles, and of the percentile intervals of a Morris study's
	// bootstrap.
	Confidence float64
	Factors    []Factor
	Outputs    []Output
}

// The [sensitivity] defaults. The default base size gives the default 8
// scrambles 32 rows each, the fewest whose 95% intervals hold their level
// on the test functions (package sensitivity's TestSobolCoverage; at 8
// rows a scramble they cover about 90%).
const (
	defaultBaseSize     = 256
	defaultTrajectories = 20
	defaultLevels       = 4
	defaultReplicates   = 10
	defaultScrambles    = 8
	defaultMaxPoints    = 100_000
)

// Sensitivity reads and validates the experiment's [sensitivity] and
// [factors] tables. Errors are *Error naming the key and the fix.
func (e *Experiment) Sensitivity() (*SensitivitySpec, error) {
	f, err := e.exploreTables()
	if err != nil {
		return nil, err
	}
	if f.Sensitivity == nil {
		return nil, &Error{File: e.Source, Key: "sensitivity",
			Msg: `missing: add a [sensitivity] table (method = "sobol" or "morris") with [[sensitivity.output]] and a [factors] table; see experiments/examples/sensitivity.toml`}
	}
	t := f.Sensitivity
	s := &SensitivitySpec{Method: t.Method}
	if s.Method == "" {
		s.Method = "sobol"
	}
	if s.Method != "sobol" && s.Method != "morris" {
		return nil, &Error{File: e.Source, Key: "sensitivity.method", Msg: fmt.Sprintf("%q, want \"sobol\" (first-order and total indices) or \"morris\" (elementary effects)", t.Method)}
	}
	if s.Factors, err = e.factors(f); err != nil {
		return nil, err
	}
	if s.Outputs, err = e.outputs("sensitivity.output", t.Outputs, false); err != nil {
		return nil, err
	}
	if err := e.sensitivitySizes(s, t); err != nil {
		return nil, err
	}
	return s, nil
}

// sensitivitySizes reads the design's sizes and how its intervals are
// computed, and checks the design against max_points.
func (e *Experiment) sensitivitySizes(s *SensitivitySpec, t *sensitivityFormat) error {
	type sizeKey struct {
		key         string
		v           *int64
		dst         *int
		def, lo, hi int
	}
	ints := []sizeKey{
		{"sensitivity.base_size", t.BaseSize, &s.BaseSize, defaultBaseSize, 2, design.MaxBaseSize},
		{"sensitivity.trajectories", t.Trajectories, &s.Trajectories, defaultTrajectories, 2, 1 << 20},
		{"sensitivity.levels", t.Levels, &s.Levels, defaultLevels, 2, 1000},
		{"sensitivity.replicates", t.Replicates, &s.Replicates, defaultReplicates, 2, MaxReplicates},
		{"sensitivity.max_points", t.MaxPoints, &s.MaxPoints, defaultMaxPoints, 2, engine.MaxRuns},
	}
	if s.Method == "sobol" {
		// Any whole number: design.CheckSaltelli says what scrambles takes.
		ints = append(ints, sizeKey{"sensitivity.scrambles", t.Scrambles, &s.Scrambles, defaultScrambles, math.MinInt, math.MaxInt})
	} else {
		ints = append(ints, sizeKey{"sensitivity.bootstrap", t.Bootstrap, &s.Resamples, sensitivity.DefaultBootstrap.Resamples, 2, 1_000_000})
	}
	var err error
	for _, k := range ints {
		if *k.dst, err = e.intKey(k.key, k.v, k.def, k.lo, k.hi); err != nil {
			return err
		}
	}
	if s.Confidence, err = e.fracKey("sensitivity.confidence", t.Confidence, sensitivity.DefaultConfidence, 0, 1); err != nil {
		return err
	}
	if err := e.checkSensitivityMethod(s, t); err != nil {
		return err
	}
	if points := s.Points(); points > s.MaxPoints {
		fix := "shrink the design or raise max_points"
		if points > engine.MaxRuns {
			fix = fmt.Sprintf("shrink the design (max_points takes at most %d)", engine.MaxRuns)
		}
		return &Error{File: e.Source, Key: "sensitivity.max_points",
			Msg: fmt.Sprintf("the design has %d points (%s), more than max_points = %d: %s", points, s.sizeText(), s.MaxPoints, fix)}
	}
	return nil
}

// checkSensitivityMethod refuses keys of the other method and a design
// the method cannot draw: a Sobol base size that is not a power of two or
// that its scrambles cannot split, or an odd number of Morris levels.
func (e *Experiment) checkSensitivityMethod(s *SensitivitySpec, t *sensitivityFormat) error {
	switch {
	case s.Method == "sobol" && t.BaseSize == nil && t.Trajectories != nil,
		s.Method == "morris" && t.Trajectories == nil && t.BaseSize != nil:
		return &Error{File: e.Source, Key: "sensitivity.method",
			Msg: "base_size is for method \"sobol\", trajectories and levels for \"morris\": set the method that matches"}
	case s.Method == "sobol" && t.Bootstrap != nil:
		return &Error{File: e.Source, Key: "sensitivity.bootstrap",
			Msg: "method \"sobol\" has no bootstrap: its intervals come from the spread of the estimates over the design's independent scrambles (scrambles, 8 unless set); drop the key"}
	case s.Method == "morris" && t.Scrambles != nil:
		return &Error{File: e.Source, Key: "sensitivity.scrambles",
			Msg: "scrambles is for method \"sobol\"; Morris intervals resample its trajectories (bootstrap = resamples): drop the key"}
	case s.Method == "sobol":
		return e.checkSaltelli(s, t)
	case s.Levels%2 != 0:
		return &Error{File: e.Source, Key: "sensitivity.levels", Msg: fmt.Sprintf("%d, want an even number of levels (4 is usual)", s.Levels)}
	}
	return nil
}

// checkSaltelli refuses a Sobol design that design.NewSaltelli would:
// design.CheckSaltelli's *ParamError under the key of the parameter it
// names, in its words (its value, and what it wants), noting a value the
// file did not set.
func (e *Experiment) checkSaltelli(s *SensitivitySpec, t *sensitivityFormat) error {
	pe := design.CheckSaltelli(s.BaseSize, len(s.Factors), s.Scrambles)
	if pe == nil {
		return nil
	}
	key, set := "factors", true // design.ParamFactors: the file's [factors] table
	switch pe.Param {
	case design.ParamBaseSize:
		key, set = "sensitivity.base_size", t.BaseSize != nil
	case design.ParamScrambles:
		key, set = "sensitivity.scrambles", t.Scrambles != nil
	}
	value := pe.Value
	if !set {
		value += " (the default)"
	}
	return &Error{File: e.Source, Key: key, Msg: fmt.Sprintf("%s, want %s", value, pe.Want)}
}

// Units returns the design's independent units (Saltelli base rows or
// Morris trajectories): shards take whole units.
func (s *SensitivitySpec) Units() int {
	if s.Method == "sobol" {
		return s.BaseSize
	}
	return s.Trajectories
}

// UnitSize returns the design points per unit.
func (s *SensitivitySpec) UnitSize() int {
	if s.Method == "sobol" {
		return len(s.Factors) + 2
	}
	return len(s.Factors) + 1
}

// Points returns the number of design points.
func (s *SensitivitySpec) Points() int { return s.Units() * s.UnitSize() }

// minScrambleRows is the fewest base rows a scramble needs for intervals
// that hold their level (TestSobolCoverage checks 32; with fewer the ratio
// estimators' bias does not average out: TestSobolSmallScramblesUndercover
// finds 95% intervals holding about half the time at 4 rows on Ishigami).
const minScrambleRows = 32

// Describe says in one line what the study runs.
func (s *SensitivitySpec) Describe() string {
	return fmt.Sprintf("%s over %d factors, %d outputs: %d design points × %d runs; %s", s.Method, len(s.Factors),
		len(s.Outputs), s.Points(), s.Replicates, s.sizeText())
}

// Warnings returns what the study may do less well than a reader expects:
// Sobol scrambles of fewer than minScrambleRows rows.
func (s *SensitivitySpec) Warnings() []string {
	if s.Method != "sobol" || s.BaseSize/s.Scrambles >= minScrambleRows {
		return nil
	}
	return []string{fmt.Sprintf("sensitivity: %d base rows a scramble (base_size %d in %d scrambles), under %d: the intervals cover less than their level "+
		"(on the Ishigami function 95%% intervals held about half the time at 4 rows); %s",
		s.BaseSize/s.Scrambles, s.BaseSize, s.Scrambles, minScrambleRows, s.scrambleFix())}
}

// scrambleFix says how a Sobol study reaches minScrambleRows base rows a
// scramble: a base size that gives its scrambles that many, where
// base_size takes it (design.MaxBaseSize), else fewer scrambles, with the
// most base_size takes too.
func (s *SensitivitySpec) scrambleFix() string {
	need, fewer := minScrambleRows*s.Scrambles, s.BaseSize/minScrambleRows
	if need > design.MaxBaseSize {
		// fewer is at least 2^15: scrambles > MaxBaseSize/32 and each has 2 rows.
		return fmt.Sprintf("lower scrambles to %d, or to %d with base_size %d (the most it takes; %d scrambles would need %d)",
			fewer, design.MaxBaseSize/minScrambleRows, design.MaxBaseSize, s.Scrambles, need)
	}
	fix := fmt.Sprintf("raise base_size to %d", need)
	if fewer >= design.MinScrambles {
		fix += fmt.Sprintf(", or lower scrambles to %d", fewer)
	}
	return fix
}

// HasSensitivity reports whether the experiment file has a [sensitivity]
// table, as it was loaded (a table Load would have refused, it refused).
func (e *Experiment) HasSensitivity() bool {
	return e.explore != nil && e.explore.Sensitivity != nil
}

func (s *SensitivitySpec) sizeText() string {
	if s.Method == "sobol" {
		return fmt.Sprintf("base size %d (%d scrambles of %d) × (%d factors + 2)", s.BaseSize, s.Scrambles, s.BaseSize/s.Scrambles, len(s.Factors))
	}
	return fmt.Sprintf("%d trajectories × (%d factors + 1)", s.Trajectories, len(s.Factors))
}

// Design returns the design's points in unit coordinates and in factor
// values, keyed by the experiment's seed, with the Morris design (nil for
// Sobol) that the analysis needs.
func (e *Experiment) SensitivityDesign(s *SensitivitySpec) (unit, values [][]float64, m *design.Morris, err error) {
	d := len(s.Factors)
	if s.Method == "sobol" {
		sd, err := design.NewSaltelli(s.BaseSize, d, s.Scrambles, e.Seed)
		if err != nil {
			return nil, nil, nil, err
		}
		unit = sd.Unit
		values = design.Values(designFactors(s.Factors), unit)
		return unit, values, nil, nil
	}
	m, err = design.NewMorris(s.Trajectories, d, s.Levels, e.Seed)
	if err != nil {
		return nil, nil, nil, err
	}
	unit = m.Unit
	values = make([][]float64, len(unit))
	for i, u := range unit {
		values[i] = make([]float64, d)
		for j, f := range s.Factors {
			values[i][j] = m.Value(f.Design, u[j])
		}
	}
	return unit, values, m, nil
}

func designFactors(fs []Factor) []design.Factor {
	out := make([]design.Factor, len(fs))
	for i, f := range fs {
		out[i] = f.Design
	}
	return out
}
