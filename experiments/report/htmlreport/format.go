package htmlreport

import (
	"math"
	"strconv"
	"strings"
)

// usdPrefixes are the metric prefixes whose values are US dollars.
var usdPrefixes = []string{"net_revenue/", "gross_revenue/", "gross_profit/", "spend/", "other_revenue/",
	"transfer/", "annualized/", "cumulative_transfer/"}

func isUSD(metric string) bool {
	for _, p := range usdPrefixes {
		if strings.HasPrefix(metric, p) {
			return true
		}
	}
	return false
}

// minus replaces a leading hyphen by a true minus sign (U+2212).
func minus(s string) string {
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}

// billions formats US dollars in billions with d decimals.
func billions(usd float64, d int) string {
	return minus(strconv.FormatFloat(usd/1e9, 'f', d, 64))
}

// decimals returns how many decimals show the largest of the dollar values
// vs (in billions) to about three significant digits: 1 from $10B up, at
// most 3.
func decimals(vs ...float64) int {
	m := 0.0
	for _, v := range vs {
		m = math.Max(m, math.Abs(v/1e9))
	}
	switch {
	case m >= 10:
		return 1
	case m >= 1:
		return 2
	default:
		return 3
	}
}

// plain formats a value that is not money with four significant digits.
func plain(v float64) string {
	return minus(strconv.FormatFloat(v, 'g', 4, 64))
}

// firmLabels are the names readers know for the firms' ids.
var firmLabels = map[string]string{"openai": "OpenAI", "microsoft": "Microsoft", "aws": "AWS", "google": "Google",
	"anthropic": "Anthropic", "rivals": "rivals", "others": "others"}

// firmLabel returns the firm's name for a reader, or its id if it has none.
func firmLabel(id string) string {
	if l, ok := firmLabels[id]; ok {
		return l
	}
	return id
}
