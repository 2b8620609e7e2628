package experiments

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkSensitivityPoints runs the test study's Saltelli design (24
// points × 2 replicate runs × 2 scenarios of 300 buyers) and reports the
// design points and simulations per second; the README's Sobol analysis
// scales it to 2,560 points × 10 runs of 10,000 buyers.
func BenchmarkSensitivityPoints(b *testing.B) {
	e, err := Load(filepath.Join("testdata", "sensitivity.toml"))
	if err != nil {
		b.Fatal(err)
	}
	s, err := e.Sensitivity()
	if err != nil {
		b.Fatal(err)
	}
	_, values, _, err := e.SensitivityDesign(s)
	if err != nil {
		b.Fatal(err)
	}
	pr := PointRun{Factors: s.Factors, Values: values, Lo: 0, Hi: len(values), Replicates: s.Replicates, Outputs: s.Outputs}
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.RunPoints(context.Background(), pr); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(len(values))/sec, "points/s")
	b.ReportMetric(float64(len(values)*s.Replicates*len(e.Scenarios))/sec, "sims/s")
}
