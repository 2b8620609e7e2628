package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/coopsim/coopsim/experiments/varsplit"
)

// File names inside a result directory.
const (
	SummaryFile = "summary.json"
	RunsFile    = "runs.csv"
	SeriesFile  = "series.csv"
)

// Summary is the content of summary.json: what was run and, per scenario,
// the distribution of each scalar metric over the runs.
type Summary struct {
	Experiment     string            `json:"experiment"`
	Seed           uint64            `json:"seed"`
	Runs           int               `json:"runs"`                  // runs per scenario
	CodeVersion    string            `json:"code_version"`          // version of coopsim that produced the results
	ExperimentHash string            `json:"experiment_hash"`       // sha256 hex of the resolved experiment
	Baseline       string            `json:"baseline"`              // name of the baseline scenario
	WindowStart    string            `json:"window_start"`          // first month of the report window, "YYYY-MM"
	WindowEnd      string            `json:"window_end"`            // last month of the report window (inclusive), "YYYY-MM"
	Start          string            `json:"start"`                 // first simulated month, "YYYY-MM"
	End            string            `json:"end"`                   // last simulated month, "YYYY-MM"
	StopReason     string            `json:"stop_reason,omitempty"` // precision mode: "precision reached" or "max_runs reached"
	Scenarios      []ScenarioSummary `json:"scenarios"`
	Warnings       []string          `json:"warnings,omitempty"`
}

// ScenarioSummary summarizes one scenario.
type ScenarioSummary struct {
	Name   string `json:"name"`
	Regime string `json:"regime"`
	// Cap is the total cap on OpenAI's payments to Microsoft, if the
	// scenario's regime has one.
	Cap *Cap `json:"cap,omitempty"`
	// Metrics are in the order produced by the ensemble.
	Metrics []MetricSummary `json:"metrics"`
	// Differences are the paired differences of this scenario's metrics to
	// the baseline's (this minus baseline); empty for the baseline.
	Differences []Difference `json:"differences,omitempty"`
}

// Cap is a total cap on OpenAI's cumulative payments to Microsoft over the
// months Start to End inclusive ("YYYY-MM").
type Cap struct {
	AmountUSD float64 `json:"amount_usd"`
	Start     string  `json:"start"`
	End       string  `json:"end"`
}

// MetricSummary describes the distribution of one scalar metric over the
// runs of a scenario; see Describe for the definitions.
type MetricSummary struct {
	Metric string  `json:"metric"`
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"` // sample standard deviation (n-1 denominator)
	SE     float64 `json:"se"` // standard error of the mean, SD/sqrt(N)
	P5     float64 `json:"p5"`
	P25    float64 `json:"p25"`
	P50    float64 `json:"p50"`
	P75    float64 `json:"p75"`
	P95    float64 `json:"p95"`
	// Variance splits the metric's variance into parameter uncertainty
	// and simulation noise (experiments with [uncertainty] and at least
	// two replicates per draw; see package varsplit), or nil.
	Variance *varsplit.Split `json:"variance,omitempty"`
}

// Difference is the paired difference of one metric between a scenario and
// the baseline over common-random-number runs; see Paired.
type Difference struct {
	Metric string  `json:"metric"`
	Mean   float64 `json:"mean"`
	SE     float64 `json:"se"`
	Lo95   float64 `json:"lo95"`
	Hi95   float64 `json:"hi95"`
}

// Scenario returns the scenario named name, or nil if there is none.
func (s *Summary) Scenario(name string) *ScenarioSummary {
	for i := range s.Scenarios {
		if s.Scenarios[i].Name == name {
			return &s.Scenarios[i]
		}
	}
	return nil
}

// ScenarioNames returns the scenario names in file order.
func (s *Summary) ScenarioNames() []string {
	names := make([]string, len(s.Scenarios))
	for i, sc := range s.Scenarios {
		names[i] = sc.Name
	}
	return names
}

// Metric returns the summary of the named metric.
func (s *ScenarioSummary) Metric(name string) (MetricSummary, bool) {
	for _, m := range s.Metrics {
		if m.Metric == name {
			return m, true
		}
	}
	return MetricSummary{}, false
}

// Difference returns the paired difference to the baseline of the named
// metric.
func (s *ScenarioSummary) Difference(name string) (Difference, bool) {
	for _, d := range s.Differences {
		if d.Metric == name {
			return d, true
		}
	}
	return Difference{}, false
}

// Validate checks that the summary can be written and read back: months are
// "YYYY-MM", the baseline names a scenario, scenario names are unique and
// non-empty, and every number is finite (JSON has no NaN or Inf).
func (s *Summary) Validate() error {
	for _, m := range []struct{ key, v string }{
		{"window_start", s.WindowStart}, {"window_end", s.WindowEnd},
		{"start", s.Start}, {"end", s.End},
	} {
		if _, err := ParseMonth(m.v); err != nil {
			return fmt.Errorf("%s: %w", m.key, err)
		}
	}
	if s.Runs < 0 {
		return fmt.Errorf("runs: %d is negative", s.Runs)
	}
	seen := make(map[string]bool, len(s.Scenarios))
	for i, sc := range s.Scenarios {
		if sc.Name == "" {
			return fmt.Errorf("scenarios[%d]: empty name", i)
		}
		if seen[sc.Name] {
			return fmt.Errorf("scenarios[%d]: duplicate name %q", i, sc.Name)
		}
		seen[sc.Name] = true
		if sc.Cap != nil {
			if !finite(sc.Cap.AmountUSD) {
				return fmt.Errorf("scenario %q: cap amount_usd: %v is not finite", sc.Name, sc.Cap.AmountUSD)
			}
			for _, m := range []string{sc.Cap.Start, sc.Cap.End} {
				if _, err := ParseMonth(m); err != nil {
					return fmt.Errorf("scenario %q: cap: %w", sc.Name, err)
				}
			}
		}
		for _, m := range sc.Metrics {
			if !finite(m.Mean, m.SD, m.SE, m.P5, m.P25, m.P50, m.P75, m.P95) {
				return fmt.Errorf("scenario %q: metric %q: non-finite value", sc.Name, m.Metric)
			}
			if v := m.Variance; v != nil && !finite(v.Total, v.Parametric, v.Noise, v.Share, v.TotalSE, v.ParametricSE, v.NoiseSE, v.ShareSE) {
				return fmt.Errorf("scenario %q: metric %q: non-finite variance split", sc.Name, m.Metric)
			}
		}
		for _, d := range sc.Differences {
			if !finite(d.Mean, d.SE, d.Lo95, d.Hi95) {
				return fmt.Errorf("scenario %q: difference %q: non-finite value", sc.Name, d.Metric)
			}
		}
	}
	if !seen[s.Baseline] {
		return fmt.Errorf("baseline %q is not a scenario (have %q)", s.Baseline, s.ScenarioNames())
	}
	return nil
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// MarshalSummary returns the summary as pretty-printed JSON (two-space
// indent, trailing newline), after validating it.
func MarshalSummary(s *Summary) ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// WriteSummary validates s and writes it atomically to path as
// pretty-printed JSON.
func WriteSummary(path string, s *Summary) error {
	b, err := MarshalSummary(s)
	if err != nil {
		return writeErr(path, err)
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// ReadSummary reads and validates the summary.json at path. Unknown keys and
// trailing data are errors; the error names the file.
func ReadSummary(path string) (*Summary, error) {
	b, err := readFileMax(path, MaxSummaryBytes)
	if err != nil {
		return nil, readErr(path, 0, "", err)
	}
	s, err := parseSummary(b)
	if err != nil {
		return nil, readErr(path, 0, "", err)
	}
	return s, nil
}

func parseSummary(b []byte) (*Summary, error) {
	var s Summary
	if err := decodeJSON(b, &s); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// readFileMax reads the file at path, refusing one larger than max bytes
// before reading it (a *TooLargeError).
func readFileMax(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > max {
		return nil, &TooLargeError{Size: fi.Size(), Max: max}
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max { // it grew while read
		return nil, &TooLargeError{Size: int64(len(b)), Max: max}
	}
	return b, nil
}
