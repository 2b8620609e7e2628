package experiments

import (
	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// Series metrics, in the order of seriesNames: monthly values per run.
const (
	serGross     = 0                                 // gross_revenue/<alternative> ×5
	serNet       = serGross + agents.NumAlternatives // net_revenue/<firm> ×5
	serToMS      = serNet + market.NumFirms
	serToOAI     = serToMS + 1
	serCumToMS   = serToOAI + 1
	serCustomers = serCumToMS + 1                        // customers/<alternative> ×5
	serShare     = serCustomers + agents.NumAlternatives // share/<alternative> ×5
	numSeries    = serShare + agents.NumAlternatives
)

// seriesNames are the series metrics' names in series.csv.
var seriesNames = func() []string {
	n := make([]string, 0, numSeries)
	for _, c := range agents.ChannelNames {
		n = append(n, report.MetricName(report.GrossRevenue, c))
	}
	for _, f := range market.FirmNames {
		n = append(n, report.MetricName(report.NetRevenue, f))
	}
	n = append(n, report.TransferOpenAIToMS, report.TransferMSToOpenAI, report.CumTransferOpenAIToMS)
	for _, c := range agents.ChannelNames {
		n = append(n, report.MetricName(report.Customers, c))
	}
	for _, c := range agents.ChannelNames {
		n = append(n, report.MetricName(report.Share, c))
	}
	return n
}()

// seriesValues writes month k's series metrics of out into v.
func seriesValues(out *market.Series, k int, v *[numSeries]float64) {
	for a := 0; a < agents.NumAlternatives; a++ {
		v[serGross+a] = out.Gross[k][a]
		v[serCustomers+a] = out.Customers[k][a]
		share := 0.0
		if out.Spend[k] > 0 {
			share = out.Gross[k][a] / out.Spend[k]
		}
		v[serShare+a] = share
	}
	for f := 0; f < market.NumFirms; f++ {
		v[serNet+f] = out.FirmNet[k][f]
	}
	v[serToMS] = out.ToMicrosoft[k]
	v[serToOAI] = out.ToOpenAI[k]
	v[serCumToMS] = out.CumToMicrosoft[k]
}

// scalarLayout is the experiment's list of per-run scalar metrics.
type scalarLayout struct {
	names []string
	// offsets of each group in a run's vector
	net, gross, profit, spend, other, toMS, toOAI, capBound, capBoundBy, customers, annualized int
	annualizedAt                                                                               []int // month indexes
	windowStart, windowEnd                                                                     int
}

func newScalarLayout(e *Experiment) *scalarLayout {
	l := &scalarLayout{windowStart: e.MonthIndex(e.WindowStart), windowEnd: e.MonthIndex(e.WindowEnd)}
	add := func(name string) int {
		l.names = append(l.names, name)
		return len(l.names) - 1
	}
	l.net = len(l.names)
	for _, f := range market.FirmNames {
		add(report.MetricName(report.NetRevenue, f))
	}
	l.gross = len(l.names)
	for _, c := range agents.ChannelNames {
		add(report.MetricName(report.GrossRevenue, c))
	}
	l.profit = len(l.names)
	for _, f := range market.FirmNames {
		add(report.MetricName(report.GrossProfit, f))
	}
	l.spend = add(report.SpendTotal)
	l.other = add(report.OtherRevenueOpenAI)
	l.toMS = add(report.TransferOpenAIToMS)
	l.toOAI = add(report.TransferMSToOpenAI)
	l.capBound = add(report.CapBound)
	l.capBoundBy = add(report.CapBoundByWindowEnd)
	l.customers = len(l.names)
	for _, c := range agents.ChannelNames {
		add(report.MetricName(report.Customers, c))
	}
	l.annualized = len(l.names)
	for _, m := range e.AnnualizedAt {
		l.annualizedAt = append(l.annualizedAt, e.MonthIndex(m))
		for _, c := range agents.ChannelNames {
			add(report.MetricName(report.Annualized, c) + "@" + m.String())
		}
	}
	return l
}

// fill computes one run's scalars from its series into v (len(l.names)).
func (l *scalarLayout) fill(out *market.Series, v []float64) {
	clear(v)
	for k := l.windowStart; k <= l.windowEnd; k++ {
		for f := 0; f < market.NumFirms; f++ {
			v[l.net+f] += out.FirmNet[k][f]
			v[l.profit+f] += out.FirmProfit[k][f]
		}
		for a := 0; a < agents.NumAlternatives; a++ {
			v[l.gross+a] += out.Gross[k][a]
		}
		v[l.spend] += out.Spend[k]
		v[l.other] += out.Other[k]
		v[l.toMS] += out.ToMicrosoft[k]
		v[l.toOAI] += out.ToOpenAI[k]
	}
	if out.CapBound[out.Months()-1] {
		v[l.capBound] = 1
	}
	if out.CapBound[l.windowEnd] {
		v[l.capBoundBy] = 1
	}
	for a := 0; a < agents.NumAlternatives; a++ {
		v[l.customers+a] = out.Customers[l.windowEnd][a]
	}
	for j, k := range l.annualizedAt {
		for a := 0; a < agents.NumAlternatives; a++ {
			v[l.annualized+j*agents.NumAlternatives+a] = 12 * out.Gross[k][a]
		}
	}
}
