package plots

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"
)

// render draws f as a PNG and checks that it decodes at the asked size and
// is not blank.
func render(t *testing.T, f *Figure) {
	t.Helper()
	var b bytes.Buffer
	if _, err := f.Render(&b, Options{Width: 800, Height: 500, DPI: 72}); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != 800 || s.Y != 500 {
		t.Fatalf("image %v, want 800×500", s)
	}
	colours := map[uint32]bool{}
	for y := 0; y < 500; y += 5 {
		for x := 0; x < 800; x += 5 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r<<16^g<<8^bl] = true
		}
	}
	if len(colours) < 3 {
		t.Errorf("image has %d colours: blank", len(colours))
	}
}

func TestSensitivityFigures(t *testing.T) {
	sobol := []SobolPanel{{Output: "net_revenue/microsoft", Indices: []SobolIndex{
		{Factor: "a", S1: 0.3, S1Low: 0.25, S1High: 0.35, ST: 0.5, STLow: 0.45, STHigh: 0.55},
		{Factor: "b", S1: 0.0, S1Low: -0.02, S1High: 0.03, ST: 0.2, STLow: 0.18, STHigh: 0.23},
	}}, {Output: "other", Indices: []SobolIndex{{Factor: "a", S1: 1, S1Low: 0.9, S1High: 1.1, ST: 1, STLow: 0.95, STHigh: 1.05},
		{Factor: "b", STHigh: 0.01}}}}
	f, err := SobolIndices(sobol, "study", 0.95, 8)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Caption, "8 independent scrambles") || !strings.Contains(f.Caption, "95% Student t intervals") || strings.Contains(f.Caption, "bootstrap") {
		t.Errorf("the Sobol caption does not say what its intervals are: %q", f.Caption)
	}
	render(t, f)
	m, err := MorrisScreening([]MorrisPanel{{Output: "o", Indices: []MorrisIndex{
		{Factor: "a", MuStar: 2, MuStarLow: 1.5, MuStarHigh: 2.5, Sigma: 1}, {Factor: "b", MuStar: 0.1, MuStarLow: 0, MuStarHigh: 0.2, Sigma: 0.05}}}}, "study", 0.95)
	if err != nil {
		t.Fatal(err)
	}
	render(t, m)
	p, err := PeelingTrajectory([]PeelStep{{1, 0.2, 0}, {0.95, 0.3, 1}, {0.8, 0.6, 2}, {0.5, 0.9, 2}}, 2, "study", "x > 0")
	if err != nil {
		t.Fatal(err)
	}
	render(t, p)
}

func TestSensitivityFiguresRefuseBadInput(t *testing.T) {
	if _, err := SobolIndices(nil, "", 0.95, 8); err == nil {
		t.Error("no panels accepted")
	}
	if _, err := SobolIndices([]SobolPanel{{Output: "o", Indices: []SobolIndex{{Factor: "a", S1: math.NaN()}}}}, "", 0.95, 8); err == nil {
		t.Error("NaN index accepted")
	}
	if _, err := MorrisScreening([]MorrisPanel{{Output: "o"}}, "", 0.95); err == nil {
		t.Error("no factors accepted")
	}
	if _, err := PeelingTrajectory([]PeelStep{{1, 0.5, 0}}, 3, "", ""); err == nil {
		t.Error("chosen step out of range accepted")
	}
}

// TestOutputTitle checks the sensitivity panels' titles: the metric as
// readers know it and the scenarios, the id where no metric is given.
func TestOutputTitle(t *testing.T) {
	for _, tc := range []struct {
		id   string
		o    StudyOutput
		want string
	}{
		{"ms_gain", StudyOutput{"net_revenue/microsoft", "history", "status-quo-2023"}, "Microsoft net revenue\nhistory − status-quo-2023"},
		{"openai", StudyOutput{"net_revenue/openai", "history", ""}, "OpenAI net revenue, history"},
		{"bedrock", StudyOutput{"gross_revenue/aws", "open-early-2025", ""}, "Bedrock (AWS) gross revenue, open-early-2025"},
		{"claude", StudyOutput{Metric: "share/maker/anthropic"}, "Claude share of buyer spend"},
		{"x", StudyOutput{Metric: "customers/azure/segment/regulated", Scenario: "s"}, "customers/azure/segment/regulated, s"},
		{"plain", StudyOutput{}, "plain"},
	} {
		if got := outputTitle(tc.id, tc.o); got != tc.want {
			t.Errorf("outputTitle(%q, %+v) = %q, want %q", tc.id, tc.o, got, tc.want)
		}
	}
}
