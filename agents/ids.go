package agents

import (
	"fmt"
	"strconv"
	"strings"
)

// Channel is where a buyer buys a model maker's models: a (maker, venue)
// pair (docs/model.md §2). The first NumOpenAIChannels are OpenAI's, which
// the contract regime governs; the others are the rival makers' channels,
// open from dated months (market.Config) unless a regime says otherwise.
// Every alternative a buyer may choose is a channel: "open" (open-weight
// models run in-house or by other vendors) is the always-open fallback.
type Channel uint8

// The channels, in the fixed order used by every array indexed by channel.
const (
	ChannelOpenAI         Channel = iota // OpenAI's direct API and enterprise sales
	ChannelAzure                         // Azure OpenAI Service
	ChannelAWS                           // OpenAI models on AWS Bedrock
	ChannelGCP                           // OpenAI models on Google Cloud Vertex
	ChannelAnthropic                     // Anthropic's own API
	ChannelAnthropicAWS                  // Claude on Bedrock
	ChannelAnthropicGCP                  // Claude on Vertex
	ChannelAnthropicAzure                // Claude in Microsoft Foundry
	ChannelGoogle                        // Gemini API (Google AI Studio)
	ChannelGoogleGCP                     // Gemini on Vertex
	ChannelOpen                          // open-weight models in-house or from other vendors
	ChannelOpenAzure                     // open-weight models on Azure
	ChannelOpenAWS                       // open-weight models on AWS
	ChannelOpenGCP                       // open-weight models on Google Cloud
	NumChannels           = 14
	// NumOpenAIChannels are the channels selling OpenAI models (the first
	// four), which the contract regime opens and closes.
	NumOpenAIChannels = 4
)

// NumAlternatives is the number of alternatives a buyer chooses among: the
// channels.
const NumAlternatives = NumChannels

// ChannelNames are the channels' names in files and TOML.
var ChannelNames = [NumChannels]string{"openai", "azure", "aws", "gcp",
	"anthropic", "anthropic_aws", "anthropic_gcp", "anthropic_azure",
	"google", "google_gcp", "open", "open_azure", "open_aws", "open_gcp"}

func (c Channel) String() string {
	if int(c) < len(ChannelNames) {
		return ChannelNames[c]
	}
	return fmt.Sprintf("channel(%d)", c)
}

// IsOpenAI reports whether the channel sells OpenAI's models.
func (c Channel) IsOpenAI() bool { return c < NumOpenAIChannels }

// ParseChannel reads the name of one of OpenAI's channels ("openai",
// "azure", "aws", "gcp"): the channels a contract regime governs.
func ParseChannel(s string) (Channel, error) {
	for i := 0; i < NumOpenAIChannels; i++ {
		if ChannelNames[i] == s {
			return Channel(i), nil
		}
	}
	return 0, fmt.Errorf("agents: %w", &ValueError{Value: s, Got: "unknown channel " + strconv.Quote(s), Want: "openai, azure, aws or gcp"})
}

// ParseRivalChannel reads the name of a rival maker's channel
// ("anthropic", "anthropic_aws", ..., "open_gcp").
func ParseRivalChannel(s string) (Channel, error) {
	for i := NumOpenAIChannels; i < NumChannels; i++ {
		if ChannelNames[i] == s {
			return Channel(i), nil
		}
	}
	return 0, fmt.Errorf("agents: %w", &ValueError{Value: s, Got: "unknown rival channel " + strconv.Quote(s), Want: RivalChannelList()})
}

// ParseAnyChannel reads the name of any channel, OpenAI's or a rival's.
func ParseAnyChannel(s string) (Channel, error) {
	for i := range ChannelNames {
		if ChannelNames[i] == s {
			return Channel(i), nil
		}
	}
	return 0, fmt.Errorf("agents: %w", &ValueError{Value: s, Got: "unknown channel " + strconv.Quote(s), Want: strings.Join(ChannelNames[:], ", ")})
}

// RivalChannelList names the rival channels, for messages.
func RivalChannelList() string {
	return strings.Join(ChannelNames[NumOpenAIChannels:], ", ")
}

// Maker is a model maker.
type Maker uint8

// The makers: OpenAI, Anthropic, Google (Gemini) and open-weight models
// with in-house builds.
const (
	MakerOpenAI Maker = iota
	MakerAnthropic
	MakerGoogle
	MakerOpen
	NumMakers = 4
)

// MakerNames are the makers' names in files and TOML.
var MakerNames = [NumMakers]string{"openai", "anthropic", "google", "open"}

func (m Maker) String() string { return MakerNames[m] }

// ChannelMaker is the maker whose models each channel sells.
var ChannelMaker = [NumChannels]Maker{MakerOpenAI, MakerOpenAI, MakerOpenAI, MakerOpenAI,
	MakerAnthropic, MakerAnthropic, MakerAnthropic, MakerAnthropic,
	MakerGoogle, MakerGoogle, MakerOpen, MakerOpen, MakerOpen, MakerOpen}

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

// ChannelCloud is the cloud each channel is sold through (CloudNone for a
// maker's own API and in-house use): a buyer whose incumbent cloud matches
// fits that channel.
var ChannelCloud = [NumChannels]Cloud{CloudNone, CloudAzure, CloudAWS, CloudGCP,
	CloudNone, CloudAWS, CloudGCP, CloudAzure, CloudNone, CloudGCP,
	CloudNone, CloudAzure, CloudAWS, CloudGCP}

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
