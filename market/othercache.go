package market

import "github.com/coopsim/coopsim/agents"

// otherKey is what OpenAI's other revenue series is drawn from besides its
// OtherRevenue configuration (compared with OtherRevenue.sameAs, as it holds
// a slice): the run key and the simulated months.
type otherKey struct {
	run    agents.Key
	start  Month
	months int
}

// otherCache holds the other revenue series of one otherKey and
// configuration, so that scenarios of one run key share it.
type otherCache struct {
	key    otherKey
	cfg    OtherRevenue // with its own copy of Points
	valid  bool
	series []float64
}

// get returns the monthly other revenue of cfg and run key, filling it
// anew only when they changed.
func (oc *otherCache) get(cfg *Config, run agents.Key) []float64 {
	k := otherKey{run, cfg.Start, cfg.Months()}
	if oc.valid && oc.key == k && oc.cfg.sameAs(&cfg.OtherRevenue) {
		return oc.series
	}
	oc.series = resize(oc.series, k.months)
	cfg.OtherRevenue.Fill(oc.series, cfg.Start, run.Stream())
	points := append(oc.cfg.Points[:0], cfg.OtherRevenue.Points...)
	oc.cfg = cfg.OtherRevenue
	oc.cfg.Points = points
	oc.key, oc.valid = k, true
	return oc.series
}
