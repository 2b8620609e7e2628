package market

import "github.com/coopsim/coopsim/agents"

// Series is one run's month-by-month output. Index k is month Start+k.
// Money is in US dollars per month; customers in real accounts.
type Series struct {
	Regime string
	Start  Month
	// Gross is each channel's revenue from buyers.
	Gross [][agents.NumAlternatives]float64
	// MakerGross is buyers' spend on each maker's models, whatever the
	// channel (the sum of its channels' Gross).
	MakerGross [][agents.NumMakers]float64
	// Customers is each channel's customers: accounts with at least one
	// workload buying through it.
	Customers [][agents.NumAlternatives]float64
	// FirmGross, FirmNet and FirmProfit are the firms' books (see MonthAccount).
	FirmGross  [][NumFirms]float64
	FirmNet    [][NumFirms]float64
	FirmProfit [][NumFirms]float64
	// Other is OpenAI's other revenue; Spend is total buyer spend.
	Other []float64
	Spend []float64
	// ToMicrosoft and ToOpenAI are the revenue-share payments each way.
	ToMicrosoft []float64
	ToOpenAI    []float64
	// CumToMicrosoft is OpenAI's cumulative payments to Microsoft, counted
	// from the start of the cap's window in a regime with a cap, else from
	// the first month.
	CumToMicrosoft []float64
	// CapBound says the cap has cut a payment by this month.
	CapBound []bool
	// Price is each channel's price index.
	Price [][agents.NumChannels]float64
	// Adopted is the share of accounts that have adopted generative AI.
	Adopted []float64
	// BySegment and ByCloud break customers down by buyer segment and by
	// incumbent cloud, SpendBySegment and SpendByCloud each channel's gross
	// revenue likewise (each sums over segments or clouds to Gross); filled
	// only when the Series was Reset with breakdown.
	BySegment      [][agents.NumSegments][agents.NumAlternatives]float64
	ByCloud        [][agents.NumClouds][agents.NumAlternatives]float64
	SpendBySegment [][agents.NumSegments][agents.NumAlternatives]float64
	SpendByCloud   [][agents.NumClouds][agents.NumAlternatives]float64
	// CloudMoves counts the buyer agents that moved their incumbent cloud in
	// the run (cloud pull).
	CloudMoves int
	// Decisions counts the buyers' choices in the run.
	Decisions int
}

// Months returns the number of months in the series.
func (s *Series) Months() int { return len(s.Spend) }

// Reset sizes the series for n months from start, reusing its storage.
// With breakdown, BySegment and ByCloud are kept too.
func (s *Series) Reset(start Month, n int, breakdown bool) {
	s.Start = start
	s.Gross = resize(s.Gross, n)
	s.MakerGross = resize(s.MakerGross, n)
	s.Customers = resize(s.Customers, n)
	s.FirmGross = resize(s.FirmGross, n)
	s.FirmNet = resize(s.FirmNet, n)
	s.FirmProfit = resize(s.FirmProfit, n)
	s.Other = resize(s.Other, n)
	s.Spend = resize(s.Spend, n)
	s.ToMicrosoft = resize(s.ToMicrosoft, n)
	s.ToOpenAI = resize(s.ToOpenAI, n)
	s.CumToMicrosoft = resize(s.CumToMicrosoft, n)
	s.CapBound = resize(s.CapBound, n)
	s.Price = resize(s.Price, n)
	s.Adopted = resize(s.Adopted, n)
	if breakdown {
		s.BySegment = resize(s.BySegment, n)
		s.ByCloud = resize(s.ByCloud, n)
		s.SpendBySegment = resize(s.SpendBySegment, n)
		s.SpendByCloud = resize(s.SpendByCloud, n)
	} else {
		s.BySegment, s.ByCloud = s.BySegment[:0], s.ByCloud[:0]
		s.SpendBySegment, s.SpendByCloud = s.SpendBySegment[:0], s.SpendByCloud[:0]
	}
	s.Decisions, s.CloudMoves = 0, 0
}

func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
