package market

import "github.com/coopsim/coopsim/agents"

// Ledger carries what the accounting remembers from month to month: OpenAI's
// payments to Microsoft inside the cap's window.
type Ledger struct {
	// PaidInCapWindow is what OpenAI has paid Microsoft inside the current
	// cap window (the one starting at Window), in US dollars.
	PaidInCapWindow float64
	Window          Month
	// CapBound says the cap has cut a payment at least once.
	CapBound bool
}

// MonthAccount is one month's books.
type MonthAccount struct {
	// FirmGross is the revenue each firm books from buyers (and, for OpenAI,
	// its other revenue), before transfers.
	FirmGross [NumFirms]float64
	// FirmNet is FirmGross plus transfers received minus transfers paid.
	FirmNet [NumFirms]float64
	// FirmProfit is gross profit: channel margins on booked revenue plus
	// transfers received minus paid.
	FirmProfit [NumFirms]float64
	// ToMicrosoft and ToOpenAI are the month's revenue-share payments.
	ToMicrosoft, ToOpenAI float64
}

// Settle books one month (docs/model.md §7.9). gross is each channel's
// revenue from buyers, profit each channel's gross profit, fee each rival
// channel's resale fee (SellerConfig.Fee), other and otherProfit OpenAI's
// other revenue and its gross profit. A channel sold by its maker (OpenAI,
// Anthropic and Gemini direct, Gemini on Vertex, open models in-house) is
// the maker's; Azure OpenAI is Microsoft's. A cloud reselling another
// maker's models keeps its fee (the regime's marketplace fee for OpenAI's
// models on aws and gcp, the channel's fee for the rivals'), all margin,
// and the maker books the rest and bears the serving cost; with a fee of 1
// the cloud serves the models itself and books everything. Then the
// regime's terms: OpenAI pays its share of its revenue (with its other
// revenue when the terms include it) to Microsoft through the end date and
// up to the cap (stopping exactly at it); Microsoft pays its share of Azure
// OpenAI revenue through its end date; after an acquisition OpenAI's books
// are Microsoft's and nothing flows between them. The firms' net revenue
// always sums to Σgross + other.
func Settle(t Month, terms *Terms, gross, profit, fee *[agents.NumChannels]float64, other, otherProfit float64, led *Ledger) MonthAccount {
	var a MonthAccount
	book := func(f Firm, g, p float64) {
		a.FirmGross[f] += g
		a.FirmProfit[f] += p
	}
	for c := 0; c < agents.NumChannels; c++ {
		maker, venue := channelMaker[c], channelVenue[c]
		f := fee[c]
		switch agents.Channel(c) {
		case agents.ChannelAzure:
			f = 1
		case agents.ChannelAWS, agents.ChannelGCP:
			f = terms.MarketplaceFee
		}
		switch {
		case maker == venue || f >= 1:
			book(venue, gross[c], profit[c])
		default:
			cut := f * gross[c]
			book(venue, cut, cut)
			book(maker, gross[c]-cut, profit[c]-cut)
		}
	}
	book(FirmOpenAI, other, otherProfit)
	base := a.FirmGross[FirmOpenAI] // what OpenAI pays its share of
	if !terms.ShareIncludesOther {
		base -= other
	}

	if terms.Acquired {
		book(FirmMicrosoft, a.FirmGross[FirmOpenAI], a.FirmProfit[FirmOpenAI])
		a.FirmGross[FirmOpenAI], a.FirmProfit[FirmOpenAI] = 0, 0
	} else {
		if !terms.HasCap { // no cap in force: a later one counts afresh
			led.Window, led.PaidInCapWindow = 0, 0
		}
		if t <= terms.ShareToMicrosoftUntil {
			a.ToMicrosoft = payToMicrosoft(t, terms, terms.ShareToMicrosoft*base, led)
		}
		if t <= terms.ShareToOpenAIUntil {
			a.ToOpenAI = terms.ShareToOpenAI * gross[agents.ChannelAzure]
		}
	}
	a.FirmNet = a.FirmGross
	a.FirmNet[FirmOpenAI] += a.ToOpenAI - a.ToMicrosoft
	a.FirmNet[FirmMicrosoft] += a.ToMicrosoft - a.ToOpenAI
	a.FirmProfit[FirmOpenAI] += a.ToOpenAI - a.ToMicrosoft
	a.FirmProfit[FirmMicrosoft] += a.ToMicrosoft - a.ToOpenAI
	return a
}

// payToMicrosoft is what OpenAI pays Microsoft in month t of the share due:
// all of it, but within a cap's window no more than the room the ledger
// leaves under the cap (stopping exactly at it, and marking the cap
// bound). A new window counts afresh.
func payToMicrosoft(t Month, terms *Terms, due float64, led *Ledger) float64 {
	if !terms.HasCap || t < terms.CapStart || t > terms.CapEnd {
		return due
	}
	if led.Window != terms.CapStart {
		led.Window, led.PaidInCapWindow = terms.CapStart, 0
	}
	room := max(terms.CapUSD-led.PaidInCapWindow, 0)
	if due > room {
		led.CapBound = true
		led.PaidInCapWindow = terms.CapUSD // exactly, not by adding rounding
		return room
	}
	led.PaidInCapWindow += due
	return due
}
