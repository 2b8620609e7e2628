package calibration

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/market"
)

func TestDefaultTargets(t *testing.T) {
	tg := DefaultTargets()
	if n := len(tg.Params); n < 5 || n > len(tg.Targets) {
		t.Errorf("default targets free %d parameters, want 5 to the number of targets (%d)", n, len(tg.Targets))
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
	if tg.lastDate() != market.Month(2025*12+11) {
		t.Errorf("last target date %s, want 2025-12", tg.lastDate())
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
		{"maker", strings.Replace(target, `"adoption"`, `"maker_share"`, 1) + "maker = \"antropic\"\n" + param, `maker = "antropic", want one of openai, anthropic, google, open`},
		{"firm", strings.Replace(target, `"adoption"`, `"firm_revenue"`, 1) + "firm = \"msft\"\n" + param, `firm = "msft", want one of openai, microsoft`},
		{"segment", strings.Replace(target, `"adoption"`, `"segment_gap"`, 1) + "channel = \"azure\"\nsegment = \"banks\"\n" + param, `segment = "banks", want one of regulated`},
		{"cloud", strings.Replace(target, `"adoption"`, `"cloud_gap"`, 1) + "channel = \"azure\"\ncloud = \"oci\"\n" + param, `cloud = "oci", want one of azure`},
		{"relation", target + "relation = \"!=\"\n" + param, `relation = "!="`},
		{"regime", "regime = \"histroy\"\n" + target + param, `unknown regime "histroy"`},
		// Values of the wrong type are named by key, in the user's words (the
		// TOML library said "TOML value has type int64; destination has type
		// string").
		{"type", strings.Replace(target, `name = "a"`, "name = 1", 1) + param, "bad.toml:2: target[0].name: want text in quotes, got the whole number 1"},
		{"type in param", target + strings.Replace(param, "max = 0.1", `max = "0.1"`, 1), `param[0].max: want a number, got text "0.1"`},
		// A header cut short on line 2 is reported on line 2, not 3.
		{"header", "seed = 3\n[target\n" + target, "bad.toml:2:"},
		// Nesting is bounded before decoding, as in experiment files.
		{"deep", "x = " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n", "nest more than 32 levels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTargets([]byte(tc.toml), "bad.toml")
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "bad.toml") {
				t.Errorf("error %q, want the file name first and %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "int64") || strings.Contains(err.Error(), "float64") {
				t.Errorf("error %q names a Go type", err)
			}
		})
	}
}

// TestLoadTargetsFileErrors: a missing file and a directory are refused
// naming the path, in one line, without Go's wording.
func TestLoadTargetsFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "none.toml"), "none.toml: no such file"},
		{dir, "is a directory"},
	} {
		_, err := LoadTargets(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("LoadTargets(%s): %v, want one line containing %q", tc.path, err, tc.want)
		}
	}
}
