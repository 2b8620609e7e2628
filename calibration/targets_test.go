package calibration

import (
	"strings"
	"testing"

	"github.com/coopsim/coopsim/market"
)

func TestDefaultTargets(t *testing.T) {
	tg := DefaultTargets()
	if n := len(tg.Params); n < 5 || n > 8 {
		t.Errorf("default targets free %d parameters, want 5 to 8 (the issue's method)", n)
	}
	for _, p := range tg.Params {
		if _, err := market.LookupParam(p.Path); err != nil {
			t.Errorf("param %s: %v", p.Path, err)
		}
	}
	for _, tr := range tg.Targets {
		if tr.Source == "" {
			t.Errorf("target %s has no source", tr.Name)
		}
	}
	if tg.lastDate() != market.Month(2024*12+6) {
		t.Errorf("last target date %s, want 2024-07", tg.lastDate())
	}
}

func TestParseTargetsErrors(t *testing.T) {
	const param = "\n[[param]]\npath = \"buyers.diffusion.p\"\nmin = 0.01\nmax = 0.1\n"
	const target = "[[target]]\nname = \"a\"\nmoment = \"adoption\"\ndate = \"2023-04\"\nvalue = 0.3\nsd = 0.03\n"
	for _, tc := range []struct {
		name, toml, want string
	}{
		{"syntax", "runs = = 3\n", "bad.toml:1:"},
		{"unknown key", "rnus = 3\n" + target + param, `unknown key rnus (did you mean "runs"?)`},
		{"moment", strings.Replace(target, `"adoption"`, `"adoptoin"`, 1) + param, `moment = "adoptoin"`},
		{"path", target + strings.Replace(param, "diffusion.p", "difusion.p", 1), `unknown parameter "buyers.difusion.p" (did you mean "buyers.diffusion.p"?)`},
		{"int param", target + strings.Replace(param, "buyers.diffusion.p", "buyers.ramp_months", 1), "only numbers can be fitted"},
		{"bounds", target + strings.Replace(param, "max = 0.1", "max = 0.001", 1), "want finite min < max"},
		{"sd", strings.Replace(target, "sd = 0.03", "sd = 0", 1) + param, "want a positive uncertainty"},
		{"date", strings.Replace(target, "2023-04", "2023-4", 1) + param, "2023-4"},
		{"channel", strings.Replace(target, `"adoption"`, `"revenue"`, 1) + param, "channel: agents: unknown channel"},
		{"no params", target, "no [[param]]"},
		{"relation", target + "relation = \"!=\"\n" + param, `relation = "!="`},
		{"regime", "regime = \"histroy\"\n" + target + param, `unknown regime "histroy"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTargets([]byte(tc.toml), "bad.toml")
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "calibration: ") {
				t.Errorf("error %q, want the prefix \"calibration: \" and %q", err, tc.want)
			}
		})
	}
}
