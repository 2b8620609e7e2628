package experiments

import (
	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// Series metrics, in the order of seriesNames: monthly values per run.
const (
	serGross     = 0                                 // gross_revenue/<alternative> ×14
	serNet       = serGross + agents.NumAlternatives // net_revenue/<firm> ×6
	serToMS      = serNet + market.NumFirms
	serToOAI     = serToMS + 1
	serCumToMS   = serToOAI + 1
	serCustomers = serCumToMS + 1                        // customers/<alternative> ×14
	serShare     = serCustomers + agents.NumAlternatives // share/<alternative> ×14
	// The maker totals and the breakdowns (issue: spend and customers by
	// channel × segment and × incumbent cloud).
	serMakerSpend = serShare + agents.NumAlternatives                       // spend/maker/<maker> ×4
	serMakerShare = serMakerSpend + agents.NumMakers                        // share/maker/<maker> ×4
	serSpendSeg   = serMakerShare + agents.NumMakers                        // spend/<channel>/segment/<segment> ×14×3
	serSpendCloud = serSpendSeg + agents.NumAlternatives*agents.NumSegments // spend/<channel>/cloud/<cloud> ×14×4
	serCustSeg    = serSpendCloud + agents.NumAlternatives*agents.NumClouds // customers/<channel>/segment/<segment> ×14×3
	serCustCloud  = serCustSeg + agents.NumAlternatives*agents.NumSegments  // customers/<channel>/cloud/<cloud> ×14×4
	numSeries     = serCustCloud + agents.NumAlternatives*agents.NumClouds
)

// makerNames, segmentNames and cloudNames append the maker totals' and the
// breakdowns' names to n, in the order the series and scalars hold them:
// channel-major, then segment (or cloud).
func makerNames(n []string) []string {
	for _, m := range agents.MakerNames {
		n = append(n, report.MetricName(report.SpendMaker, m))
	}
	for _, m := range agents.MakerNames {
		n = append(n, report.MetricName(report.ShareMaker, m))
	}
	return n
}

func breakdownNames(n []string, prefix string) []string {
	for _, c := range agents.ChannelNames {
		for _, g := range agents.SegmentNames {
			n = append(n, report.BreakdownName(prefix, c, report.BySegment, g))
		}
	}
	for _, c := range agents.ChannelNames {
		for _, g := range agents.CloudNames {
			n = append(n, report.BreakdownName(prefix, c, report.ByCloud, g))
		}
	}
	return n
}

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
	n = makerNames(n)
	n = breakdownNames(n, report.Spend)
	return breakdownNames(n, report.Customers)
}()

// seriesValues writes month k's series metrics of out into v. out must
// carry the breakdown (engine.Case.Breakdown).
func seriesValues(out *market.Series, k int, v *[numSeries]float64) {
	for a := 0; a < agents.NumAlternatives; a++ {
		v[serGross+a] = out.Gross[k][a]
		v[serCustomers+a] = out.Customers[k][a]
		v[serShare+a] = shareOf(out.Gross[k][a], out.Spend[k])
	}
	for f := 0; f < market.NumFirms; f++ {
		v[serNet+f] = out.FirmNet[k][f]
	}
	v[serToMS] = out.ToMicrosoft[k]
	v[serToOAI] = out.ToOpenAI[k]
	v[serCumToMS] = out.CumToMicrosoft[k]
	for m := 0; m < agents.NumMakers; m++ {
		v[serMakerSpend+m] = out.MakerGross[k][m]
		v[serMakerShare+m] = shareOf(out.MakerGross[k][m], out.Spend[k])
	}
	breakdownValues(out.SpendBySegment[k], out.SpendByCloud[k], v[serSpendSeg:serCustSeg])
	breakdownValues(out.BySegment[k], out.ByCloud[k], v[serCustSeg:numSeries])
}

// breakdownValues writes one month's breakdown by segment and by cloud into
// v in the order of breakdownNames.
func breakdownValues(seg [agents.NumSegments][agents.NumAlternatives]float64, cloud [agents.NumClouds][agents.NumAlternatives]float64, v []float64) {
	const nc = agents.NumAlternatives * agents.NumSegments
	for a := 0; a < agents.NumAlternatives; a++ {
		for g := 0; g < agents.NumSegments; g++ {
			v[a*agents.NumSegments+g] = seg[g][a]
		}
		for g := 0; g < agents.NumClouds; g++ {
			v[nc+a*agents.NumClouds+g] = cloud[g][a]
		}
	}
}

// shareOf is part/total, or 0 where the total is 0.
func shareOf(part, total float64) float64 {
	if total > 0 {
		return part / total
	}
	return 0
}

// scalarLayout is the experiment's list of per-run scalar metrics.
type scalarLayout struct {
	names []string
	// offsets of each group in a run's vector
	net, gross, profit, spend, other, toMS, toOAI, capBound, capBoundBy, customers, annualized int
	annualizedAt                                                                               []int // month indexes
	windowStart, windowEnd                                                                     int
	// the maker totals and the breakdowns, after the annualized values:
	// spend by maker and its share over the window, spend by channel ×
	// segment and × cloud over the window, customers likewise at its end
	maker, spendBreak, custBreak int
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
	l.maker = len(l.names)
	l.names = makerNames(l.names)
	l.spendBreak = len(l.names)
	l.names = breakdownNames(l.names, report.Spend)
	l.custBreak = len(l.names)
	l.names = breakdownNames(l.names, report.Customers)
	return l
}

// fill computes one run's scalars from its series into v (len(l.names)).
// out must carry the breakdown (engine.Case.Breakdown).
func (l *scalarLayout) fill(out *market.Series, v []float64) {
	clear(v)
	nb := agents.NumAlternatives * (agents.NumSegments + agents.NumClouds)
	for k := l.windowStart; k <= l.windowEnd; k++ {
		for m := 0; m < agents.NumMakers; m++ {
			v[l.maker+m] += out.MakerGross[k][m]
		}
		breakdownValues(out.SpendBySegment[k], out.SpendByCloud[k], v[l.custBreak:l.custBreak+nb])
		for j := 0; j < nb; j++ { // the custBreak block is scratch until below
			v[l.spendBreak+j] += v[l.custBreak+j]
		}
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
	for m := 0; m < agents.NumMakers; m++ {
		v[l.maker+agents.NumMakers+m] = shareOf(v[l.maker+m], v[l.spend])
	}
	breakdownValues(out.BySegment[l.windowEnd], out.ByCloud[l.windowEnd], v[l.custBreak:l.custBreak+nb])
}
