package market

import "github.com/coopsim/coopsim/agents"

// Firm is a firm that books revenue.
type Firm uint8

// The firms, in the fixed order of arrays indexed by firm. Rivals are the
// other model vendors and in-house builds: the buyers' outside option.
const (
	FirmOpenAI Firm = iota
	FirmMicrosoft
	FirmAWS
	FirmGoogle
	FirmRivals
	NumFirms = 5
)

// FirmNames are the firms' names in result files.
var FirmNames = [NumFirms]string{"openai", "microsoft", "aws", "google", "rivals"}

func (f Firm) String() string { return FirmNames[f] }

// channelOwner is the firm that sells through each alternative; for aws and
// gcp the cloud keeps a fee and OpenAI books the rest (see accounting).
var channelOwner = [agents.NumAlternatives]Firm{FirmOpenAI, FirmMicrosoft, FirmAWS, FirmGoogle, FirmRivals}
