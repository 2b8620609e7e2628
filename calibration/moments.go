package calibration

import (
	"context"
	"errors"
	"fmt"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/market"
)

// simulator computes the targets' moments over a fixed set of run keys
// {seed, 0..runs-1} on the ensemble engine (common random numbers: every
// evaluation sees the same buyers and draws).
type simulator struct {
	targets []Target
	reg     *market.Compiled
	seed    uint64
	runs    []int
	workers int
	// perRun[r*len(targets)+i] is target i's moment in run r.
	perRun []float64
	col    []float64 // one target's moments over the runs
}

// newSimulator simulates under regime r (compiled for base's months).
func newSimulator(base *market.Config, r *market.Regime, t *Targets, seed uint64, runs, workers int) (*simulator, error) {
	reg, err := market.Compile(r, base.Start, base.End)
	if err != nil {
		return nil, fmt.Errorf("calibration: regime %s: %w", r.Name, err)
	}
	s := &simulator{targets: t.Targets, reg: reg, seed: seed, runs: make([]int, runs), workers: workers,
		perRun: make([]float64, runs*len(t.Targets)), col: make([]float64, runs)}
	for i := range s.runs {
		s.runs[i] = i
	}
	return s, nil
}

// moments simulates cfg over the fixed run keys and returns each target's
// mean moment and its standard error across runs. Run r's moments go to
// slot r and are combined in run order, so the result does not depend on
// the number of workers.
func (s *simulator) moments(ctx context.Context, cfg *market.Config) (mean, se []float64, err error) {
	nt := len(s.targets)
	_, err = engine.Run(ctx, engine.Plan{Seed: s.seed, Runs: s.runs, Workers: s.workers,
		Cases: []engine.Case{{Market: cfg, Regime: s.reg, Breakdown: true}},
		Collect: func(r, _ int, out *market.Series) error {
			for i := range s.targets {
				s.perRun[r*nt+i] = momentOf(&s.targets[i], out, cfg.Start)
			}
			return nil
		}})
	if re := (*engine.RunError)(nil); errors.As(err, &re) {
		return nil, nil, fmt.Errorf("calibration: run %d: %w", re.Run, re.Err)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("calibration: %w", err)
	}
	mean, se = make([]float64, nt), make([]float64, nt)
	for i := range nt {
		for r := range s.runs {
			s.col[r] = s.perRun[r*nt+i]
		}
		mean[i], se[i] = engine.MeanSE(s.col)
	}
	return mean, se, nil
}

// momentOf returns target t's moment in one run's series.
func momentOf(t *Target, out *market.Series, start market.Month) float64 {
	k := int(t.Date - start)
	switch t.Moment {
	case MomentRevenue:
		return 12 * out.Gross[k][t.ch]
	case MomentCustomers:
		return out.Customers[k][t.ch]
	case MomentAdoption:
		return out.Adopted[k]
	case MomentRevenueRatio:
		num, den := out.Gross[k][t.ch], out.Gross[k][t.other]
		if den <= 0 {
			if num <= 0 {
				return 1
			}
			return 10 // no revenue in the denominator: a large, finite ratio
		}
		return num / den
	case MomentSegmentGap:
		return groupGap(out.BySegment[k][:], t.ch, int(t.seg))
	case MomentCloudGap:
		return groupGap(out.ByCloud[k][:], t.ch, int(t.cloud))
	case MomentMakerShare:
		return ratio(out.MakerGross[k][t.maker], out.Spend[k])
	case MomentMarketSpend:
		return 12 * out.Spend[k]
	case MomentFirmRevenue:
		return 12 * out.FirmGross[k][t.firm]
	}
	panic("calibration: unresolved target " + t.Name) // Validate resolves every kind
}

// groupGap returns channel ch's share of the customers of group g (a
// segment or an incumbent cloud, rows indexed by group) less its share of
// the other groups' customers.
func groupGap(rows [][agents.NumAlternatives]float64, ch agents.Channel, g int) float64 {
	var in, inAll, rest, restAll float64
	for i := range rows {
		c, all := channelShare(&rows[i], ch)
		if i == g {
			in, inAll = in+c, inAll+all
		} else {
			rest, restAll = rest+c, restAll+all
		}
	}
	return ratio(in, inAll) - ratio(rest, restAll)
}

// channelShare returns channel ch's customers and the customers of the
// channels selling ch's maker's models, in counts.
func channelShare(c *[agents.NumAlternatives]float64, ch agents.Channel) (float64, float64) {
	all := 0.0
	for a := 0; a < agents.NumChannels; a++ {
		if agents.ChannelMaker[a] != agents.ChannelMaker[ch] {
			continue
		}
		all += c[a]
	}
	return c[ch], all
}

func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}
