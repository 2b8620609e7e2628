package experiments

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coopsim/coopsim/agents"
)

// minimal is the smallest valid experiment; badCases edit it.
const minimal = `name = "x"
seed = 1
runs = 2
baseline = "h"

[[scenario]]
name = "h"
regime = "history"
`

// top puts lines before minimal's, so they are top-level keys (after a
// [[scenario]] header they would belong to the scenario).
func top(lines string) string { return lines + "\n" + minimal }

// without returns minimal without the line that starts with prefix.
func without(prefix string) string {
	var out []string
	for _, l := range strings.Split(minimal, "\n") {
		if !strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// amendment returns minimal plus a regime based on history with one
// amendment of the given lines.
func amendment(lines string) string {
	return minimal + "\n[[regime]]\nname = \"r\"\nbased_on = \"history\"\n\n[[regime.amendment]]\n" + lines + "\n"
}

// badCase is an invalid experiment and substrings its error must contain.
type badCase struct {
	name string
	toml string
	want []string
}

// badCases are invalid inputs, one per check, each refused with a short
// message naming the place and the fix; FuzzLoad uses them as seeds too.
var badCases = []badCase{
	// Syntax errors name the file, line and column.
	{"syntax unterminated array", "name = \"x\"\nseed = 1\nruns = [\n", []string{"bad.toml:3:", "TOML syntax", "runs"}},
	{"syntax double equals", "name = \"x\"\nseed = = 1\n", []string{"bad.toml:2:8:", "TOML syntax"}},
	{"syntax unclosed header on its line", "name = \"x\"\n[report\nseed = 1\n", []string{"bad.toml:2:8:", "TOML syntax"}},
	{"syntax bad month value", amendment(`month = "2026-1x"`), []string{"bad.toml:15:10:", "regime.amendment.month", "YYYY-MM"}},
	{"syntax unknown channel", amendment("month = \"2026-01\"\nopen = [\"ibm\"]"), []string{"bad.toml:16:9:", "unknown channel \"ibm\"", "openai, azure, aws or gcp"}},

	// Unknown keys, with "did you mean".
	{"unknown top key", top("runz = 3"), []string{"runz: unknown key", `did you mean "runs"`}},
	{"unknown report key", minimal + "[report]\nwindow_strat = \"2026-01\"\n", []string{"report.window_strat: unknown key", `did you mean "window_start"`}},
	{"unknown amendment key", amendment("month = \"2026-01\"\ncap_usx = 1.0"), []string{"cap_usx: unknown key", `did you mean "cap_usd"`}},
	{"unknown scenario key", strings.Replace(minimal, `regime = "history"`, "regime = \"history\"\nregim = \"x\"", 1), []string{"scenario.regim: unknown key", `did you mean "regime"`}},

	// Wrong types name the key and what it takes.
	{"runs wrong type", strings.Replace(minimal, "runs = 2", `runs = "2"`, 1), []string{"bad.toml:3: runs: want a whole number, got text \"2\""}},
	{"runs float", strings.Replace(minimal, "runs = 2", "runs = 2.5", 1), []string{"runs: want a whole number, got the number 2.5"}},
	{"runs whole float", strings.Replace(minimal, "runs = 2", "runs = 8.0", 1), []string{"bad.toml:3: runs: want a whole number: write 8, without a decimal point"}},
	{"end wrong type", top("end = 2024"), []string{"end: want text in quotes, got the whole number 2024"}},
	{"market param wrong type", minimal + "[market]\nbuyers.agents = \"many\"\n", []string{`market.buyers.agents: "many", want a whole number`}},
	{"month param not a month", minimal + "[scenario.set]\n\"buyers.diffusion.start\" = \"2026\"\n", []string{`scenario[0].set.buyers.diffusion.start: "2026", want a month "YYYY-MM"`}},
	{"key with a line break", minimal + "[market]\n\"a\\nb\" = 1\n", []string{`market.a\nb: unknown parameter`}},
	{"amendment open not a list", amendment("month = \"2026-01\"") + "\n[[regime.amendment]]\nmonth = \"2027-01\"\nopen = \"aws\"\n", []string{`bad.toml:19: regime[0].amendment[1].open: want a list, got text "aws"`}},
	{"second scenario's set", minimal + "\n[[scenario]]\nname = \"b\"\nregime = \"history\"\n[scenario.set]\n\"buyers.agents\" = {a = 1}\n", []string{`bad.toml:14: scenario[1].set.buyers.agents.a: unknown parameter (did you mean "buyers.agents"?)`}},
	{"sweep grid not a table", minimal + "[[sweep]]\nscenario = \"h\"\ngrid = 3\n", []string{"bad.toml:11: sweep[0].grid: want a table, got the whole number 3"}},
	{"market not a table", top("market = \"x\""), []string{"bad.toml:1: market: want a table, got text \"x\""}},
	{"scenario name with a tab", strings.Replace(minimal, `name = "h"`, `name = "a\tb"`, 1), []string{`scenario[0].name: "a\tb": a scenario name may not contain commas, quotes, newlines or other control characters`}},
	{"empty key", top(`"" = 1`), []string{`bad.toml:1: "": unknown key`}},
	{"include wrong type", top("include = 3"), []string{"include: want a file name or a list of file names"}},

	// Out-of-range values name the key path and the allowed range.
	{"runs zero", strings.Replace(minimal, "runs = 2", "runs = 0", 1), []string{"bad.toml:3: runs: 0, want 1 to 10000000"}},
	{"seed negative", strings.Replace(minimal, "seed = 1", "seed = -1", 1), []string{"seed: -1, want 0 or more"}},
	{"workers too many", top("workers = 5000"), []string{"workers: 5000, want 0 (all cores) to 4096"}},
	{"precision above 1", strings.Replace(minimal, "runs = 2", "precision = 1.5\nmax_runs = 10", 1), []string{"precision: 1.5, want a relative half-width between 0 and 1"}},
	{"max_runs too few", strings.Replace(minimal, "runs = 2", "precision = 0.1\nmax_runs = 1", 1), []string{"max_runs: 1, want 2 to 10000000"}},
	{"batch too small", strings.Replace(minimal, "runs = 2", "precision = 0.1\nmax_runs = 10\nbatch = 1", 1), []string{"batch: 1, want 2 to 1000000"}},
	{"precision and runs", top("precision = 0.01\nmax_runs = 10"), []string{"runs: set either runs or precision"}},
	{"precision without max_runs", strings.Replace(minimal, "runs = 2", "precision = 0.1", 1), []string{"max_runs: missing"}},
	{"max_runs without precision", top("max_runs = 10"), []string{"max_runs: only used with precision"}},
	{"market agents negative", minimal + "[market]\nbuyers.agents = -3\n", []string{"bad.toml:10: market.buyers.agents: -3, want 1 to 50000000"}},
	// Beyond int32 or not whole: the key's own range, as for -3.
	{"market agents beyond int32", minimal + "[market]\nbuyers.agents = 99999999999\n", []string{"buyers.agents: 99999999999, want 1 to 50000000"}},
	{"market agents 1e300", minimal + "[market]\nbuyers.agents = 1e300\n", []string{"buyers.agents: 1e+300, want 1 to 50000000"}},
	{"market agents far negative", minimal + "[market]\nbuyers.agents = -99999999999\n", []string{"buyers.agents: -99999999999, want 1 to 50000000"}},
	{"market agents not whole", minimal + "[market]\nbuyers.agents = 2.5\n", []string{"buyers.agents: 2.5, want a whole number from 1 to 50000000"}},
	{"seller ramp beyond int32", minimal + "[scenario.set]\n\"sellers.azure.reach.ramp_months\" = 1e12\n", []string{"sellers.azure.reach.ramp_months: 1e+12, want 0 to 600"}},
	{"market rate above 1", minimal + "[market]\nbuyers.diffusion.p = 7.0\n", []string{"bad.toml:10: market.buyers.diffusion.p: 7, want a rate in (0, 1]"}},
	{"amendment share above 1", amendment("month = \"2026-01\"\nshare_to_microsoft = 1.5"), []string{"regime[0].amendment[0].share_to_microsoft: 1.5, want a share from 0 to 1"}},
	{"amendment cap negative", amendment("month = \"2026-01\"\ncap_usd = -1.0"), []string{"regime[0].amendment[0].cap_usd: -1, want 0 or more"}},
	{"sweep value out of range", minimal + "[[sweep]]\nscenario = \"h\"\n[sweep.grid]\n\"sellers.azure.bundle_discount\" = [7.0]\n", []string{"sellers.azure.bundle_discount = 7, want 0 to 0.99"}},
	{"scenario set out of range", minimal + "[scenario.set]\n\"sellers.azure.bundle_discount\" = -1.0\n", []string{"sellers.azure.bundle_discount = -1, want 0 to 0.99"}},

	// Unknown regimes, scenarios and baselines list the known ones.
	{"unknown regime", strings.Replace(minimal, `regime = "history"`, `regime = "histroy"`, 1), []string{`scenario[0].regime: unknown regime "histroy"`, `did you mean "history"`, "known: history, original-2019", "acquired-2024"}},
	{"unknown based_on", minimal + "[[regime]]\nname = \"r\"\nbased_on = \"historx\"\n", []string{`regime[0].based_on: unknown regime "historx"`, "history, original-2019", "acquired-2024"}},
	{"unknown baseline", strings.Replace(minimal, `baseline = "h"`, `baseline = "hh"`, 1), []string{`baseline: unknown scenario "hh"`, "defined: h"}},
	{"unknown sweep scenario", minimal + "[[sweep]]\nscenario = \"hx\"\n[sweep.grid]\n\"sellers.azure.bundle_discount\" = [0.1]\n", []string{`sweep[0].scenario: unknown scenario "hx"`, "defined: h"}},
	{"unknown amendment channel", amendment("month = \"2026-01\"\nrelease_lag_months = { azur = 1.0 }"), []string{"release_lag_months: unknown channel \"azur\"", "want openai, azure, aws or gcp"}},
	{"regime shadows built-in", minimal + "[[regime]]\nname = \"history\"\n", []string{`regime[0].name: "history" is a built-in regime`}},

	// Dates: format, order, window and annualized_at within the span.
	{"start format", top(`start = "2019-13"`), []string{"start:", `"2019-13"`, "YYYY-MM"}},
	{"end format", top(`end = "2024"`), []string{"end:", `"2024"`, "YYYY-MM"}},
	{"end before start", top("start = \"2025-01\"\nend = \"2024-01\""), []string{"end: 2024-01 is before start 2025-01"}},
	{"window before start", minimal + "[report]\nwindow_start = \"2018-01\"\n", []string{"report: window 2018-01 to 2032-12 is outside the simulated months 2019-07 to 2032-12"}},
	{"window after end", top(`end = "2025-01"`) + "[report]\nwindow_end = \"2026-01\"\n", []string{"report: window 2019-07 to 2026-01 is outside the simulated months 2019-07 to 2025-01"}},
	{"window reversed", minimal + "[report]\nwindow_start = \"2026-01\"\nwindow_end = \"2025-01\"\n", []string{"report.window_end: 2025-01 is before report.window_start 2026-01"}},
	{"window format", minimal + "[report]\nwindow_start = \"26-01\"\n", []string{"report.window_start:", "YYYY-MM"}},
	{"annualized_at outside", minimal + "[report]\nannualized_at = [\"2040-01\"]\n", []string{"report.annualized_at[0]: 2040-01 is outside the simulated months"}},
	{"annualized_at format", minimal + "[report]\nannualized_at = [\"2026-01\", \"2040\"]\n", []string{"report.annualized_at[1]:", "YYYY-MM"}},
	{"annualized_at twice", minimal + "[report]\nannualized_at = [\"2026-01\", \"2026-01\"]\n", []string{"report.annualized_at[1]: 2026-01 is listed twice"}},
	{"amendments out of order", amendment("month = \"2026-01\"\n\n[[regime.amendment]]\nmonth = \"2025-01\""), []string{"regime[0].amendment[1].month: 2025-01 is before the amendment above it (2026-01)"}},

	// Lengths and dates that would fail or be ignored later.
	{"name too long", strings.Replace(minimal, `name = "x"`, `name = "`+strings.Repeat("n", 5000)+`"`, 1), []string{"bad.toml:1: name: 5000 characters, want at most 100"}},
	{"scenario name too long", strings.Replace(minimal, `name = "h"`, `name = "`+strings.Repeat("h", 101)+`"`, 1), []string{"scenario[0].name: 101 characters, want at most 100"}},
	{"regime name too long", minimal + "[[regime]]\nname = \"" + strings.Repeat("r", 200) + "\"\n", []string{"regime[0].name: 200 characters, want at most 100"}},
	{"amendment after end", top(`end = "2030-12"`) + "\n[[regime]]\nname = \"r\"\nbased_on = \"history\"\n[[regime.amendment]]\nmonth = \"2031-01\"\ncap_usd = 1e9\n",
		[]string{"regime[0].amendment[0].month: 2031-01 is after end 2030-12, so the amendment would never apply"}},
	{"long table header", minimal + "[" + strings.Repeat("k", 5000) + "]\nx = 1\n", []string{"bad.toml:9: kkkk", " … ", "kkkk: unknown key"}},

	// Missing essentials.
	{"missing name", without("name"), []string{"name: missing"}},
	{"missing seed", without("seed"), []string{"seed: missing"}},
	{"missing scenarios", "name = \"x\"\nseed = 1\nbaseline = \"h\"\n", []string{"scenario: no scenarios"}},
	{"missing baseline", without("baseline"), []string{"baseline: missing", "(h)"}},
	{"missing scenario regime", without("regime"), []string{"scenario[0].regime: missing", "history"}},
	{"missing amendment month", amendment("cap_usd = 1.0"), []string{"regime[0].amendment[0].month: missing"}},
	{"bad name", strings.Replace(minimal, `name = "x"`, `name = "a/b"`, 1), []string{`name: "a/b": use letters, digits`}},
	{"duplicate scenario", minimal + "\n[[scenario]]\nname = \"h\"\nregime = \"history\"\n", []string{`scenario[1].name: "h" is used twice`}},

	// Unknown parameter paths, wherever parameters are set.
	{"unknown market param", minimal + "[market]\nbuyers.agentz = 3\n", []string{"market.buyers.agentz: unknown parameter", `did you mean "buyers.agents"`}},
	{"unknown scenario.set param", minimal + "[scenario.set]\n\"sellers.azure.list_prize\" = 0.9\n", []string{"scenario[0].set.sellers.azure.list_prize: unknown parameter", `did you mean "sellers.azure.list_price"`}},
	{"unknown sweep.grid param", minimal + "[[sweep]]\nscenario = \"h\"\n[sweep.grid]\n\"sellers.azure.bundle_discont\" = [0.1]\n", []string{"sweep[0].grid", `unknown parameter "sellers.azure.bundle_discont"`, `did you mean "sellers.azure.bundle_discount"`}},
	{"empty sweep grid", minimal + "[[sweep]]\nscenario = \"h\"\n", []string{"sweep[0].grid: empty"}},
	{"other_revenue points wrong", minimal + "[market]\nother_revenue.points = [{month = \"2025-01\", annualized_usd = \"x\"}]\n", []string{"market.other_revenue.points: [0].annualized_usd: want a number"}},

	// Includes.
	{"missing include", top(`include = "nope.toml"`), []string{"nope.toml: included file: no such file"}},
	{"include too far up", top(`include = "../../../../../../../../../x.toml"`), []string{`include: "../../../../../../../../../x.toml": name an included file by a path relative to the experiment file, at most 8 directories up`}},
	{"include absolute", top(`include = "/etc/x.toml"`), []string{`include: "/etc/x.toml": name an included file by a path relative to the experiment file`}},
	{"missing include above", top(`include = "../nope.toml"`), []string{"nope.toml: included file: no such file"}},
}

// maxErrorLen is the longest error TestLoadErrors allows: four lines of a
// terminal 100 columns wide.
const maxErrorLen = 400

// TestLoadErrors checks every invalid input's message: it names the file,
// where in it, and what to fix, on one line.
func TestLoadErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			e, err := LoadBytes([]byte(c.toml), "bad.toml", dir)
			if err == nil {
				t.Fatalf("loaded %q (%d scenarios), want an error", e.Name, len(e.Scenarios))
			}
			msg := err.Error()
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %q is not ErrInvalid", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			if n := len([]rune(msg)); n > maxErrorLen {
				t.Errorf("error is %d characters, want at most %d (four lines)", n, maxErrorLen)
			}
			// The file is named first; an include's error names the include.
			if !strings.HasPrefix(msg, "bad.toml") && !strings.HasPrefix(msg, filepath.Join(dir, "nope.toml")) {
				t.Errorf("error %q does not start with the file name", msg)
			}
			if len(c.want) == 0 {
				t.Fatal("no expected substrings")
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q\n\tlacks %q", msg, w)
				}
			}
		})
	}
}

// TestLoadMissingFile checks that a path that does not exist is named.
func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "absent.toml")
	_, err := Load(p)
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("Load(%s) = %v, want an error naming the file", p, err)
	}
}

// TestLoadInclude checks that an included file's [market] applies before
// the experiment's own, and that its errors name the included file.
func TestLoadInclude(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("sub/fit.toml", "[market]\nbuyers.agents = 321\nbuyers.accounts = 5000\n")
	write("exp.toml", top(`include = "sub/fit.toml"`)+"[market]\nbuyers.accounts = 7000\n")
	e, err := Load(filepath.Join(dir, "exp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Market.Buyers.Agents; got != 321 {
		t.Errorf("buyers.agents = %d, want 321 from the include", got)
	}
	if got := e.Market.Buyers.Accounts; got != 7000 {
		t.Errorf("buyers.accounts = %v, want 7000: [market] applies after the include", got)
	}

	write("sub/bad.toml", "[market]\nbuyers.agentz = 3\n")
	write("exp2.toml", top(`include = "sub/bad.toml"`))
	_, err = Load(filepath.Join(dir, "exp2.toml"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "sub", "bad.toml")+":2: market.buyers.agentz: unknown parameter") {
		t.Errorf("bad include: error %v, want it to name sub/bad.toml and the key", err)
	}
	write("sub/extra.toml", "[market]\nbuyers.agents = 3\n[other]\nx = 1\n")
	write("exp3.toml", top(`include = "sub/extra.toml"`))
	_, err = Load(filepath.Join(dir, "exp3.toml"))
	if err == nil || !strings.Contains(err.Error(), "extra.toml:3: other: not allowed in an included file: an included file may hold only a [market] table") {
		t.Errorf("include with another table: error %v, want other.x refused in extra.toml, saying what an include may hold", err)
	}
}

// TestIncludeCycle checks that an include cycle is named as one, with what
// an included file may hold (it was reported as "include: unknown key",
// and a self-include as "name: unknown key").
func TestIncludeCycle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.toml", top(`include = "b.toml"`))
	b := write("b.toml", "include = \"a.toml\"\n[market]\nbuyers.agents = 3\n")
	self := write("self.toml", top(`include = "self.toml"`))
	write("c.toml", "include = \"d.toml\"\n")
	write("d.toml", "[market]\nbuyers.agents = 3\n")
	nested := write("n.toml", top(`include = "c.toml"`))
	write("e.toml", "include = \"e.toml\"\n")
	selfInc := write("ee.toml", top(`include = "e.toml"`))
	e := filepath.Join(dir, "e.toml")
	hold := "an included file may hold only a [market] table"
	for _, c := range []struct {
		file string
		want string
	}{
		{a, b + ": include: include cycle: a.toml → b.toml → a.toml: " + hold},
		{self, self + ":1: include: include cycle: self.toml → self.toml: an experiment cannot include itself; " + hold},
		{nested, "c.toml: include: an included file cannot include others: list every include in the experiment file; " + hold},
		{selfInc, e + ": include: include cycle: ee.toml → e.toml → e.toml: " + hold},
	} {
		_, err := Load(c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s) = %v\n\twant it to contain %q", filepath.Base(c.file), err, c.want)
		}
	}
}

// exampleFiles returns every experiment file in the repository that is
// meant to be valid: reference.toml and testdata/*.toml (invalid inputs
// live in badCases, not in files). A new example is covered by adding it.
func exampleFiles(t testing.TB) []string {
	t.Helper()
	files := []string{"reference.toml"}
	more, err := filepath.Glob(filepath.Join("testdata", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	if len(more) == 0 {
		t.Fatal("no testdata/*.toml examples found")
	}
	examples, err := filepath.Glob(filepath.Join("examples", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) == 0 {
		t.Fatal("no examples/*.toml found")
	}
	return append(files, examples...)
}

// TestExamplesValid loads every example experiment and the embedded default.
func TestExamplesValid(t *testing.T) {
	t.Parallel()
	for _, f := range exampleFiles(t) {
		t.Run(f, func(t *testing.T) {
			e, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(e.Scenarios) == 0 || e.Hash == "" {
				t.Errorf("%s: %d scenarios, hash %q", f, len(e.Scenarios), e.Hash)
			}
		})
	}
	t.Run("default", func(t *testing.T) {
		e, err := Default()
		if err != nil {
			t.Fatal(err)
		}
		// Default's doc comment promises these.
		if e.Runs != 1000 || len(e.Scenarios) != 8 || e.Market.Buyers.Agents != 10000 ||
			e.Market.Start.String() != "2019-07" || e.Market.End.String() != "2032-12" ||
			e.WindowStart.String() != "2026-01" || e.WindowEnd.String() != "2030-12" {
			t.Errorf("default: %d runs, %d scenarios, %d buyers, %s..%s, window %s..%s; want what Default documents",
				e.Runs, len(e.Scenarios), e.Market.Buyers.Agents, e.Market.Start, e.Market.End, e.WindowStart, e.WindowEnd)
		}
		// DefaultTOML is the same text: it loads to the same experiment
		// (fitted.toml and the posterior copied beside it).
		if e.Uncertainty == nil || e.Uncertainty.Posterior == nil {
			t.Error("default: no posterior in its [uncertainty] table; Default documents one")
		}
		dir := t.TempDir()
		for _, name := range []string{"fitted.toml", DefaultPosteriorFile} {
			data, err := os.ReadFile(filepath.Join("default", name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		e2, err := LoadBytes(DefaultTOML(), "default.toml", dir)
		if err != nil {
			t.Fatal(err)
		}
		if e2.Hash != e.Hash {
			t.Error("DefaultTOML loads to another experiment than Default")
		}
	})
}

// TestReferenceSweep checks what reference.toml promises of sweeps,
// inline regimes and overrides.
func TestReferenceSweep(t *testing.T) {
	t.Parallel()
	e, err := Load("reference.toml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"history", "cap-20b", "cheap-azure",
		"history[sellers.azure.bundle_discount=0]", "history[sellers.azure.bundle_discount=0.2]"}
	got := scenarioNames(e.Scenarios)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("scenarios %q, want %q", got, want)
	}
	if d := e.Scenarios[4].Market.Sellers[1].BundleDiscount; d != 0.2 {
		t.Errorf("sweep point 0.2: azure bundle discount %v", d)
	}
	if d := e.Scenarios[0].Market.Sellers[1].BundleDiscount; d != 0.10 {
		t.Errorf("history: azure bundle discount %v, want 0.10 from [market]", d)
	}
	if p := e.Scenarios[2].Market.Sellers[1].ListPrice; p != 0.9 {
		t.Errorf("cheap-azure: azure list price %v, want 0.9", p)
	}
	if e.Scenarios[1].Regime.Name != "cap-20b" || e.Scenarios[1].Compiled == nil {
		t.Errorf("cap-20b scenario runs regime %q", e.Scenarios[1].Regime.Name)
	}
}

// TestWithRunsSeed checks that --runs and --seed change the hash (so
// shards and resumes of different settings are refused) and validate.
func TestWithRunsSeed(t *testing.T) {
	t.Parallel()
	e, err := LoadBytes([]byte(minimal), "m.toml", ".")
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.WithRuns(3)
	if err != nil || r.Runs != 3 || r.Hash == e.Hash || e.Runs != 2 {
		t.Errorf("WithRuns(3): runs %d, err %v, hash changed %v, original runs %d", r.Runs, err, r.Hash != e.Hash, e.Runs)
	}
	var ve *agents.ValueError
	if _, err := e.WithRuns(0); !errors.As(err, &ve) || ve.Key != "--runs" || err.Error() != "--runs 0, want 1 to 10000000" {
		t.Errorf("WithRuns(0): %v", err)
	}
	s := e.WithSeed(9)
	if s.Seed != 9 || s.Hash == e.Hash || e.Seed != 1 {
		t.Errorf("WithSeed(9): seed %d, hash changed %v, original seed %d", s.Seed, s.Hash != e.Hash, e.Seed)
	}
}

// TestDefaultTOMLStandsAlone checks that what `coopsim default` prints
// loads where it is saved, with its posterior but no fitted.toml beside it,
// to the same experiment as the built-in default (issue: it included
// fitted.toml, which a saved copy cannot find).
func TestDefaultTOMLStandsAlone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "my.toml")
	if err := os.WriteFile(p, DefaultTOML(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, DefaultPosteriorFile), DefaultPosterior(), 0o644); err != nil {
		t.Fatal(err)
	}
	saved, err := Load(p)
	if err != nil {
		t.Fatalf("the printed default does not load where it is saved: %v", err)
	}
	builtin, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if saved.Hash != builtin.Hash {
		t.Errorf("saved default hash %s, built-in %s: they must run the same experiment", saved.Hash, builtin.Hash)
	}
}

// TestIncludeAboveRoot: an include or posterior that climbs above the file
// system's root says so, instead of the file system's "invalid argument".
func TestIncludeAboveRoot(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"a/exp.toml": {Data: []byte(minimal)}}
	for _, c := range []struct{ key, text, want string }{
		{"include", top(`include = "../../../../../../../etc/passwd"`), `include: "../../../../../../../etc/passwd" climbs above the file system's root, which is 1 directory above the experiment file's: name an included file at most that far up`},
		{"posterior", minimal + "[uncertainty]\nposterior = \"../../p.csv\"\n", `uncertainty.posterior: "../../p.csv" climbs above the file system's root`},
	} {
		_, err := loadData(fsys, []byte(c.text), "a/exp.toml", "exp.toml", "a", "a")
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "invalid argument") {
			t.Errorf("%s: error %v, want %q", c.key, err, c.want)
		}
	}
}
