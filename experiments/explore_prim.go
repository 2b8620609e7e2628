package experiments

import (
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/coopsim/coopsim/experiments/discover"
	"github.com/coopsim/coopsim/experiments/report"
)

// The discover command's result files.
const (
	DiscoverFile           = "discover.json"
	DiscoverTrajectoryFile = "discover-trajectory.csv"
)

// DiscoverReport is discover.json: the design, the condition, PRIM's
// peeling trajectory and the chosen box.
type DiscoverReport struct {
	Experiment  string         `json:"experiment"`
	Seed        uint64         `json:"seed"`
	Hash        string         `json:"hash"`
	Design      string         `json:"design"`
	Points      int            `json:"points"`
	Replicates  int            `json:"replicates"`
	Condition   string         `json:"condition"`
	Interesting int            `json:"points_meeting_condition"`
	PeelAlpha   float64        `json:"peel_alpha"`
	MinMass     float64        `json:"min_mass"`
	MinDensity  float64        `json:"min_density"`
	Paste       bool           `json:"paste"`
	Factors     []FactorReport `json:"factors"`
	Trajectory  []PRIMStep     `json:"trajectory"`
	Chosen      int            `json:"chosen_step"`
	Box         []BoxBound     `json:"box"`
}

// PRIMStep is one box of the peeling (and pasting) trajectory.
type PRIMStep struct {
	Coverage   float64 `json:"coverage"`
	Density    float64 `json:"density"`
	Mass       float64 `json:"mass"`
	N          int     `json:"points"`
	K          int     `json:"points_meeting_condition"`
	Restricted int     `json:"restricted_factors"`
}

// BoxBound is one factor the chosen box restricts, with the quasi-p-value
// of each restricted bound (absent for a bound left at the data's range).
type BoxBound struct {
	Factor string   `json:"factor"`
	Low    float64  `json:"low"`
	High   float64  `json:"high"`
	PLow   *float64 `json:"quasi_p_low,omitempty"`
	PHigh  *float64 `json:"quasi_p_high,omitempty"`
}

// ConditionText shows the condition, e.g. "net_revenue/openai@history > 0".
func (s *DiscoverSpec) ConditionText() string {
	return fmt.Sprintf("%s %s %g", s.Output.Name, s.Op, s.Value)
}

// AnalyseDiscover runs PRIM over the design points' factor values and
// whether each meets the condition (y[i][0] is the point's output).
func (e *Experiment) AnalyseDiscover(s *DiscoverSpec, values [][]float64, y [][]float64) (*DiscoverReport, error) {
	hold := make([]bool, len(y))
	for i, row := range y {
		hold[i] = s.Holds(row[0])
	}
	res, err := discover.Peel(values, hold, s.PRIM)
	if err != nil {
		return nil, fmt.Errorf("experiments: condition %s: %w", s.ConditionText(), err)
	}
	r := &DiscoverReport{Experiment: e.Name, Seed: e.Seed, Hash: e.DiscoverHash(s), Design: s.Design,
		Points: s.Points, Replicates: s.Replicates, Condition: s.ConditionText(), Interesting: res.Interesting,
		PeelAlpha: s.PRIM.Alpha, MinMass: s.PRIM.MinMass, MinDensity: s.MinDensity, Paste: s.PRIM.Paste,
		Factors: factorReports(s.Factors)}
	for _, st := range res.Trajectory {
		r.Trajectory = append(r.Trajectory, PRIMStep{Coverage: st.Coverage, Density: st.Density, Mass: st.Mass,
			N: st.N, K: st.K, Restricted: st.Restricted})
	}
	r.Chosen = res.Choose(s.MinDensity)
	for _, b := range res.Restrictions(r.Chosen) {
		bb := BoxBound{Factor: s.Factors[b.Factor].Path, Low: b.Low, High: b.High}
		if !math.IsNaN(b.PLow) {
			bb.PLow = &b.PLow
		}
		if !math.IsNaN(b.PHigh) {
			bb.PHigh = &b.PHigh
		}
		r.Box = append(r.Box, bb)
	}
	return r, nil
}

// WriteDiscover writes discover.json and the tidy trajectory CSV (one row
// per step) into dir, each atomically.
func WriteDiscover(dir string, r *DiscoverReport) error {
	if err := writeJSON(filepath.Join(dir, DiscoverFile), r); err != nil {
		return err
	}
	return report.WriteFileAtomic(filepath.Join(dir, DiscoverTrajectoryFile), func(w io.Writer) error {
		fmt.Fprintln(w, "step,coverage,density,mass,points,points_meeting_condition,restricted_factors,chosen")
		for i, st := range r.Trajectory {
			fmt.Fprintf(w, "%d,%s,%s,%s,%d,%d,%d,%t\n", i, fnum(st.Coverage), fnum(st.Density), fnum(st.Mass),
				st.N, st.K, st.Restricted, i == r.Chosen)
		}
		return nil
	})
}
