package calibration

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/market"
)

// simulator computes the targets' moments over a fixed set of run keys.
// It keeps one market.Sim per worker; it is not safe for concurrent use.
type simulator struct {
	targets []Target
	reg     *market.Compiled
	seed    uint64
	runs    int
	workers int
	sims    []market.Sim
	outs    []market.Series
	// per-run moments, [run][target]
	perRun [][]float64
	errs   []error
}

func newSimulator(base *market.Config, t *Targets, seed uint64, runs, workers int) (*simulator, error) {
	r, err := market.BuiltinRegime(t.Regime)
	if err != nil {
		return nil, fmt.Errorf("calibration: %w", err)
	}
	reg, err := market.Compile(r, base.Start, base.End)
	if err != nil {
		return nil, fmt.Errorf("calibration: regime %s: %w", t.Regime, err)
	}
	workers = max(1, min(workers, runs))
	s := &simulator{targets: t.Targets, reg: reg, seed: seed, runs: runs, workers: workers,
		sims: make([]market.Sim, workers), outs: make([]market.Series, workers),
		perRun: make([][]float64, runs), errs: make([]error, runs)}
	for r := range s.perRun {
		s.perRun[r] = make([]float64, len(t.Targets))
	}
	return s, nil
}

// moments simulates cfg over the fixed run keys {seed, 0..runs-1} and
// returns each target's mean moment and its standard error across runs.
// Run r's moments go to slot r and are combined in run order, so the result
// does not depend on the number of workers.
func (s *simulator) moments(ctx context.Context, cfg *market.Config) (mean, se []float64, err error) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < s.workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := range next {
				s.errs[r] = s.sims[w].Run(cfg, s.reg, agents.Key{Seed: s.seed, Run: uint64(r)}, &s.outs[w], true)
				if s.errs[r] == nil {
					for i := range s.targets {
						s.perRun[r][i] = momentOf(&s.targets[i], &s.outs[w], cfg.Start)
					}
				}
			}
		}(w)
	}
	for r := 0; r < s.runs; r++ {
		if ctx.Err() != nil {
			break
		}
		next <- r
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("calibration: %w", err)
	}
	for r, e := range s.errs {
		if e != nil {
			return nil, nil, fmt.Errorf("calibration: run %d: %w", r, e)
		}
	}
	mean, se = meanSE(s.perRun, len(s.targets))
	return mean, se, nil
}

// meanSE returns the column means of rows and their standard errors.
func meanSE(rows [][]float64, n int) (mean, se []float64) {
	mean, se = make([]float64, n), make([]float64, n)
	R := float64(len(rows))
	for i := 0; i < n; i++ {
		sum := 0.0
		for _, row := range rows {
			sum += row[i]
		}
		m := sum / R
		ss := 0.0
		for _, row := range rows {
			d := row[i] - m
			ss += d * d
		}
		mean[i] = m
		if len(rows) > 1 {
			se[i] = math.Sqrt(ss / (R - 1) / R)
		}
	}
	return mean, se
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

// channelShare returns channel ch's customers and all channels' customers
// (the buyers of OpenAI models, the outside option excluded) in counts.
func channelShare(c *[agents.NumAlternatives]float64, ch agents.Channel) (float64, float64) {
	all := 0.0
	for a := 0; a < agents.NumChannels; a++ {
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
