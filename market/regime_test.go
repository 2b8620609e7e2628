package market

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents"
)

// lagRegime is the 2019 terms, then from 2026-04 AWS opens with the given
// release lag (and Azure, with azureFirst, gets a 2-month lag and the
// Azure-first rule).
func lagRegime(awsLag float64, azureFirst bool) Regime {
	open := Amendment{Month: m(2026, 4), Open: channels(chOpenAI, chAzure, chAWS), LicenceExclusive: ptr(false),
		ReleaseLag: map[string]float64{"aws": awsLag}}
	if azureFirst {
		open.ReleaseLag["azure"] = 2
		open.ReleaseLag["openai"] = 0
		open.AzureFirst = ptr(true)
	}
	return Regime{Name: "lag", Amendments: []Amendment{original2019(m(2019, 7)), open}}
}

var span = [2]Month{agents.MonthOf(2019, 7), agents.MonthOf(2032, 12)}

// TestBuiltinRegimesCompile: every built-in regime compiles over the
// default span, and its name is what BuiltinRegime looks up.
func TestBuiltinRegimesCompile(t *testing.T) {
	names := BuiltinRegimeNames()
	if len(names) < 8 {
		t.Errorf("%d built-in regimes, want the 4 of docs/facts.md and 4 counterfactuals: %v", len(names), names)
	}
	for _, name := range names {
		r, err := BuiltinRegime(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(r, span[0], span[1])
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.Months() != int(span[1]-span[0])+1 || c.Name != name {
			t.Errorf("%s: compiled %d months named %q", name, c.Months(), c.Name)
		}
		def := DefaultConfig()
		for k, av := range c.Avail {
			if all := RivalAvail(av, &c.Terms[k], &def.Opens, span[0]+Month(k)); !all.Has(int(agents.ChannelOpen)) {
				t.Errorf("%s %s: open models in-house are unavailable", name, span[0]+Month(k))
			}
		}
		if len(r.Describe()) != len(r.Amendments) {
			t.Errorf("%s: Describe gives %d lines for %d amendments", name, len(r.Describe()), len(r.Amendments))
		}
	}
}

// TestBuiltinRegimesFresh: BuiltinRegimes promises regimes a caller may
// modify; modifying one (through its pointers and maps too) must not change
// what the next call returns.
func TestBuiltinRegimesFresh(t *testing.T) {
	// Snapshot by value: compiled terms and descriptions share no pointers
	// with the regimes.
	snapshot := func(rs []Regime) (out []any) {
		for i := range rs {
			c, err := Compile(&rs[i], span[0], span[1])
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c, rs[i].Describe())
		}
		return out
	}
	want := snapshot(BuiltinRegimes())
	got := BuiltinRegimes()
	for i := range got {
		for j := range got[i].Amendments {
			a := &got[i].Amendments[j]
			for k := range a.ReleaseLag {
				a.ReleaseLag[k] = 99
			}
			for _, p := range []*float64{a.ShareToMicrosoft, a.ShareToOpenAI, a.CapUSD, a.MarketplaceFee} {
				if p != nil {
					*p = 0.5
				}
			}
			for _, p := range []*Month{a.ShareToMicrosoftUntil, a.ShareToOpenAIUntil, a.CapStart, a.CapEnd, a.LicenceEnd} {
				if p != nil {
					*p = 1
				}
			}
			for _, p := range []*[]agents.Channel{a.Open, a.Preview} {
				if p != nil && len(*p) > 0 {
					(*p)[0] = agents.ChannelGCP
				}
			}
		}
	}
	if again := snapshot(BuiltinRegimes()); !reflect.DeepEqual(again, want) {
		t.Error("modifying a regime from BuiltinRegimes changed the next call's regimes")
	}
}

func TestUnknownBuiltinRegime(t *testing.T) {
	_, err := BuiltinRegime("nope")
	if err == nil {
		t.Fatal("BuiltinRegime(\"nope\") succeeded")
	}
	for _, name := range append(BuiltinRegimeNames(), "nope") {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %q", err, name)
		}
	}
}

// TestCompileRejects: each bad regime is refused with a message that says
// what is wrong.
func TestCompileRejects(t *testing.T) {
	start := original2019(m(2019, 7))
	for _, c := range []struct {
		name string
		r    Regime
		want []string
	}{
		{"out of order", Regime{Name: "x", Amendments: []Amendment{start,
			{Month: m(2024, 1), DirectSales: ptr(true)}, {Month: m(2023, 6), DirectSales: ptr(false)}}},
			[]string{"2024-01", "2023-06", "date order"}},
		{"exclusive licence with aws open", Regime{Name: "x", Amendments: []Amendment{start,
			{Month: m(2026, 4), Open: channels(chOpenAI, chAzure, chAWS)}}},
			[]string{"licence_exclusive", "2026-04"}},
		{"no amendments", Regime{Name: "x"}, []string{"no amendments"}},
		{"share above 1", Regime{Name: "x", Amendments: []Amendment{{Month: m(2019, 7), ShareToMicrosoft: ptr(1.5)}}},
			[]string{"share_to_microsoft", "1.5"}},
		{"negative cap", Regime{Name: "x", Amendments: []Amendment{{Month: m(2019, 7), CapUSD: ptr(-1.0)}}},
			[]string{"cap_usd"}},
		{"unknown lag channel", Regime{Name: "x", Amendments: []Amendment{{Month: m(2019, 7), ReleaseLag: map[string]float64{"oracle": 1}}}},
			[]string{"oracle"}},
		{"preview but closed", Regime{Name: "x", Amendments: []Amendment{start, {Month: m(2020, 1), Preview: channels(chGCP)}}},
			[]string{"gcp", "preview"}},
		{"cap window reversed", Regime{Name: "x", Amendments: []Amendment{start,
			{Month: m(2026, 1), CapUSD: ptr(1e9), CapStart: ptr(m(2027, 1)), CapEnd: ptr(m(2026, 6))}}},
			[]string{"cap_end"}},
	} {
		_, err := Compile(&c.r, span[0], span[1])
		if err == nil {
			t.Errorf("%s: compiled", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
	r := lagRegime(0, false)
	if _, err := Compile(&r, span[1], span[0]); err == nil {
		t.Error("Compile with end before start succeeded")
	}
}

// TestReleaseLag: a channel that opens with a lag of L months is
// unavailable (choice probability zero) for ceil(L) months.
func TestReleaseLag(t *testing.T) {
	for _, lag := range []float64{0, 0.2, 1, 2.3, 5} {
		r := lagRegime(lag, false)
		c, err := Compile(&r, span[0], span[1])
		if err != nil {
			t.Fatal(err)
		}
		open := int(m(2026, 4) - span[0])
		wait := int(math.Ceil(lag))
		for k := open - 2; k < open+wait+3; k++ {
			want := k >= open+wait
			if got := c.Avail[k].Has(int(chAWS)); got != want {
				t.Errorf("lag %g: aws available in %s = %v, want %v", lag, span[0]+Month(k), got, want)
			}
			v := [agents.NumAlternatives]float64{0, 0, 5, 0, 0}
			var p [agents.NumAlternatives]float64
			agents.LogitProbabilities(&v, c.Avail[k], &p)
			if (p[chAWS] == 0) == want {
				t.Errorf("lag %g %s: aws choice probability %g", lag, span[0]+Month(k), p[chAWS])
			}
		}
		if c.OpenSince[open][chAWS] != m(2026, 4) {
			t.Errorf("OpenSince aws = %s, want 2026-04", c.OpenSince[open][chAWS])
		}
	}
	// Azure under the 2019 terms: 0.7 months, so unavailable in its first
	// month only.
	h, _ := BuiltinRegime("history")
	c, err := Compile(h, span[0], span[1])
	if err != nil {
		t.Fatal(err)
	}
	if c.Avail[0].Has(int(chAzure)) || !c.Avail[1].Has(int(chAzure)) {
		t.Errorf("history: azure available %v in 2019-07 and %v in 2019-08, want false, true", c.Avail[0].Has(int(chAzure)), c.Avail[1].Has(int(chAzure)))
	}
}

// TestAzureFirst: the Azure-first rule raises the other clouds' lags to
// Azure's, leaves Azure's own and OpenAI's (the reference all lags are
// counted from) alone, and does nothing to lags already above Azure's.
func TestAzureFirst(t *testing.T) {
	for _, awsLag := range []float64{0.5, 3} {
		r := lagRegime(awsLag, true)
		c, err := Compile(&r, span[0], span[1])
		if err != nil {
			t.Fatal(err)
		}
		k := int(m(2026, 6) - span[0])
		want := [agents.NumChannels]float64{0, 2, math.Max(awsLag, 2), 2}
		if c.Lag[k] != want {
			t.Errorf("aws lag %g with Azure first: lags %v, want %v", awsLag, c.Lag[k], want)
		}
		if c.Terms[k].ReleaseLag[chAWS] != awsLag {
			t.Errorf("the terms' own aws lag changed to %g", c.Terms[k].ReleaseLag[chAWS])
		}
		before := int(m(2026, 3) - span[0])
		if c.Lag[before][chAWS] != 0 {
			t.Errorf("aws lag %g before the Azure-first amendment", c.Lag[before][chAWS])
		}
		// AWS opens in 2026-04 and waits ceil(max(lag, 2)) months.
		open := int(m(2026, 4) - span[0])
		wait := int(math.Ceil(math.Max(awsLag, 2)))
		if c.Avail[open+wait-1].Has(int(chAWS)) || !c.Avail[open+wait].Has(int(chAWS)) {
			t.Errorf("aws lag %g with Azure first: not available from exactly %d months after opening", awsLag, wait)
		}
	}
}

// TestAmendmentsCarryOver: unset terms carry over; an amendment dated before
// the start applies from the start; a cap defaults to starting at its
// amendment's month with no end.
func TestAmendmentsCarryOver(t *testing.T) {
	r := Regime{Name: "x", Amendments: []Amendment{
		original2019(m(2018, 1)),
		{Month: m(2024, 1), CapUSD: ptr(5e9)},
		{Month: m(2025, 1), ShareToOpenAI: ptr(0.1)},
		{Month: m(2026, 1), RemoveCap: ptr(true)},
	}}
	c, err := Compile(&r, span[0], span[1])
	if err != nil {
		t.Fatal(err)
	}
	at := func(y, mo int) *Terms { return &c.Terms[int(m(y, mo)-span[0])] }
	if t0 := at(2019, 7); !t0.Open[chAzure] || t0.ShareToMicrosoft != 0.2 || t0.HasCap {
		t.Errorf("2019-07: the 2018 amendment does not apply from the start: %+v", *t0)
	}
	if t1 := at(2024, 6); !t1.HasCap || t1.CapUSD != 5e9 || t1.CapStart != m(2024, 1) || t1.CapEnd != EndOfTime || t1.ShareToMicrosoft != 0.2 {
		t.Errorf("2024-06: cap terms %+v", *t1)
	}
	if t2 := at(2025, 6); t2.ShareToOpenAI != 0.1 || !t2.HasCap || t2.ShareToMicrosoft != 0.2 {
		t.Errorf("2025-06: terms did not carry over: %+v", *t2)
	}
	if t3 := at(2026, 6); t3.HasCap {
		t.Error("2026-06: remove_cap left the cap")
	}
}
