package experiments

import (
	"fmt"

	"github.com/coopsim/coopsim/experiments/design"
	"github.com/coopsim/coopsim/experiments/discover"
	"github.com/coopsim/coopsim/experiments/engine"
)

type conditionFormat struct {
	Metric   string   `toml:"metric"`
	Scenario string   `toml:"scenario"`
	Minus    string   `toml:"minus"`
	Op       string   `toml:"op"`
	Value    *float64 `toml:"value"`
}

type discoverFormat struct {
	Design     string           `toml:"design"`
	Points     *int64           `toml:"points"`
	Replicates *int64           `toml:"replicates"`
	MaxPoints  *int64           `toml:"max_points"`
	Condition  *conditionFormat `toml:"condition"`
	Alpha      *float64         `toml:"peel_alpha"`
	MinMass    *float64         `toml:"min_mass"`
	MinDensity *float64         `toml:"min_density"`
	Paste      bool             `toml:"paste"`
}

// DiscoverSpec is a validated [discover] table with its factors: a
// space-filling design, the replicate runs per point, the condition whose
// region PRIM looks for, and PRIM's options.
type DiscoverSpec struct {
	Design     string // "sobol" or "latin"
	Points     int
	Replicates int
	MaxPoints  int
	Factors    []Factor
	// Condition holds at a design point when Output's mean over the
	// point's replicates compares to Value as Op says.
	Output     Output
	Op         string
	Value      float64
	PRIM       discover.Options
	MinDensity float64
}

// HasDiscover reports whether the experiment file has a [discover] table,
// as it was loaded.
func (e *Experiment) HasDiscover() bool {
	return e.explore != nil && e.explore.Discover != nil
}

// Describe says what the study runs: its design, points and runs a point.
func (s *DiscoverSpec) Describe() string {
	return fmt.Sprintf("%s design over %d factors: %d design points × %d runs, looking for where %s", s.Design, len(s.Factors),
		s.Points, s.Replicates, s.ConditionText())
}

// Discover reads and validates the experiment's [discover] and [factors]
// tables. Errors are *Error naming the key and the fix.
func (e *Experiment) Discover() (*DiscoverSpec, error) {
	f, err := e.exploreTables()
	if err != nil {
		return nil, err
	}
	t := f.Discover
	if t == nil {
		return nil, &Error{File: e.Source, Key: "discover",
			Msg: `missing: add a [discover] table with a condition, e.g. condition = {metric = "cap_bound", scenario = "history", op = ">", value = 0.5}, and a [factors] table`}
	}
	s := &DiscoverSpec{Design: t.Design}
	if s.Design == "" {
		s.Design = "sobol"
	}
	if s.Design != "sobol" && s.Design != "latin" {
		return nil, &Error{File: e.Source, Key: "discover.design", Msg: fmt.Sprintf("%q, want \"sobol\" (scrambled Sobol points) or \"latin\" (a Latin hypercube)", t.Design)}
	}
	if s.Factors, err = e.factors(f); err != nil {
		return nil, err
	}
	if err := e.discoverCondition(s, t.Condition); err != nil {
		return nil, err
	}
	if s.Points, err = e.intKey("discover.points", t.Points, 256, 2, engine.MaxRuns); err != nil {
		return nil, err
	}
	if s.Replicates, err = e.intKey("discover.replicates", t.Replicates, defaultReplicates, 1, MaxReplicates); err != nil {
		return nil, err
	}
	if s.MaxPoints, err = e.intKey("discover.max_points", t.MaxPoints, defaultMaxPoints, 2, engine.MaxRuns); err != nil {
		return nil, err
	}
	if s.Points > s.MaxPoints {
		return nil, &Error{File: e.Source, Key: "discover.max_points",
			Msg: fmt.Sprintf("points = %d is more than max_points = %d: lower points or raise max_points", s.Points, s.MaxPoints)}
	}
	if s.PRIM.Alpha, err = e.fracKey("discover.peel_alpha", t.Alpha, discover.DefaultOptions.Alpha, 0, 0.5); err != nil {
		return nil, err
	}
	if s.PRIM.MinMass, err = e.fracKey("discover.min_mass", t.MinMass, discover.DefaultOptions.MinMass, 0, 1); err != nil {
		return nil, err
	}
	if s.MinDensity, err = e.fracKey("discover.min_density", t.MinDensity, 0.8, 0, 1); err != nil {
		return nil, err
	}
	s.PRIM.Paste = t.Paste
	return s, nil
}

func (e *Experiment) discoverCondition(s *DiscoverSpec, c *conditionFormat) error {
	if c == nil {
		return &Error{File: e.Source, Key: "discover.condition",
			Msg: `missing: state the condition, e.g. condition = {metric = "net_revenue/microsoft", scenario = "amended-2026", minus = "history", op = ">", value = 0}`}
	}
	outs, err := e.outputs("discover.condition", []outputFormat{{Metric: c.Metric, Scenario: c.Scenario, Minus: c.Minus}}, true)
	if err != nil {
		return err
	}
	s.Output = outs[0]
	switch c.Op {
	case ">", ">=", "<", "<=":
		s.Op = c.Op
	default:
		return &Error{File: e.Source, Key: "discover.condition.op", Msg: fmt.Sprintf("%q, want one of >, >=, <, <=", c.Op)}
	}
	if c.Value == nil {
		return &Error{File: e.Source, Key: "discover.condition.value", Msg: "missing: the threshold the output is compared with"}
	}
	s.Value = *c.Value
	return nil
}

// Holds reports whether the condition holds for output value v.
func (s *DiscoverSpec) Holds(v float64) bool {
	switch s.Op {
	case ">":
		return v > s.Value
	case ">=":
		return v >= s.Value
	case "<":
		return v < s.Value
	}
	return v <= s.Value
}

// DiscoverDesign returns the design's points in factor values, keyed by
// the experiment's seed.
func (e *Experiment) DiscoverDesign(s *DiscoverSpec) ([][]float64, error) {
	var unit [][]float64
	var err error
	if s.Design == "latin" {
		unit, err = design.LatinHypercube(s.Points, len(s.Factors), e.Seed)
	} else {
		unit, err = design.SobolPoints(s.Points, len(s.Factors), e.Seed)
	}
	if err != nil {
		return nil, err
	}
	return design.Values(designFactors(s.Factors), unit), nil
}

// DiscoverHash returns the study hash of the discovery.
func (e *Experiment) DiscoverHash(s *DiscoverSpec) string {
	return e.StudyHash(fmt.Sprintf("discover %s n=%d R=%d", s.Design, s.Points, s.Replicates), s.Factors, []Output{s.Output})
}
