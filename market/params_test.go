package market

import (
	"errors"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents"
)

// TestParamsRoundTrip: every parameter's Set is read back by Get, and
// touches its own field only (a path bound to the wrong field, or two paths
// to one field, shows up as another parameter changing).
func TestParamsRoundTrip(t *testing.T) {
	ps := Params()
	if !sort.SliceIsSorted(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path }) {
		t.Error("Params is not sorted by path")
	}
	if len(ps) < 100 {
		t.Errorf("only %d parameters", len(ps))
	}
	for _, p := range ps {
		if p.Doc == "" {
			t.Errorf("%s has no Doc", p.Path)
		}
		if q, err := LookupParam(p.Path); err != nil || q != p {
			t.Errorf("LookupParam(%q) = %v, %v", p.Path, q, err)
		}
		base := DefaultConfig()
		c := DefaultConfig()
		var v any
		var want float64
		switch p.Kind {
		case KindFloat:
			v, want = 0.375+p.Get(&base), 0.375+p.Get(&base)
		case KindInt:
			v, want = int64(p.Get(&base))+7, p.Get(&base)+7
		case KindBool:
			v, want = p.Get(&base) == 0, 1-p.Get(&base)
		case KindMonth:
			mo := agents.MonthOf(2024, 5) // a zero default month would not print as YYYY-MM
			if float64(mo) == p.Get(&base) {
				mo++
			}
			v, want = mo.String(), float64(mo)
		case KindTargeting:
			tg := (agents.Targeting(p.Get(&base)) + 1) % 3
			v, want = tg.String(), float64(tg)
		}
		if err := SetParam(&c, p.Path, v); err != nil {
			t.Errorf("SetParam(%s, %v): %v", p.Path, v, err)
			continue
		}
		if got := p.Get(&c); got != want {
			t.Errorf("%s: set %v, got %v back, want %v", p.Path, v, got, want)
		}
		for _, q := range ps {
			if q != p && q.Get(&c) != q.Get(&base) {
				t.Errorf("setting %s changed %s", p.Path, q.Path)
			}
		}
	}
}

func TestParamErrors(t *testing.T) {
	_, err := LookupParam("sellers.azure.bundle_discont")
	if err == nil || !strings.Contains(err.Error(), `did you mean "sellers.azure.bundle_discount"`) {
		t.Errorf("LookupParam of a misspelt path: %v", err)
	}
	if _, err := LookupParam("completely.different.thing.xyz"); err == nil || !strings.Contains(err.Error(), "unknown parameter") {
		t.Errorf("LookupParam of a far path: %v", err)
	}
	c := DefaultConfig()
	for _, tc := range []struct {
		path string
		v    any
		want []string
	}{
		{"buyers.agents", "ten", []string{"buyers.agents", "whole number"}},
		{"buyers.agents", 2.5, []string{"buyers.agents", "whole number"}},
		{"buyers.agents", int64(1) << 40, []string{"buyers.agents", "to 2147483647"}},
		{"sellers.azure.margin", true, []string{"sellers.azure.margin", "a number"}},
		{"sellers.azure.margin", nan(), []string{"sellers.azure.margin", "finite"}},
		{"buyers.diffusion.all_at_start", 1.0, []string{"all_at_start", "true or false"}},
		{"buyers.diffusion.start", int64(2024), []string{"buyers.diffusion.start", "YYYY-MM"}},
		{"buyers.diffusion.start", "2024-13", []string{"buyers.diffusion.start", "2024-13"}},
		{"sellers.aws.targeting", "biggest", []string{"sellers.aws.targeting", "biggest", "largest_first"}},
		{"sellers.aws.targeting", 1.0, []string{"sellers.aws.targeting", "targeting policy"}},
		{"sellers.aws.bundel_discount", 0.1, []string{"did you mean", "sellers.aws.bundle_discount"}},
	} {
		before := c
		err := SetParam(&c, tc.path, tc.v)
		if err == nil {
			t.Errorf("SetParam(%s, %v) succeeded", tc.path, tc.v)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("SetParam(%s, %v): error %q does not mention %q", tc.path, tc.v, err, w)
			}
		}
		if strings.Contains(err.Error(), "agents: ") {
			t.Errorf("error %q repeats a package prefix", err)
		}
		if c.Buyers != before.Buyers || c.Sellers != before.Sellers {
			t.Errorf("a failed SetParam(%s) changed the config", tc.path)
		}
	}
	// Ints accept whole floats (TOML may give 1e4) and Go ints.
	if err := SetParam(&c, "buyers.agents", 1e4); err != nil || c.Buyers.Agents != 10000 {
		t.Errorf("SetParam(buyers.agents, 1e4): %v, %d", err, c.Buyers.Agents)
	}
	if err := SetParam(&c, "buyers.accounts", int64(5)); err != nil || c.Buyers.Accounts != 5 {
		t.Errorf("SetParam(buyers.accounts, int64 5): %v, %g", err, c.Buyers.Accounts)
	}
}

// TestParamErrorsTyped checks that the errors other layers read are typed:
// an unknown path carries the closest known one, a bad value its key path,
// the value and what the parameter takes.
func TestParamErrorsTyped(t *testing.T) {
	_, err := LookupParam("buyers.agentz")
	var ue *UnknownParamError
	if !errors.As(err, &ue) || ue.Path != "buyers.agentz" || ue.Closest != "buyers.agents" {
		t.Errorf("LookupParam(buyers.agentz) = %v, want an UnknownParamError suggesting buyers.agents", err)
	}
	_, err = LookupParam("zzzzzzzzzzzzzzzzzzzz")
	if !errors.As(err, &ue) || ue.Closest != "" {
		t.Errorf("LookupParam of a far path = %v, want no suggestion", err)
	}
	c := DefaultConfig()
	for _, tc := range []struct {
		path string
		v    any
	}{
		{"buyers.agents", "many"},
		{"buyers.agents", 2.5},
		{"buyers.diffusion.start", "2026"},
		{"sellers.azure.targeting", "nearest"},
		{"preview_penalty", math.Inf(1)},
	} {
		err := SetParam(&c, tc.path, tc.v)
		var ve *agents.ValueError
		if !errors.As(err, &ve) || ve.Key != tc.path || ve.Value != tc.v || ve.Want == "" {
			t.Errorf("SetParam(%s, %v) = %v, want a ValueError with key, value and what it takes", tc.path, tc.v, err)
		}
	}
}

// TestDefaultConfigValid: the shipped defaults pass validation, and
// validation names the key of a bad value.
func TestDefaultConfigValid(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		v    any
	}{
		{"buyers.agents", int64(0)},
		{"sellers.azure.bundle_discount", 1.5},
		{"sellers.anthropic_aws.fee", 1.1},
		{"clouds.pull", -0.1},
		{"buyers.workloads", 0},
		{"other_revenue.half_life_months", 0.0},
		{"buyers.cloud_shares.aws", 0.9},
		{"sellers.azure.adaptive.margin_floor", 0.9},
	} {
		c := DefaultConfig()
		if err := SetParam(&c, tc.path, tc.v); err != nil {
			t.Fatal(err)
		}
		err := c.Validate()
		key := tc.path[:strings.LastIndexByte(tc.path, '.')]
		var ve *agents.ValueError
		if !errors.As(err, &ve) || !strings.HasPrefix(ve.Key, key) {
			t.Errorf("%s = %v: Validate says %v, want a ValueError naming %s", tc.path, tc.v, err, key)
		}
	}
}

func nan() float64 { return math.NaN() }

// TestLatestEnd: the latest end the far-end messages give is valid and the
// month after it is not, for the default market and a slower-growing one.
func TestLatestEnd(t *testing.T) {
	for _, g := range []float64{0.15, 0.5} {
		c := DefaultConfig()
		c.OtherRevenue.LongRunGrowth = g
		end := c.latestEnd(c.Start + 1199)
		if end <= c.Start || end >= c.Start+1199 {
			t.Fatalf("growth %g: latest end %s, want one inside the 1200 months", g, end)
		}
		c.End = end
		if err := c.Validate(); err != nil {
			t.Errorf("growth %g: end %s, the latest that works, is refused: %v", g, end, err)
		}
		c.End = end + 1
		if err := c.Validate(); err == nil {
			t.Errorf("growth %g: end %s, after the latest, is accepted", g, end+1)
		}
	}
}
