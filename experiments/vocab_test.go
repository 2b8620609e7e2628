package experiments

import (
	"slices"
	"testing"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// TestVocabularyTied ties the result files' names of firms and channels
// (package report, a leaf that reads result files without the model) to
// the model's (market.FirmNames, agents.ChannelNames): a firm or channel
// added to the model must be added to the reports, in the same order.
func TestVocabularyTied(t *testing.T) {
	t.Parallel()
	if !slices.Equal(report.Firms, market.FirmNames[:]) {
		t.Errorf("report.Firms = %v, market.FirmNames = %v: keep them the same", report.Firms, market.FirmNames)
	}
	if !slices.Equal(report.Channels, agents.ChannelNames[:]) {
		t.Errorf("report.Channels = %v, agents.ChannelNames = %v: keep them the same", report.Channels, agents.ChannelNames)
	}
	if !slices.Equal(report.Makers, agents.MakerNames[:]) {
		t.Errorf("report.Makers = %v, agents.MakerNames = %v: keep them the same", report.Makers, agents.MakerNames)
	}
	if !slices.Equal(report.Segments, agents.SegmentNames[:]) {
		t.Errorf("report.Segments = %v, agents.SegmentNames = %v: keep them the same", report.Segments, agents.SegmentNames)
	}
	if !slices.Equal(report.Clouds, agents.CloudNames[:]) {
		t.Errorf("report.Clouds = %v, agents.CloudNames = %v: keep them the same", report.Clouds, agents.CloudNames)
	}
}
