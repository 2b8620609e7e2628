package plots

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/coopsim/coopsim/experiments/report"
)

// TestChannelVenue checks the channels' venues and makers: every channel
// is one maker's at one venue, no two channels share a (venue, maker)
// cell, the cells are those the market sells (OpenAI's four channels,
// Gemini only direct and on Google Cloud), and venueChannel inverts it.
func TestChannelVenue(t *testing.T) {
	want := map[string][2]string{
		"openai": {"direct", "openai"}, "azure": {"azure", "openai"}, "aws": {"aws", "openai"}, "gcp": {"gcp", "openai"},
		"anthropic": {"direct", "anthropic"}, "anthropic_aws": {"aws", "anthropic"}, "anthropic_gcp": {"gcp", "anthropic"},
		"anthropic_azure": {"azure", "anthropic"}, "google": {"direct", "google"}, "google_gcp": {"gcp", "google"},
		"open": {"direct", "open"}, "open_azure": {"azure", "open"}, "open_aws": {"aws", "open"}, "open_gcp": {"gcp", "open"},
	}
	if len(want) != len(report.Channels) {
		t.Fatalf("the test knows %d channels, report.Channels has %d", len(want), len(report.Channels))
	}
	seen := make(map[[2]string]string)
	for _, ch := range report.Channels {
		v, m := channelVenue(ch)
		if w := want[ch]; [2]string{v, m} != w {
			t.Errorf("channelVenue(%q) = %s, %s; want %s, %s", ch, v, m, w[0], w[1])
		}
		if prev, ok := seen[[2]string{v, m}]; ok {
			t.Errorf("%q and %q share venue %s and maker %s", prev, ch, v, m)
		}
		seen[[2]string{v, m}] = ch
		if got := venueChannel(v, m); got != ch {
			t.Errorf("venueChannel(%s, %s) = %q, want %q", v, m, got, ch)
		}
		if !slices.Contains(makerChannels(m), ch) {
			t.Errorf("makerChannels(%q) lacks %q", m, ch)
		}
	}
	if got := venueChannel("aws", "google"); got != "" {
		t.Errorf("Gemini on AWS: %q, want none", got)
	}
}

// TestBuyerShares checks the buyers figure's shares on fixture six: each
// group's shares over the venues add up to 1, each is the venue's
// channels' mean spend from the group over all channels' (OpenAI's part
// that of its channel there), and the
// fixture's leanings show (regulated buyers to Azure more than the other
// segments; each cloud's incumbents to that cloud more than the others).
func TestBuyerShares(t *testing.T) {
	s := loadFixture(t, fixtures[1].dir).Summary
	for _, bg := range buyerGroups {
		shares, err := buyerShares(s, bg.by, bg.groups)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range s.Scenarios {
			for _, g := range bg.groups {
				sum, azure, total := 0.0, 0.0, 0.0
				for _, v := range venues {
					sum += shares[[3]string{sc.Name, g, v.id}]
				}
				for _, ch := range report.Channels {
					m, err := metricSummary(s, sc.Name, report.BreakdownName(report.Spend, ch, bg.by, g))
					if err != nil {
						t.Fatal(err)
					}
					total += m.Mean
					if v, _ := channelVenue(ch); v == "azure" {
						azure += m.Mean
					}
				}
				if !(math.Abs(sum-1) <= 1e-12) {
					t.Errorf("%s %s: shares add up to %v", sc.Name, g, sum)
				}
				if got := shares[[3]string{sc.Name, g, "azure"}]; !(math.Abs(got-azure/total) <= 1e-12) {
					t.Errorf("%s %s: Azure share %v, want %v", sc.Name, g, got, azure/total)
				}
				m, err := metricSummary(s, sc.Name, report.BreakdownName(report.Spend, "azure", bg.by, g))
				if err != nil {
					t.Fatal(err)
				}
				if got := shares[[3]string{sc.Name, g, "azure/openai"}]; !(math.Abs(got-m.Mean/total) <= 1e-12) || !(got <= azure/total) {
					t.Errorf("%s %s: Azure OpenAI's share %v, want %v (at most Azure's %v)", sc.Name, g, got, m.Mean/total, azure/total)
				}
			}
			for _, v := range []string{"azure", "aws", "gcp"} {
				lean := "regulated"
				if bg.by == report.ByCloud {
					lean = v
				} else if v != "azure" {
					continue
				}
				for _, g := range bg.groups {
					if g != lean && !(shares[[3]string{sc.Name, g, v}] < shares[[3]string{sc.Name, lean, v}]) {
						t.Errorf("%s: %s buys at %s as much as %s", sc.Name, g, v, lean)
					}
				}
			}
		}
	}
}

// TestV2FiguresNeedV2Results checks that results written before the market
// v2's breakdowns (fixture three) make the v2 figures report errNoData,
// which WriteAll reads as "leave it out", rather than draw empty panels.
func TestV2FiguresNeedV2Results(t *testing.T) {
	d := loadFixture(t, fixtures[0].dir)
	for _, b := range []func(*report.Dir) (*Figure, error){MakerShares, CloudSpend, VenueSpend, BuyerVenues} {
		if _, err := b(d); !errors.Is(err, errNoData) {
			t.Errorf("err = %v, want errNoData", err)
		}
	}
}

// TestTypeset checks the calibration figure's labels: a spaced hyphen is
// a minus, a hyphen between numbers a range (en dash), a date and a
// hyphenated word stay.
func TestTypeset(t *testing.T) {
	for in, want := range map[string]string{
		"Azure share: regulated - others 2024-03": "Azure share: regulated − others 2024-03",
		"OpenAI all-products revenue 2023-2024":   "OpenAI all-products revenue 2023–2024",
		"spend 5-10 points":                       "spend 5–10 points",
		"OpenAI revenue 2024-12-31":               "OpenAI revenue 2024-12-31",
	} {
		if got := typeset(in); got != want {
			t.Errorf("typeset(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCloudSpendLines checks the cloud-spend figure's lines on fixture
// six: 12 × the month's mean gross revenue from the first month it is
// positive, undefined before (and throughout where the channel never
// sells: OpenAI on Bedrock in exclusive_kept).
func TestCloudSpendLines(t *testing.T) {
	d := loadFixture(t, fixtures[1].dir)
	lines, err := cloudSpendLines(d)
	if err != nil {
		t.Fatal(err)
	}
	never := 0
	for key, b := range lines {
		rows := d.SeriesOf(key[0], report.MetricName(report.GrossRevenue, key[1]))
		open := false
		for i, r := range rows {
			open = open || r.Mean > 0
			if !open && !math.IsNaN(b.Mid[i]) || open && b.Mid[i] != 12*r.Mean {
				t.Fatalf("%s %s month %s: %v, want %v (selling: %v)", key[0], key[1], r.Month, b.Mid[i], 12*r.Mean, open)
			}
		}
		if !open {
			never++
		}
	}
	if never == 0 {
		t.Error("no channel of the fixture never sells: the test does not check that case")
	}
}
