package calibration

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/calibration/posterior"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/market"
)

const priorTarget = "[[target]]\nname = \"a\"\nmoment = \"adoption\"\ndate = \"2023-04\"\nvalue = 0.3\nsd = 0.03\n"

// A prior given beside a parameter is read and resolved; an invalid one is
// refused with the parameter's path and the fix.
func TestPriorParsing(t *testing.T) {
	ok := priorTarget + "[[param]]\npath = \"buyers.diffusion.p\"\nmin = 0.01\nmax = 0.1\nprior = {dist = \"normal\", mean = 0.05, sd = 0.02}\n"
	tg, err := ParseTargets([]byte(ok), "t.toml")
	if err != nil {
		t.Fatal(err)
	}
	p := &tg.Params[0]
	if got := p.PriorText(); !strings.Contains(got, "normal(0.05, 0.02)") {
		t.Errorf("prior %q", got)
	}
	if lp := p.priorOf().LogProb(0.2); lp > -1e300 {
		t.Errorf("prior outside the bounds has log density %g, want -Inf", lp)
	}
	def := DefaultTargets()
	for i := range def.Params {
		if !strings.Contains(def.Params[i].PriorText(), "(default)") {
			t.Errorf("%s: prior %q, want the documented default", def.Params[i].Path, def.Params[i].PriorText())
		}
	}
	for name, prior := range map[string]string{
		"sd":       `{dist = "normal", mean = 0.05, sd = -1}`,
		"discrete": `{dist = "discrete", values = [0.02, 0.05]}`,
		"outside":  `{dist = "uniform", low = 5, high = 6}`,
	} {
		src := strings.Replace(ok, `{dist = "normal", mean = 0.05, sd = 0.02}`, prior, 1)
		_, err := ParseTargets([]byte(src), "t.toml")
		if err == nil || !strings.Contains(err.Error(), `"buyers.diffusion.p"`) || !strings.Contains(err.Error(), "t.toml") {
			t.Errorf("%s: error %v, want one naming the file and the parameter", name, err)
		}
		var se *dist.SpecError
		if name == "sd" && !errors.As(err, &se) {
			t.Errorf("sd: %v is not a *dist.SpecError", err)
		}
	}
}

// A small posterior run on the market: it finishes, its draws stay in the
// bounds, every target gets a predictive check, fit.json carries the
// diagnostics, and posterior.csv holds one row per kept draw with one
// column per parameter.
func TestPosteriorOnMarket(t *testing.T) {
	if testing.Short() {
		t.Skip("samples a small posterior on the market: seconds")
	}
	tg, err := ParseTargets([]byte(recoveryProblem), "recovery")
	if err != nil {
		t.Fatal(err)
	}
	base := market.DefaultConfig()
	base.Buyers.Agents = 500
	fit, err := Fit(context.Background(), base, tg, Options{Runs: 4, Starts: 1, MaxEvals: 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := PosteriorOptions{Predictive: 10}
	opt.Runs, opt.Chains, opt.Warmup, opt.Iterations, opt.Workers = 4, 2, 10, 15, 2
	rep, err := Posterior(context.Background(), base, tg, fit, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	fit.Posterior = rep
	if len(rep.Predictive) != len(tg.Targets) || len(rep.Params) != len(tg.Params) || len(rep.Acceptance) != 2 {
		t.Fatalf("%d checks, %d params, %d chains", len(rep.Predictive), len(rep.Params), len(rep.Acceptance))
	}
	dir := t.TempDir()
	if err := fit.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, PosteriorFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]string{"chain"}, tg.Paths()...); strings.Join(rows[0], ",") != strings.Join(want, ",") {
		t.Errorf("header %v, want %v", rows[0], want)
	}
	if len(rows) != 1+2*15 {
		t.Errorf("%d rows, want 1 + 30", len(rows))
	}
	for _, row := range rows[1:] {
		for j, p := range tg.Params {
			v, err := strconv.ParseFloat(row[j+1], 64)
			if err != nil || v < p.Min || v > p.Max {
				t.Fatalf("%s = %s outside [%g, %g] (%v)", p.Path, row[j+1], p.Min, p.Max, err)
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "fit.json"))
	if err != nil {
		t.Fatal(err)
	}
	var js struct {
		Posterior struct {
			Acceptance []float64 `json:"acceptance"`
			Params     []struct {
				ESS  float64 `json:"ess"`
				RHat float64 `json:"rhat"`
			} `json:"params"`
			Predictive []struct{ PIT float64 } `json:"predictive"`
			Priors     []string                `json:"priors"`
		} `json:"posterior"`
	}
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Posterior.Params) != len(tg.Params) || len(js.Posterior.Predictive) != len(tg.Targets) || len(js.Posterior.Priors) != len(tg.Params) {
		t.Errorf("fit.json posterior: %s", bytes.TrimSpace(b[:min(len(b), 400)]))
	}
}

// Parameters whose chains have not mixed are named, in the table's
// warning and in fit.json; mixed ones are not.
func TestUnmixedNamed(t *testing.T) {
	res := &posterior.Result{Params: []posterior.Summary{
		{Name: "good", RHat: 1.01, ESS: 800},
		{Name: "split", RHat: 1.5, ESS: 800},
		{Name: "few", RHat: 1.02, ESS: 20},
		{Name: "stuck", RHat: math.Inf(1), ESS: math.NaN()},
	}}
	r := &PosteriorReport{Result: res, Iterations: 4000, Priors: []string{"a", "b", "c", "d"}}
	r.Unmixed = r.unmixed()
	if got := strings.Join(r.Unmixed, ","); got != "split,few,stuck" {
		t.Errorf("unmixed %q, want split,few,stuck", got)
	}
	var b bytes.Buffer
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "warning: the chains have not mixed for split, few, stuck") || !strings.Contains(b.String(), "the same command with --draws 16000 (the shipped") {
		t.Errorf("table:\n%s", b.String())
	}
}

// The posterior's simulator runs the market through the same engine plan
// as the point fit: at one parameter vector, its batch over the keys
// {seed, 0..R−1} gives each target the fit's moments (the segment and
// cloud targets among them, which need the runs' breakdown), and a batch
// with a different vector per run gives each run its own vector's moments.
func TestPosteriorSimulatorMatchesFit(t *testing.T) {
	tg := DefaultTargets()
	base := market.DefaultConfig()
	base.Buyers.Agents = 300
	base.End = tg.lastDate()
	reg, err := market.BuiltinRegime(tg.Regime)
	if err != nil {
		t.Fatal(err)
	}
	prob, err := posteriorProblem(&base, reg, tg)
	if err != nil {
		t.Fatal(err)
	}
	thetas := make([][]float64, 2)
	for k, u := range []float64{0.4, 0.6} {
		for j := range tg.Params {
			thetas[k] = append(thetas[k], tg.Params[j].priorOf().Quantile(u))
		}
	}
	const seed, runs = 7, 3
	fitSim, err := newSimulator(&base, reg, tg, seed, runs, 2)
	if err != nil {
		t.Fatal(err)
	}
	ms := prob.Sim.(*momentSim)
	for k, theta := range thetas {
		var cfg market.Config
		if err := ms.configure(&cfg, theta); err != nil {
			t.Fatal(err)
		}
		want, _, err := fitSim.moments(context.Background(), &cfg)
		if err != nil {
			t.Fatal(err)
		}
		// Runs 0..2 at theta k, and run 1 again at the other vector.
		rows := make([][]float64, runs+1)
		for i := range rows {
			rows[i] = make([]float64, len(tg.Targets))
		}
		b := &posterior.Batch{Seed: seed, Runs: []int{0, 1, 2, 1}, Rows: rows, Workers: 2,
			Theta: func(i int) []float64 { return thetas[(k+i/runs)%2] }}
		if err := prob.Sim.SimulateRuns(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		for i, tgt := range tg.Targets {
			got := (rows[0][i] + rows[1][i] + rows[2][i]) / runs
			if math.IsNaN(got) || math.Abs(got-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
				t.Errorf("theta %d, %s: posterior simulator %g, fit %g", k, tgt.Name, got, want[i])
			}
		}
		if k == 0 {
			continue
		}
		// Run 1 at theta 0 (the batch's last run) is the first pass's run 1.
		var cfg0 market.Config
		if err := ms.configure(&cfg0, thetas[0]); err != nil {
			t.Fatal(err)
		}
		if _, _, err := fitSim.moments(context.Background(), &cfg0); err != nil {
			t.Fatal(err)
		}
		for i := range tg.Targets {
			if w := fitSim.perRun[1*len(tg.Targets)+i]; rows[3][i] != w && !(math.IsNaN(w) && math.IsNaN(rows[3][i])) {
				t.Errorf("%s: run 1 at the other vector %g, want %g", tg.Targets[i].Name, rows[3][i], w)
			}
		}
	}
}

// The unmixed warning suggests four times the kept draws (a --quick
// sample's 200: 800), within what --draws takes: MaxDraws for fifteen
// parameters in four chains, fewer for forty.
func TestSuggestDraws(t *testing.T) {
	for _, c := range [][3]int{{200, 15, 800}, {4000, 15, 16_000}, {8_000, 15, 32_000}, {16_000, 15, MaxDraws}, {16_000, 40, MostDraws(40, 4)}} {
		if got := suggestDraws(c[0], c[1], 4); got != c[2] {
			t.Errorf("suggestDraws(%d draws, %d parameters) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

// TestMostDraws: MaxDraws for up to sixteen parameters in four chains;
// with more, the most draws whose posterior.csv, at the longest values (17
// digits, a sign, a point and a three-digit exponent, with its comma),
// stays within experiments.MaxPosteriorBytes, and one more would not.
func TestMostDraws(t *testing.T) {
	if got := MostDraws(16, 4); got != MaxDraws {
		t.Errorf("MostDraws(16 parameters, 4 chains) = %d, want MaxDraws %d", got, MaxDraws)
	}
	value := len("," + strconv.FormatFloat(-1.2345678901234567e-300, 'g', -1, 64))
	if value != csvValueBytes {
		t.Errorf("the longest value takes %d bytes, csvValueBytes is %d", value, csvValueBytes)
	}
	const params, chains = 40, 4
	row := len("999") + params*value + 1
	most := MostDraws(params, chains)
	if most >= MaxDraws || chains*most*row > experiments.MaxPosteriorBytes || chains*(most+1)*row <= experiments.MaxPosteriorBytes {
		t.Errorf("MostDraws(%d parameters, %d chains) = %d: %d bytes at most, limit %d", params, chains, most, chains*most*row, experiments.MaxPosteriorBytes)
	}
}
