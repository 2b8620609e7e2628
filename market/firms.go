package market

import "github.com/coopsim/coopsim/agents"

// Firm is a firm that books revenue.
type Firm uint8

// The firms, in the fixed order of arrays indexed by firm (docs/model.md
// §2): the model makers OpenAI and Anthropic, the clouds Microsoft, AWS
// and Google (Google also makes Gemini), and others: open-weight models
// run in-house or by other vendors.
const (
	FirmOpenAI Firm = iota
	FirmMicrosoft
	FirmAWS
	FirmGoogle
	FirmAnthropic
	FirmOthers
	NumFirms = 6
)

// FirmNames are the firms' names in result files.
var FirmNames = [NumFirms]string{"openai", "microsoft", "aws", "google", "anthropic", "others"}

func (f Firm) String() string { return FirmNames[f] }

// makerFirm is the firm that makes each maker's models.
var makerFirm = [agents.NumMakers]Firm{FirmOpenAI, FirmAnthropic, FirmGoogle, FirmOthers}

// cloudFirm is the firm that owns each cloud (CloudOther, owned by none of
// them, counts as others; no channel sells on it).
var cloudFirm = [agents.NumClouds]Firm{FirmMicrosoft, FirmAWS, FirmGoogle, FirmOthers}

// channelMaker and channelVenue are the firms that make the models a
// channel sells and that sell them: the venue is the cloud's firm for a
// channel on a cloud, else the maker itself.
var channelMaker, channelVenue = func() (m, v [agents.NumChannels]Firm) {
	for c := range m {
		m[c] = makerFirm[agents.ChannelMaker[c]]
		v[c] = m[c]
		if cl := agents.ChannelCloud[c]; cl != agents.CloudNone {
			v[c] = cloudFirm[cl]
		}
	}
	return m, v
}()
