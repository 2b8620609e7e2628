package plots

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
