package agents

import (
	"fmt"
	"strconv"
)

// Channel is where a buyer buys OpenAI models. The outside option (rival
// vendors and in-house builds) is not a channel but an alternative: see
// Outside.
type Channel uint8

// The channels, in the fixed order used by every array indexed by channel.
const (
	ChannelOpenAI Channel = iota // OpenAI's direct API and enterprise sales
	ChannelAzure                 // Azure OpenAI Service
	ChannelAWS                   // AWS Bedrock
	ChannelGCP                   // Google Cloud Vertex
	NumChannels   = 4
)

// Outside is the index of the outside option (the "rivals" alternative) in
// arrays indexed by alternative; NumAlternatives is their length.
const (
	Outside         = NumChannels
	NumAlternatives = NumChannels + 1
)

// ChannelNames are the channels' names in files and TOML, with "rivals" for
// the outside option at index Outside.
var ChannelNames = [NumAlternatives]string{"openai", "azure", "aws", "gcp", "rivals"}

func (c Channel) String() string {
	if int(c) < len(ChannelNames) {
		return ChannelNames[c]
	}
	return fmt.Sprintf("channel(%d)", c)
}

// ParseChannel reads a channel name ("openai", "azure", "aws", "gcp").
func ParseChannel(s string) (Channel, error) {
	for i := 0; i < NumChannels; i++ {
		if ChannelNames[i] == s {
			return Channel(i), nil
		}
	}
	return 0, fmt.Errorf("agents: %w", &ValueError{Value: s, Got: "unknown channel " + strconv.Quote(s), Want: "openai, azure, aws or gcp"})
}

// Cloud is a buyer's incumbent cloud provider.
type Cloud uint8

// The clouds. CloudNone marks a channel that belongs to no cloud (OpenAI
// direct).
const (
	CloudAzure Cloud = iota
	CloudAWS
	CloudGCP
	CloudOther
	NumClouds = 4
	CloudNone = Cloud(255)
)

// CloudNames are the clouds' names in TOML.
var CloudNames = [NumClouds]string{"azure", "aws", "gcp", "other"}

// ChannelCloud is the cloud each channel is sold through: a buyer whose
// incumbent cloud matches fits that channel.
var ChannelCloud = [NumChannels]Cloud{CloudNone, CloudAzure, CloudAWS, CloudGCP}

// Segment is a buyer's industry segment.
type Segment uint8

// The segments: regulated (finance, health, government), digital-native and
// traditional enterprises.
const (
	SegmentRegulated Segment = iota
	SegmentDigitalNative
	SegmentTraditional
	NumSegments = 3
)

// SegmentNames are the segments' names in TOML and reports.
var SegmentNames = [NumSegments]string{"regulated", "digital_native", "traditional"}

// MarshalText writes the channel's name.
func (c Channel) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a channel's name.
func (c *Channel) UnmarshalText(b []byte) error {
	v, err := ParseChannel(string(b))
	*c = v
	return unwrapValue(err)
}
