package market

import (
	"fmt"
	"slices"
	"strings"

	"github.com/coopsim/coopsim/agents"
)

func ptr[T any](v T) *T { return &v }

func m(y, mo int) Month { return agents.MonthOf(y, mo) }

func channels(cs ...agents.Channel) *[]agents.Channel { return &cs }

const (
	chOpenAI = agents.ChannelOpenAI
	chAzure  = agents.ChannelAzure
	chAWS    = agents.ChannelAWS
	chGCP    = agents.ChannelGCP
)

// ReportedCapUSD is the one unverified report of the 2026 cap on OpenAI's
// payments to Microsoft (deal_timeline.csv 2026-04, tag U): a scenario value
// to vary, never a target.
const ReportedCapUSD = 38e9

// DefaultMarketplaceFee is the share a third-party cloud keeps on OpenAI
// models it sells. No source gives it (an assumption to vary; marketplace
// fees run from a few percent to about a third).
const DefaultMarketplaceFee = 0.25

// original2019 are the 2019 terms (docs/facts.md regimes, "original"; sources 000,
// 004): Azure is the only cloud that may resell, each side pays the other
// 20% of its revenue from OpenAI models, Microsoft's licence is exclusive, no
// OpenAI enterprise sales team. Azure's lag is the median of the 2023 lags
// in data/model_release_lags.csv (7, 20 and 198 days: 20 days, 0.7 months).
func original2019(at Month) Amendment {
	return Amendment{
		Month: at, Note: "docs/facts.md original 2019 (000, 004)",
		Open:             channels(chOpenAI, chAzure),
		Preview:          channels(),
		DirectSales:      ptr(false),
		ShareToMicrosoft: ptr(0.20), ShareToMicrosoftUntil: ptr(EndOfTime),
		ShareToOpenAI: ptr(0.20), ShareToOpenAIUntil: ptr(EndOfTime),
		RemoveCap:        ptr(true),
		ReleaseLag:       map[string]float64{"openai": 0, "azure": 0.7, "aws": 0, "gcp": 0},
		AzureFirst:       ptr(false),
		MarketplaceFee:   ptr(DefaultMarketplaceFee),
		LicenceExclusive: ptr(true),
		LicenceEnd:       ptr(EndOfTime),
		Acquired:         ptr(false),
	}
}

// expanded2023 adds OpenAI's own enterprise sales team to the 2019 terms
// (docs/facts.md "expanded", 000, 002, 003; deal_timeline.csv 2023-01-23); Azure
// may sell a model only after its official release (the lag).
func expanded2023(at Month) Amendment {
	a := original2019(at)
	a.Note = "docs/facts.md expanded 2023 (000, 002, 003; deal_timeline.csv 2023-01-23)"
	a.DirectSales = ptr(true)
	return a
}

// amended2026 are the 2026 terms (docs/facts.md "amended", 001, 002;
// deal_timeline.csv 2026-04-27): Microsoft pays no share; OpenAI pays 20%
// to 2030 under a total cap (the reported, unverified $38B); licence
// non-exclusive to 2032; Azure first; OpenAI may serve any cloud.
func amended2026(at, capStart Month) Amendment {
	return Amendment{
		Month: at, Note: "docs/facts.md amended 2026 (001, 002; deal_timeline.csv 2026-04-27)",
		Open:             channels(chOpenAI, chAzure, chAWS),
		DirectSales:      ptr(true),
		ShareToMicrosoft: ptr(0.20), ShareToMicrosoftUntil: ptr(m(2030, 12)),
		ShareToOpenAI: ptr(0.0),
		CapUSD:        ptr(ReportedCapUSD), CapStart: ptr(capStart), CapEnd: ptr(m(2030, 12)),
		ReleaseLag:       map[string]float64{"openai": 0, "azure": 0, "aws": 0, "gcp": 0},
		AzureFirst:       ptr(true),
		MarketplaceFee:   ptr(DefaultMarketplaceFee),
		LicenceExclusive: ptr(false),
		LicenceEnd:       ptr(m(2032, 12)),
	}
}

// Amendments of the actual history between the named states. Functions,
// not variables: each call builds fresh pointers and maps, so that a caller
// who modifies a regime from BuiltinRegimes cannot change the next call's.

// data/model_release_lags.csv: from GPT-4o (2024-05) Azure gets models the
// same day. A dated fact, not a contract term.
func sameDayModels2024() Amendment {
	return Amendment{Month: m(2024, 5), Note: "model_release_lags.csv: GPT-4o same day on Azure",
		ReleaseLag: map[string]float64{"azure": 0}}
}

// azureLimitedAccess2023 puts Azure OpenAI in limited preview from start
// until 2023-06: its models were in preview in early 2023 (the ChatGPT API
// and GPT-4 from 2023-03-21: model_release_lags.csv, azure_stage), access
// was by application, and its customers grew from 2,500 to 11,000 between
// 2023-04 and 2023-07 (azure_openai_customers.csv). A dated fact of the
// history, not a contract term: the regimes applied from 2019-07 leave it
// out. It returns the amendments to merge after those of the same months.
func azureLimitedAccess2023(start Month) []Amendment {
	note := "model_release_lags.csv, azure_openai_customers.csv: Azure OpenAI in limited access until mid-2023"
	return []Amendment{
		{Month: start, Note: note, Preview: channels(chAzure)},
		{Month: m(2023, 1), Note: note, Preview: channels(chAzure)}, // the 2023 expansion resets previews
		{Month: m(2023, 6), Note: "Azure OpenAI generally available to all", Preview: channels()},
	}
}

// withLimitedAccess merges the 2023 limited access into a history-based
// timeline, each after the amendments of its month.
func withLimitedAccess(as []Amendment) []Amendment {
	out := append([]Amendment(nil), as...)
	for _, a := range azureLimitedAccess2023(as[0].Month) {
		i := 0
		for i < len(out) && out[i].Month <= a.Month {
			i++
		}
		out = append(out[:i], append([]Amendment{a}, out[i:]...)...)
	}
	return out
}

// deal_timeline.csv 2025-01-21: the two-way share continues through 2030.
func firstRefusal2025() Amendment {
	return Amendment{Month: m(2025, 1), Note: "deal_timeline.csv 2025-01-21 (right of first refusal)",
		ShareToMicrosoftUntil: ptr(m(2030, 12)), ShareToOpenAIUntil: ptr(m(2030, 12))}
}

// deal_timeline.csv 2025-10-28: Microsoft's IP rights run to 2032; the API
// stays exclusive to Azure.
func recap2025() Amendment {
	return Amendment{Month: m(2025, 10), Note: "deal_timeline.csv 2025-10-28 (recapitalization)",
		LicenceEnd: ptr(m(2032, 12))}
}

// deal_timeline.csv 2026-04-28 and 2026-06-01: Bedrock in limited preview,
// then generally available.
func bedrockGA2026() Amendment {
	return Amendment{Month: m(2026, 6), Note: "deal_timeline.csv 2026-06-01 (Bedrock GA, tag U)",
		Preview: channels()}
}

// No public date for Vertex: an assumption to vary (tag U).
func vertex2027() Amendment {
	return Amendment{Month: m(2027, 1), Note: "assumption: Google Cloud sells OpenAI models from 2027-01 (no source)",
		Open: channels(chOpenAI, chAzure, chAWS, chGCP)}
}

func historyAmendments() []Amendment {
	start := m(2019, 7)
	amended := amended2026(m(2026, 4), m(2026, 4))
	amended.Preview = channels(chAWS)
	return withLimitedAccess([]Amendment{
		original2019(start),
		expanded2023(m(2023, 1)),
		sameDayModels2024(),
		firstRefusal2025(),
		recap2025(),
		amended,
		bedrockGA2026(),
		vertex2027(),
	})
}

// BuiltinRegimes returns the built-in regimes, freshly built so callers may
// modify them.
func BuiltinRegimes() []Regime {
	start := m(2019, 7)
	amendedAll := amended2026(start, m(2026, 4))
	amendedAll.Open = channels(chOpenAI, chAzure, chAWS, chGCP)
	noCap := historyAmendments()
	for i := range noCap {
		if noCap[i].CapUSD != nil {
			noCap[i].CapUSD, noCap[i].CapStart, noCap[i].CapEnd = nil, nil, nil
			noCap[i].RemoveCap = ptr(true)
			noCap[i].Note += "; counterfactual: no cap"
		}
	}
	openEarly := Amendment{Month: m(2025, 1), Note: "counterfactual: exclusivity ends 2025-01, 2023 shares kept",
		Open: channels(chOpenAI, chAzure, chAWS, chGCP), LicenceExclusive: ptr(false)}
	acquired := Amendment{Month: m(2024, 1), Note: "counterfactual: Microsoft acquires OpenAI (003 predicts it)",
		Acquired: ptr(true)}
	return []Regime{
		{Name: "history", Description: "the actual sequence: 2019 deal, 2023 expansion, 2025 steps, 2026 amended agreement, Bedrock 2026",
			Amendments: historyAmendments()},
		{Name: "original-2019", Description: "the 2019 terms throughout", Amendments: []Amendment{original2019(start)}},
		{Name: "expanded-2023", Description: "the 2023 terms throughout", Amendments: []Amendment{expanded2023(start)}},
		{Name: "amended-2026", Description: "the 2026 terms throughout (cap counted from 2026-04)", Amendments: []Amendment{amendedAll}},
		{Name: "status-quo-2023", Description: "counterfactual: the 2023 terms kept to the end, exclusivity included",
			Amendments: withLimitedAccess([]Amendment{original2019(start), expanded2023(m(2023, 1)), sameDayModels2024()})},
		{Name: "amended-no-cap", Description: "counterfactual: history without the cap on OpenAI's payments", Amendments: noCap},
		{Name: "open-early-2025", Description: "counterfactual: exclusivity ends 2025-01 with the 2023 shares",
			Amendments: withLimitedAccess([]Amendment{original2019(start), expanded2023(m(2023, 1)), sameDayModels2024(), openEarly})},
		{Name: "acquired-2024", Description: "counterfactual: Microsoft acquires OpenAI in 2024-01",
			Amendments: withLimitedAccess([]Amendment{original2019(start), expanded2023(m(2023, 1)), acquired, sameDayModels2024()})},
	}
}

// BuiltinRegime returns the built-in regime of that name, or an error that
// lists the known names.
func BuiltinRegime(name string) (*Regime, error) {
	all := BuiltinRegimes()
	for i := range all {
		if all[i].Name == name {
			return &all[i], nil
		}
	}
	return nil, fmt.Errorf("market: unknown regime %q (built in: %s)", name, strings.Join(BuiltinRegimeNames(), ", "))
}

// BuiltinRegimeNames lists the built-in regimes' names in their order.
func BuiltinRegimeNames() []string {
	all := BuiltinRegimes()
	names := make([]string, len(all))
	for i := range all {
		names[i] = all[i].Name
	}
	return slices.Clip(names)
}
