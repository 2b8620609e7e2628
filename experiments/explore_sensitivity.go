package experiments

import (
	"fmt"

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
	Bootstrap    *int64         `toml:"bootstrap"`
	Confidence   *float64       `toml:"confidence"`
	Outputs      []outputFormat `toml:"output"`
}

// SensitivitySpec is a validated [sensitivity] table with its factors: a
// Sobol (Saltelli) or Morris design, the replicate runs per point, the
// outputs and the bootstrap.
type SensitivitySpec struct {
	Method       string // "sobol" or "morris"
	BaseSize     int    // sobol: N, a power of two
	Trajectories int    // morris: r
	Levels       int    // morris: p, even
	Replicates   int
	MaxPoints    int
	Bootstrap    sensitivity.Bootstrap
	Factors      []Factor
	Outputs      []Output
}

// The [sensitivity] defaults.
const (
	defaultBaseSize     = 64
	defaultTrajectories = 20
	defaultLevels       = 4
	defaultReplicates   = 10
	defaultMaxPoints    = 100_000
)

// Sensitivity reads and validates the experiment's [sensitivity] and
// [factors] tables. Errors are *Error naming the key and the fix.
func (e *Experiment) Sensitivity() (*SensitivitySpec, error) {
	f, err := e.readExplore()
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

// sensitivitySizes reads the design's sizes and the bootstrap and checks
// the design against max_points.
func (e *Experiment) sensitivitySizes(s *SensitivitySpec, t *sensitivityFormat) error {
	var err error
	ints := []struct {
		key     string
		v       *int64
		dst     *int
		def, hi int
	}{
		{"sensitivity.base_size", t.BaseSize, &s.BaseSize, defaultBaseSize, 1 << 24},
		{"sensitivity.trajectories", t.Trajectories, &s.Trajectories, defaultTrajectories, 1 << 20},
		{"sensitivity.levels", t.Levels, &s.Levels, defaultLevels, 1000},
		{"sensitivity.replicates", t.Replicates, &s.Replicates, defaultReplicates, MaxReplicates},
		{"sensitivity.max_points", t.MaxPoints, &s.MaxPoints, defaultMaxPoints, engine.MaxRuns},
		{"sensitivity.bootstrap", t.Bootstrap, &s.Bootstrap.Resamples, sensitivity.DefaultBootstrap.Resamples, 1_000_000},
	}
	for _, k := range ints {
		if *k.dst, err = e.intKey(k.key, k.v, k.def, 2, k.hi); err != nil {
			return err
		}
	}
	if s.Bootstrap.Confidence, err = e.fracKey("sensitivity.confidence", t.Confidence, sensitivity.DefaultBootstrap.Confidence, 0, 1); err != nil {
		return err
	}
	s.Bootstrap.Seed = e.Seed
	points := s.Points()
	switch {
	case s.Method == "sobol" && t.BaseSize == nil && t.Trajectories != nil,
		s.Method == "morris" && t.Trajectories == nil && t.BaseSize != nil:
		return &Error{File: e.Source, Key: "sensitivity.method",
			Msg: "base_size is for method \"sobol\", trajectories and levels for \"morris\": set the method that matches"}
	case s.Method == "sobol":
		if err := design.CheckSaltelli(s.BaseSize, len(s.Factors)); err != nil {
			return &Error{File: e.Source, Key: "sensitivity.base_size", Msg: err.Error()}
		}
	case s.Levels%2 != 0:
		return &Error{File: e.Source, Key: "sensitivity.levels", Msg: fmt.Sprintf("%d, want an even number of levels (4 is usual)", s.Levels)}
	}
	if points > s.MaxPoints {
		return &Error{File: e.Source, Key: "sensitivity.max_points",
			Msg: fmt.Sprintf("the design has %d points (%s), more than max_points = %d: shrink the design or raise max_points", points, s.sizeText(), s.MaxPoints)}
	}
	return nil
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

func (s *SensitivitySpec) sizeText() string {
	if s.Method == "sobol" {
		return fmt.Sprintf("base size %d × (%d factors + 2)", s.BaseSize, len(s.Factors))
	}
	return fmt.Sprintf("%d trajectories × (%d factors + 1)", s.Trajectories, len(s.Factors))
}

// Design returns the design's points in unit coordinates and in factor
// values, keyed by the experiment's seed, with the Morris design (nil for
// Sobol) that the analysis needs.
func (e *Experiment) SensitivityDesign(s *SensitivitySpec) (unit, values [][]float64, m *design.Morris, err error) {
	d := len(s.Factors)
	if s.Method == "sobol" {
		sd, err := design.NewSaltelli(s.BaseSize, d, e.Seed)
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
