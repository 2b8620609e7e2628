package plots

import "strings"

// firmNames and channelNames are what the figures call the firms and
// channels of report.Firms and report.Channels: the names readers know
// rather than the result files' ids.
var (
	firmNames = map[string]string{
		"openai":    "OpenAI",
		"microsoft": "Microsoft",
		"aws":       "AWS",
		"google":    "Google",
		"anthropic": "Anthropic",
		"others":    "Others (open models)",
	}
	channelNames = map[string]string{
		"openai":          "OpenAI direct (API)",
		"azure":           "Azure OpenAI",
		"aws":             "Bedrock (AWS)",
		"gcp":             "Vertex AI (Google)",
		"anthropic":       "Anthropic direct",
		"anthropic_aws":   "Claude on Bedrock",
		"anthropic_gcp":   "Claude on Vertex",
		"anthropic_azure": "Claude on Foundry",
		"google":          "Gemini direct",
		"google_gcp":      "Gemini on Vertex",
		"open":            "open models in-house",
		"open_azure":      "open models on Azure",
		"open_aws":        "open models on AWS",
		"open_gcp":        "open models on Google Cloud",
	}
)

// firmName returns the display name of a firm id, or the id itself for a
// firm the figures do not know yet.
func firmName(id string) string { return nameOr(firmNames, id) }

// channelName returns the display name of a channel id, or the id itself.
func channelName(id string) string { return nameOr(channelNames, id) }

func nameOr(m map[string]string, id string) string {
	if n, ok := m[id]; ok {
		return n
	}
	return id
}

// segmentNames and incumbentNames are what the figures call the buyer
// segments of report.Segments and the incumbent clouds of report.Clouds.
var (
	segmentNames = map[string]string{
		"regulated":      "regulated",
		"digital_native": "digital natives",
		"traditional":    "traditional",
	}
	incumbentNames = map[string]string{
		"azure": "Azure",
		"aws":   "AWS",
		"gcp":   "Google Cloud",
		"other": "other cloud",
	}
)

// metricTitle returns what a figure calls a metric of the result files
// ("net_revenue/microsoft": "Microsoft net revenue"), or the metric's name
// where it is none of the kinds below.
func metricTitle(metric string) string {
	prefix, name, _ := strings.Cut(metric, "/")
	switch prefix {
	case "net_revenue":
		return firmName(name) + " net revenue"
	case "gross_profit":
		return firmName(name) + " gross profit"
	case "gross_revenue":
		return channelName(name) + " gross revenue"
	case "customers":
		if !strings.Contains(name, "/") {
			return channelName(name) + " customers"
		}
	case "annualized":
		if ch, month, ok := strings.Cut(name, "@"); ok {
			return channelName(ch) + " annualized revenue " + month
		}
	case "share", "spend":
		if m, ok := strings.CutPrefix(name, "maker/"); ok {
			what := " share of buyer spend"
			if prefix == "spend" {
				what = " models: buyer spend"
			}
			return nameOr(makerShareNames, m) + what
		}
		if name == "total" && prefix == "spend" {
			return "buyer spend, all channels"
		}
	case "transfer":
		switch name {
		case "openai_to_microsoft":
			return "payments OpenAI → Microsoft"
		case "microsoft_to_openai":
			return "payments Microsoft → OpenAI"
		}
	}
	return metric
}
