package report

import (
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func testSummary() *Summary {
	return &Summary{
		Experiment: "demo", Seed: 42, Runs: 3, CodeVersion: "v0.0.0-test",
		ExperimentHash: strings.Repeat("ab", 32), Baseline: "base",
		WindowStart: "2026-01", WindowEnd: "2030-12", Start: "2019-07", End: "2032-12",
		Scenarios: []ScenarioSummary{
			{Name: "base", Regime: "2026_amended",
				Cap:     &Cap{AmountUSD: 3.8e10, Start: "2026-01", End: "2032-12"},
				Metrics: []MetricSummary{{Metric: "net_revenue/openai", N: 3, Mean: 1.5e11, SD: 1e10, SE: 5.7e9, P5: 1.4e11, P25: 1.45e11, P50: 1.5e11, P75: 1.55e11, P95: 1.6e11}}},
			{Name: "excl", Regime: "2019_original",
				Metrics:     []MetricSummary{{Metric: "net_revenue/openai", N: 3, Mean: 0.1, P50: 1.0 / 3}},
				Differences: []Difference{{Metric: "net_revenue/openai", Mean: -1e9, SE: 2e8, Lo95: -1.8e9, Hi95: -2e8}}},
		},
		Warnings: []string{"cap bound in 2 of 3 runs"},
	}
}

func TestSummaryRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, SummaryFile)
	want := testSummary()
	if err := WriteSummary(p, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSummary(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\ngot  %+v\nwant %+v", got, want)
	}
	b, _ := os.ReadFile(p)
	// Key order follows the struct; two-space indent; stop_reason omitted.
	for _, frag := range []string{"{\n  \"experiment\": \"demo\",\n  \"seed\": 42,\n  \"runs\": 3,\n  \"code_version\"",
		"\"start\": \"2019-07\",\n  \"end\": \"2032-12\",\n  \"scenarios\"", "\"p50\": 0.3333333333333333"} {
		if !strings.Contains(string(b), frag) {
			t.Errorf("summary.json lacks %q:\n%s", frag, b)
		}
	}
	if strings.Contains(string(b), "stop_reason") {
		t.Error("empty stop_reason not omitted")
	}
}

func TestSummaryInvalid(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, SummaryFile)
	s := testSummary()
	s.Scenarios[1].Metrics[0].Mean = math.NaN()
	err := WriteSummary(p, s)
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), `"excl"`) {
		t.Errorf("WriteSummary with NaN: %v", err)
	}
	if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("invalid summary was written: %v", err)
	}
	for name, text := range map[string]string{
		"syntax":   "{\n  \"experiment\": \"x\",\n  \"seed\": oops\n}",
		"unknown":  `{"experiment": "x", "sede": 1}`,
		"baseline": `{"experiment":"x","baseline":"nope","window_start":"2026-01","window_end":"2026-12","start":"2019-07","end":"2032-12","scenarios":[{"name":"a","regime":"r","metrics":[]}]}`,
		"month":    `{"experiment":"x","baseline":"a","window_start":"2026-1","window_end":"2026-12","start":"2019-07","end":"2032-12","scenarios":[{"name":"a","regime":"r","metrics":[]}]}`,
		"empty":    "",
	} {
		os.WriteFile(p, []byte(text), 0o644)
		_, err := ReadSummary(p)
		var fe *FileError
		if err == nil || !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), p+" ") && !strings.HasPrefix(err.Error(), p+": ") {
			t.Errorf("%s: ReadSummary error %v does not name the file", name, err)
		} else if name == "syntax" && !strings.HasPrefix(err.Error(), p+" line 3: not valid JSON") {
			t.Errorf("syntax error %v does not name line 3", err)
		}
	}
}

func TestRunsRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), RunsFile)
	want := []RunRow{
		{"base", 0, "net_revenue/openai", 1.2345678901234567e11},
		{"base", 0, "cap_bound", 1},
		{"base", 1, "net_revenue/openai", 0.1},
		{"odd, \"name\"", 1, "annualized/azure@2028-12", -3.5e-7},
		{"base", 2, "x", math.Inf(1)},
	}
	w, err := CreateRuns(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range want {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRuns(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\ngot  %v\nwant %v", got, want)
	}
	b, _ := os.ReadFile(p)
	if !strings.HasPrefix(string(b), "scenario,run,metric,value\nbase,0,net_revenue/openai,1.2345678901234567e+11\n") {
		t.Errorf("runs.csv starts\n%s", b)
	}
	onlyFile(t, filepath.Dir(p), RunsFile)
}

func TestSeriesRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), SeriesFile)
	want := []SeriesRow{
		{"base", "2026-01", "net_revenue/openai", 1e9, 0.8e9, 0.9e9, 1e9, 1.1e9, 1.2e9},
		{"base", "2026-02", "share/azure", 0.1, 0.05, 0.07, 0.1, 0.13, 1.0 / 7},
	}
	w, err := CreateSeries(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range want {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(want[0]); err == nil {
		t.Error("Write after Commit: no error")
	}
	got, err := ReadSeries(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\ngot  %v\nwant %v", got, want)
	}
}

// onlyFile checks that dir holds exactly the named files (no temporaries).
func onlyFile(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if !reflect.DeepEqual(got, names) && !(len(got) == 0 && len(names) == 0) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func TestAtomicity(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	boom := errors.New("boom")

	// A failing write creates no file and leaves no temporary file.
	err := WriteFileAtomic(p, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("half ", 100000)) // more than the buffer: reaches the disk
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), p) {
		t.Errorf("WriteFileAtomic error = %v, want boom naming %s", err, p)
	}
	onlyFile(t, dir)

	// A failing write leaves an existing file as it was.
	os.WriteFile(p, []byte("old"), 0o644)
	WriteFileAtomic(p, func(w io.Writer) error { io.WriteString(w, "new"); return boom })
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("after failed write, file holds %q", b)
	}
	onlyFile(t, dir, "f.txt")
	os.Remove(p)

	// An aborted or failed streaming writer leaves nothing.
	rp := filepath.Join(dir, RunsFile)
	w, err := CreateRuns(rp)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20000 {
		w.Write(RunRow{"s", i, "m", float64(i)})
	}
	w.Abort()
	onlyFile(t, dir)
	sw, _ := CreateSeries(filepath.Join(dir, SeriesFile))
	if err := sw.Write(SeriesRow{Scenario: "s", Month: "2026-13", Metric: "m"}); err == nil || !strings.Contains(err.Error(), SeriesFile) {
		t.Errorf("bad month: error %v", err)
	}
	if err := sw.Commit(); err == nil {
		t.Error("Commit after failed Write: no error")
	}
	onlyFile(t, dir)

	// A directory that does not exist: error names the file.
	bad := filepath.Join(dir, "nope", SummaryFile)
	if err := WriteSummary(bad, testSummary()); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("write into missing dir: %v", err)
	}
}

func TestCSVErrors(t *testing.T) {
	dir := t.TempDir()
	rp := filepath.Join(dir, RunsFile)
	sp := filepath.Join(dir, SeriesFile)
	for _, tc := range []struct {
		path, text, want string
	}{
		{rp, "", rp + " line 1: empty file"},
		{rp, "scenario,run,metric\n", rp + " line 1: wrong number of fields, want 4 (scenario,run,metric,value)"},
		{rp, "scenario,run,metric,val\n", rp + ` line 1: header "scenario,run,metric,val", want "scenario,run,metric,value"`},
		{rp, "scenario,run,metric,value\nbase,0,m,1\nbase,x,m,1\n", rp + ` line 3, column run: "x" is not a whole number`},
		{rp, "scenario,run,metric,value\nbase,0,m,1\nbase,99999999999999999999,m,1\n", rp + ` line 3, column run: "99999999999999999999" is too large`},
		{rp, "scenario,run,metric,value\nbase,0,m,1\nbase,0,m\n", rp + " line 3: wrong number of fields, want 4"},
		{rp, "scenario,run,metric,value\n,0,m,1\n", rp + ` line 2, column scenario: empty`},
		{sp, "scenario,month,metric,mean,p5,p25,p50,p75,p95\n" + strings.Repeat("a,2026-01,m,1,1,1,1,1,1\n", 15) + "a,2026-01,m,1,1,1,1.2.3,1,1\n",
			sp + ` line 17, column p50: "1.2.3" is not a number`},
		{sp, "scenario,month,metric,mean,p5,p25,p50,p75,p95\na,2026-1,m,1,1,1,1,1,1\n", sp + ` line 2, column month: month "2026-1" is not YYYY-MM`},
		{sp, "scenario,month,metric,mean,p5,p25,p50,p75,p95\na,2026-01,\"m,1,1,1,1,1,1\n", sp + " line 2: extraneous or missing \" in quoted-field"},
	} {
		os.WriteFile(tc.path, []byte(tc.text), 0o644)
		var err error
		if tc.path == rp {
			_, err = ReadRuns(rp)
		} else {
			_, err = ReadSeries(sp)
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("reading %q:\ngot  %v\nwant %s", tc.text, err, tc.want)
		}
	}
	_, err := ReadRuns(filepath.Join(dir, "missing.csv"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), SummaryFile) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("empty dir: %v", err)
	}
	if err := WriteSummary(filepath.Join(dir, SummaryFile), testSummary()); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), SeriesFile) {
		t.Errorf("no series: %v", err)
	}
	w, _ := CreateSeries(filepath.Join(dir, SeriesFile))
	rows := []SeriesRow{
		{"base", "2026-01", "m", 1, 1, 1, 1, 1, 1},
		{"excl", "2026-01", "m", 2, 2, 2, 2, 2, 2},
		{"base", "2026-02", "m", 3, 3, 3, 3, 3, 3},
	}
	for _, r := range rows {
		w.Write(r)
	}
	w.Commit()
	d, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.SeriesOf("base", "m"); !reflect.DeepEqual(got, []SeriesRow{rows[0], rows[2]}) {
		t.Errorf("SeriesOf = %v", got)
	}
	if d.HasRuns() {
		t.Error("HasRuns without runs.csv")
	}
	if err := d.LoadRuns(); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), RunsFile) {
		t.Errorf("LoadRuns without runs.csv: %v", err)
	}
	if sc := d.Summary.Scenario("excl"); sc == nil {
		t.Error("Scenario(excl) = nil")
	} else if dd, ok := sc.Difference("net_revenue/openai"); !ok || dd.Mean != -1e9 {
		t.Errorf("Difference = %v, %v", dd, ok)
	}

	// A series row naming an unknown scenario.
	w, _ = CreateSeries(filepath.Join(dir, SeriesFile))
	w.Write(rows[0])
	w.Write(SeriesRow{"ghost", "2026-01", "m", 1, 1, 1, 1, 1, 1})
	w.Commit()
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), SeriesFile+" line 3, column scenario: ") {
		t.Errorf("unknown scenario: %v", err)
	}
}
