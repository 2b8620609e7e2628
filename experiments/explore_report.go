package experiments

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/coopsim/coopsim/experiments/design"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/experiments/sensitivity"
)

// The sensitivity command's result files.
const (
	SensitivityFile    = "sensitivity.json"
	SensitivityCSVFile = "sensitivity.csv"
)

// SensitivityReport is sensitivity.json: the design, and per output its
// indices per factor.
type SensitivityReport struct {
	Experiment   string  `json:"experiment"`
	Seed         uint64  `json:"seed"`
	Hash         string  `json:"hash"`
	Method       string  `json:"method"`
	BaseSize     int     `json:"base_size,omitempty"`
	Trajectories int     `json:"trajectories,omitempty"`
	Levels       int     `json:"levels,omitempty"`
	Replicates   int     `json:"replicates"`
	Points       int     `json:"points"`
	Scrambles    int     `json:"scrambles,omitempty"`
	Resamples    int     `json:"bootstrap_resamples,omitempty"`
	Confidence   float64 `json:"confidence"`
	// Interval says in a sentence how the intervals were computed, for
	// a reader (the sensitivity command's summary prints it). It is
	// derived from the fields above (IntervalText: the Student t
	// quantile of Scrambles and Confidence, or Trajectories and
	// Resamples) and holds nothing they do not; programs read those. It
	// stays in the file so that readers of earlier files keep working.
	Interval string              `json:"interval"`
	Factors  []FactorReport      `json:"factors"`
	Outputs  []SensitivityOutput `json:"outputs"`
}

// FactorReport describes one factor in a result file.
type FactorReport struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	Dist string `json:"distribution"`
}

// SensitivityOutput is one output's indices, in factor order: Sobol or
// Morris, as the method says.
type SensitivityOutput struct {
	Name     string        `json:"name"`
	Metric   string        `json:"metric"`
	Scenario string        `json:"scenario"`
	Minus    string        `json:"minus,omitempty"`
	Variance float64       `json:"variance,omitempty"`
	Sobol    []SobolEntry  `json:"sobol,omitempty"`
	Morris   []MorrisEntry `json:"morris,omitempty"`
}

// SobolEntry is one factor's Sobol indices with their intervals.
type SobolEntry struct {
	Factor string     `json:"factor"`
	S1     float64    `json:"s1"`
	S1SE   float64    `json:"s1_se"`
	S1CI   [2]float64 `json:"s1_ci"`
	ST     float64    `json:"st"`
	STSE   float64    `json:"st_se"`
	STCI   [2]float64 `json:"st_ci"`
}

// MorrisEntry is one factor's elementary-effect statistics.
type MorrisEntry struct {
	Factor   string     `json:"factor"`
	Mu       float64    `json:"mu"`
	MuCI     [2]float64 `json:"mu_ci"`
	MuStar   float64    `json:"mu_star"`
	MuStarCI [2]float64 `json:"mu_star_ci"`
	Sigma    float64    `json:"sigma"`
	SigmaCI  [2]float64 `json:"sigma_ci"`
}

// StudyHash returns the sha256 of what determines a design study's
// results: the experiment's hash and the design, factors and outputs.
func (e *Experiment) StudyHash(what string, fs []Factor, outs []Output) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", e.Hash, what)
	for _, f := range fs {
		fmt.Fprintf(h, "factor %q %s %s\n", f.Path, f.Design.Kind, f.Describe)
	}
	for _, o := range outs {
		fmt.Fprintf(h, "output %q %q %q %q\n", o.Name, o.Metric, o.Scenario, o.Minus)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SensitivityHash returns the study hash of the sensitivity analysis. A
// Morris study's hash is what it was before Sobol studies had scrambles.
func (e *Experiment) SensitivityHash(s *SensitivitySpec) string {
	if s.Method == "sobol" {
		return e.StudyHash(fmt.Sprintf("sensitivity %s N=%d scrambles=%d R=%d conf=%v",
			s.Method, s.BaseSize, s.Scrambles, s.Replicates, s.Confidence), s.Factors, s.Outputs)
	}
	return e.StudyHash(fmt.Sprintf("sensitivity %s N=%d r=%d p=%d R=%d boot=%d conf=%v",
		s.Method, s.BaseSize, s.Trajectories, s.Levels, s.Replicates, s.Resamples, s.Confidence), s.Factors, s.Outputs)
}

// IntervalText says how the study's intervals are computed, for a reader
// of sensitivity.json, from the spec's Method, Confidence and Scrambles or
// Trajectories and Resamples (which the file also holds).
func (s *SensitivitySpec) IntervalText() string {
	if s.Method == "sobol" {
		tq := sensitivity.TQuantile(s.Scrambles, s.Confidence)
		return fmt.Sprintf("Student t interval over %d independent scrambles of the design: their mean ± t(%d df) = %.4g × their sd/√%d",
			s.Scrambles, s.Scrambles-1, tq, s.Scrambles)
	}
	return fmt.Sprintf("percentile bootstrap over the %d trajectories, %d resamples", s.Trajectories, s.Resamples)
}

// AnalyseSensitivity computes every output's indices from the outputs at
// every design point (y[i][k]: output k at point i); m is the Morris
// design (nil for Sobol).
func (e *Experiment) AnalyseSensitivity(s *SensitivitySpec, m *design.Morris, y [][]float64) (*SensitivityReport, error) {
	r := &SensitivityReport{Experiment: e.Name, Seed: e.Seed, Hash: e.SensitivityHash(s), Method: s.Method,
		Replicates: s.Replicates, Points: s.Points(), Confidence: s.Confidence, Interval: s.IntervalText(),
		Factors: factorReports(s.Factors)}
	if s.Method == "sobol" {
		r.BaseSize, r.Scrambles = s.BaseSize, s.Scrambles
	} else {
		r.Trajectories, r.Levels, r.Resamples = s.Trajectories, s.Levels, s.Resamples
	}
	col := make([]float64, len(y))
	for k, o := range s.Outputs {
		for i := range y {
			col[i] = y[i][k]
		}
		out := SensitivityOutput{Name: o.Name, Metric: o.Metric, Scenario: o.Scenario, Minus: o.Minus}
		if s.Method == "sobol" {
			res, err := sensitivity.Sobol(col, s.BaseSize, len(s.Factors), s.scrambles())
			if err != nil {
				return nil, fmt.Errorf("experiments: output %s: %w", o.Name, err)
			}
			out.Variance = res.Variance
			for j, ix := range res.Indices {
				out.Sobol = append(out.Sobol, SobolEntry{Factor: s.Factors[j].Path, S1: ix.S1, S1SE: ix.S1SE,
					S1CI: [2]float64{ix.S1CI.Low, ix.S1CI.High}, ST: ix.ST, STSE: ix.STSE, STCI: [2]float64{ix.STCI.Low, ix.STCI.High}})
			}
		} else {
			res, err := sensitivity.Morris(m, col, s.bootstrap(e.Seed))
			if err != nil {
				return nil, fmt.Errorf("experiments: output %s: %w", o.Name, err)
			}
			for j, ix := range res.Indices {
				out.Morris = append(out.Morris, MorrisEntry{Factor: s.Factors[j].Path, Mu: ix.Mu, MuCI: [2]float64{ix.MuCI.Low, ix.MuCI.High},
					MuStar: ix.MuStar, MuStarCI: [2]float64{ix.MuStarCI.Low, ix.MuStarCI.High},
					Sigma: ix.Sigma, SigmaCI: [2]float64{ix.SigmaCI.Low, ix.SigmaCI.High}})
			}
		}
		r.Outputs = append(r.Outputs, out)
	}
	return r, nil
}

// scrambles is how a Sobol study's intervals are computed.
func (s *SensitivitySpec) scrambles() sensitivity.Scrambles {
	return sensitivity.Scrambles{Count: s.Scrambles, Confidence: s.Confidence}
}

// bootstrap is how a Morris study's intervals are computed: its resamples
// keyed by the experiment's seed.
func (s *SensitivitySpec) bootstrap(seed uint64) sensitivity.Bootstrap {
	return sensitivity.Bootstrap{Resamples: s.Resamples, Confidence: s.Confidence, Seed: seed}
}

func factorReports(fs []Factor) []FactorReport {
	out := make([]FactorReport, len(fs))
	for i, f := range fs {
		out[i] = FactorReport{Path: f.Path, Kind: f.Design.Kind.String(), Dist: f.Describe}
	}
	return out
}

// WriteSensitivity writes sensitivity.json and the tidy sensitivity.csv
// (one row per output, factor and index) into dir, each atomically.
func WriteSensitivity(dir string, r *SensitivityReport) error {
	if err := writeJSON(filepath.Join(dir, SensitivityFile), r); err != nil {
		return err
	}
	return report.WriteFileAtomic(filepath.Join(dir, SensitivityCSVFile), func(w io.Writer) error {
		fmt.Fprintln(w, "output,factor,index,estimate,ci_low,ci_high")
		row := func(o, f, ix string, v float64, ci [2]float64) {
			fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s\n", o, f, ix, fnum(v), fnum(ci[0]), fnum(ci[1]))
		}
		for _, o := range r.Outputs {
			for _, s := range o.Sobol {
				row(o.Name, s.Factor, "S1", s.S1, s.S1CI)
				row(o.Name, s.Factor, "ST", s.ST, s.STCI)
			}
			for _, m := range o.Morris {
				row(o.Name, m.Factor, "mu", m.Mu, m.MuCI)
				row(o.Name, m.Factor, "mu_star", m.MuStar, m.MuStarCI)
				row(o.Name, m.Factor, "sigma", m.Sigma, m.SigmaCI)
			}
		}
		return nil
	})
}

// writeJSON writes v as indented JSON with a final newline, atomically.
func writeJSON(path string, v any) error {
	return report.WriteFileAtomic(path, func(w io.Writer) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
}
