package market

import "github.com/coopsim/coopsim/agents"

// dynamics is what buyers did in one run: per month each alternative's
// usage (spend at list price, before growth and agent weight), customers
// and prices, and the adopted share. It depends on the buyer-visible inputs
// only (dynamicsKey and the regime's monthView), so regimes that differ
// only in money flows between the firms (caps, shares, fees, an
// acquisition) share it: the Sim keeps the dynamics of the current run key
// and reuses them.
type dynamics struct {
	key       dynamicsKey
	view      []monthView // the regime as buyers saw it, month by month
	valid     bool
	usage     [][nSlot]float64 // list-price usage by slot (channel, segment, cloud), before growth and weight
	count     [][nAlt]int32
	price     [][nChan]float64
	adopted   []int32
	bySegment [][agents.NumSegments][nAlt]int32
	byCloud   [][agents.NumClouds][nAlt]int32
	decisions int
	moves     int // buyers moved by cloud pull
}

// dynamicsKey is every input of the buyer stepper (simulateBuyers and what
// it calls) besides the regime's monthly view: the run key, the parts of
// the Config buyers' choices depend on, and whether customers are broken
// down by segment and cloud. TestStepperInputsListed lists every field of
// the Config and the regime with whether the stepper reads it.
type dynamicsKey struct {
	run            agents.Key
	start, end     Month
	buyers         agents.BuyerConfig
	sellers        [nChan]agents.SellerConfig
	opens          [nChan]Month
	makers         Makers
	clouds         Clouds
	previewPenalty float64
	breakdown      bool
}

func dynamicsKeyOf(c *Config, run agents.Key, breakdown bool) dynamicsKey {
	return dynamicsKey{run, c.Start, c.End, c.Buyers, c.Sellers, c.Opens, c.Makers, c.Clouds, c.PreviewPenalty, breakdown}
}

// monthView is what buyers see of a compiled regime in one month: the
// alternatives available, release lags, when each channel opened, which
// channels are in preview and whether OpenAI's sales team sells.
type monthView struct {
	avail       agents.Available
	lag         [nChan]float64
	openSince   [nChan]Month
	preview     [nChan]bool
	directSales bool
	rival       [nChan]int8
}

func monthViewOf(reg *Compiled, k int) monthView {
	return monthView{reg.Avail[k], reg.Lag[k], reg.OpenSince[k], reg.Terms[k].Preview, reg.Terms[k].DirectSales, reg.Terms[k].Rival}
}

// sameView reports whether buyers see reg in every month as the dynamics
// recorded.
func (d *dynamics) sameView(reg *Compiled) bool {
	if len(d.view) != reg.Months() {
		return false
	}
	for k := range d.view {
		if d.view[k] != monthViewOf(reg, k) {
			return false
		}
	}
	return true
}

// matches reports whether d holds what the stepper would compute for key
// under reg: the same inputs, and a breakdown if one is wanted.
func (d *dynamics) matches(key dynamicsKey, reg *Compiled) bool {
	want := key
	want.breakdown = d.key.breakdown // a breakdown serves runs without one too
	return d.valid && d.key == want && (d.key.breakdown || !key.breakdown) && d.sameView(reg)
}

// maxDynamics bounds the dynamics a Sim keeps for one run key.
const maxDynamics = 16

// dynamicsCache keeps the buyer dynamics of the current run key, up to
// maxDynamics of them (one per buyer view).
type dynamicsCache struct {
	entries []*dynamics
	next    int // the entry to replace when all are in use
}

// lookup returns kept dynamics that the stepper would recompute
// identically for key under reg, or nil.
func (dc *dynamicsCache) lookup(key dynamicsKey, reg *Compiled) *dynamics {
	for _, d := range dc.entries {
		if d.matches(key, reg) {
			return d
		}
	}
	return nil
}

// store returns storage for the dynamics of key under reg, sized for T
// months and marked as theirs, reusing that of a stale run key or of the
// oldest entry. Entries of other run keys are stale from then on.
func (dc *dynamicsCache) store(key dynamicsKey, reg *Compiled, T int) *dynamics {
	var d *dynamics
	for _, e := range dc.entries {
		if !e.valid || e.key.run != key.run {
			d = e
			break
		}
	}
	if d == nil {
		if len(dc.entries) < maxDynamics {
			d = &dynamics{}
			dc.entries = append(dc.entries, d)
		} else {
			d = dc.entries[dc.next%maxDynamics]
			dc.next++
		}
	}
	for _, e := range dc.entries {
		if e.key.run != key.run {
			e.valid = false
		}
	}
	d.key, d.valid = key, true
	d.view = resize(d.view, T)
	for k := range d.view {
		d.view[k] = monthViewOf(reg, k)
	}
	d.usage = resize(d.usage, T)
	d.count = resize(d.count, T)
	d.price = resize(d.price, T)
	d.adopted = resize(d.adopted, T)
	if key.breakdown {
		d.bySegment = resize(d.bySegment, T)
		d.byCloud = resize(d.byCloud, T)
	}
	return d
}
