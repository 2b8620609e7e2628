package experiments

import (
	"testing"

	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/market"
)

// BenchmarkEnsembleUncertainty runs the default experiment's ensemble
// (benchRuns runs, 2 workers) with and without parameter uncertainty (two
// market parameters drawn per pair of runs) and reports scenario-runs per
// second of each: drawing and applying a run's parameters should cost
// nothing beside the simulation.
//
//	go test ./experiments -run XXX -bench EnsembleUncertainty -benchtime 2x
func BenchmarkEnsembleUncertainty(b *testing.B) {
	plain := benchExperiment(b)
	unc := *plain
	u := &Uncertainty{Replicates: 2}
	for path, spec := range map[string]dist.Spec{
		"buyers.diffusion.p": {Dist: "uniform", Low: dist.Num(0.01), High: dist.Num(0.03)},
		"spend_growth":       {Dist: "triangular", Low: dist.Num(0.15), Mode: dist.Num(0.3), High: dist.Num(0.45)},
	} {
		d, err := spec.Resolve(path, dist.Real)
		if err != nil {
			b.Fatal(err)
		}
		mp, err := market.LookupParam(path)
		if err != nil {
			b.Fatal(err)
		}
		u.Params = append(u.Params, UncertainParam{Path: path, Dist: d, param: mp, id: dist.KeyID(path)})
	}
	unc.Uncertainty = u
	for _, c := range []struct {
		name string
		e    *Experiment
	}{{"fixed", plain}, {"uncertain", &unc}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				runEnsemble(b, c.e, 2)
			}
			b.ReportMetric(float64(b.N*benchRuns*len(c.e.Scenarios))/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
