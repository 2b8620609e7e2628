package parquetio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/experiments/report/parquetio"
	"github.com/parquet-go/parquet-go"
)

// awkward are float64 values whose bits a lossy path would change: signed
// zeros, subnormals, the extremes, non-finite values, NaN with a payload,
// and values whose shortest decimal text is long.
var awkward = []float64{
	0, math.Copysign(0, -1), math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
	math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(),
	math.Float64frombits(0x7ff8_0000_dead_beef), 1.0 / 3, 9.581494621451147e+09,
	0.1 + 0.2, 38e9, -1e-300, 2.2250738585072014e-308, 123456789012345678,
}

// runRows returns n rows over 3 scenarios and 7 metrics with values from
// awkward and a deterministic spread of others.
func runRows(n int) []report.RunRow {
	rows := make([]report.RunRow, n)
	for i := range rows {
		v := awkward[i%len(awkward)]
		if i >= len(awkward) {
			v = math.Float64frombits(uint64(i) * 0x9e3779b97f4a7c15) // any bits, NaNs included
		}
		rows[i] = report.RunRow{Scenario: fmt.Sprintf("scenario-%d", i/(7*1000)%3), Run: i / 7 % 1000,
			Metric: fmt.Sprintf("net_revenue/firm%d", i%7), Value: v}
	}
	return rows
}

func seriesRows(n int) []report.SeriesRow {
	rows := make([]report.SeriesRow, n)
	for i := range rows {
		f := func(k int) float64 { return awkward[(i+k)%len(awkward)] }
		rows[i] = report.SeriesRow{Scenario: fmt.Sprintf("s%d", i%4), Month: fmt.Sprintf("%04d-%02d", 2019+i/12%20, 1+i%12),
			Metric: "share/azure", Mean: f(0), P5: f(1), P25: f(2), P50: f(3), P75: f(4), P95: f(5)}
	}
	return rows
}

func same(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func sameRun(a, b report.RunRow) bool {
	return a.Scenario == b.Scenario && a.Run == b.Run && a.Metric == b.Metric && same(a.Value, b.Value)
}

func sameSeries(a, b report.SeriesRow) bool {
	return a.Scenario == b.Scenario && a.Month == b.Month && a.Metric == b.Metric && same(a.Mean, b.Mean) &&
		same(a.P5, b.P5) && same(a.P25, b.P25) && same(a.P50, b.P50) && same(a.P75, b.P75) && same(a.P95, b.P95)
}

// TestRoundTrip: every row and every float64's bits come back as written,
// across the writer's batches (and, without -short, across row groups).
func TestRoundTrip(t *testing.T) {
	n := 3*4096 + 17
	if !testing.Short() {
		n = parquetio.RowGroupRows + 4096 + 5
	}
	dir := t.TempDir()
	runs, series := runRows(n), seriesRows(5000)
	rp, sp := filepath.Join(dir, parquetio.RunsFile), filepath.Join(dir, parquetio.SeriesFile)
	if err := parquetio.WriteRuns(rp, runs); err != nil {
		t.Fatal(err)
	}
	if err := parquetio.WriteSeries(sp, series); err != nil {
		t.Fatal(err)
	}
	if got, want := rowGroups(t, rp), (n+parquetio.RowGroupRows-1)/parquetio.RowGroupRows; got != want {
		t.Errorf("%d rows in %d row groups, want %d of at most %d rows", n, got, want, parquetio.RowGroupRows)
	}
	gotRuns, err := parquetio.ReadRuns(rp)
	if err != nil {
		t.Fatal(err)
	}
	if len(gotRuns) != len(runs) {
		t.Fatalf("read %d runs rows, wrote %d", len(gotRuns), len(runs))
	}
	for i := range runs {
		if !sameRun(gotRuns[i], runs[i]) {
			t.Fatalf("runs row %d: read %+v (value bits %#x), wrote %+v (%#x)", i, gotRuns[i],
				math.Float64bits(gotRuns[i].Value), runs[i], math.Float64bits(runs[i].Value))
		}
	}
	gotSeries, err := parquetio.ReadSeries(sp)
	if err != nil {
		t.Fatal(err)
	}
	if len(gotSeries) != len(series) {
		t.Fatalf("read %d series rows, wrote %d", len(gotSeries), len(series))
	}
	for i := range series {
		if !sameSeries(gotSeries[i], series[i]) {
			t.Fatalf("series row %d: read %+v, wrote %+v", i, gotSeries[i], series[i])
		}
	}
}

// TestDeterministic: writing the same rows twice gives the same bytes, and
// converting a CSV file gives the bytes of writing its rows directly.
func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	// Finite values only: runs.csv holds what a run produces.
	rows := runRows(20000)
	for i := range rows {
		if math.IsNaN(rows[i].Value) || math.IsInf(rows[i].Value, 0) {
			rows[i].Value = float64(i)
		}
	}
	a, b := filepath.Join(dir, "a.parquet"), filepath.Join(dir, "b.parquet")
	for _, p := range []string{a, b} {
		if err := parquetio.WriteRuns(p, rows); err != nil {
			t.Fatal(err)
		}
	}
	sameBytes(t, a, b)

	csvPath := filepath.Join(dir, report.RunsFile)
	w, err := report.CreateRuns(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	c := filepath.Join(dir, "c.parquet")
	if err := parquetio.ConvertRuns(csvPath, c); err != nil {
		t.Fatal(err)
	}
	sameBytes(t, a, c)
}

func rowGroups(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if cb := pf.Metadata().CreatedBy; cb != "coopsim" {
		t.Errorf("created_by %q, want the fixed \"coopsim\"", cb)
	}
	return len(pf.RowGroups())
}

func sameBytes(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Errorf("%s (%d bytes) and %s (%d bytes) differ", a, len(x), b, len(y))
	}
}

// resultDir writes o's result files and their Parquet copies into a new
// directory.
func resultDir(t *testing.T, o *experiments.Outcome) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := o.WriteAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := parquetio.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestInvariance: one worker, two workers, and three shards merged give
// byte-identical Parquet files, which hold exactly the CSV files' rows.
func TestInvariance(t *testing.T) {
	e, err := experiments.Load("../../testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	run := func(opt experiments.Options) *experiments.Outcome {
		o, err := experiments.Run(context.Background(), e, opt)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	one := resultDir(t, run(experiments.Options{Workers: 1}))
	two := resultDir(t, run(experiments.Options{Workers: 2}))
	var shards []string
	for k := 1; k <= 3; k++ {
		d := t.TempDir()
		if err := run(experiments.Options{Workers: 2, Shard: experiments.Shard{K: k, N: 3}}).SavePartial(d, true); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, d)
	}
	m, err := experiments.Merge(shards)
	if err != nil {
		t.Fatal(err)
	}
	merged := resultDir(t, m)
	for _, f := range []string{parquetio.RunsFile, parquetio.SeriesFile} {
		sameBytes(t, filepath.Join(one, f), filepath.Join(two, f))
		sameBytes(t, filepath.Join(one, f), filepath.Join(merged, f))
	}
	csvRuns, err := report.ReadRuns(filepath.Join(one, report.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	pqRuns, err := parquetio.ReadRuns(filepath.Join(one, parquetio.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(csvRuns) == 0 || len(pqRuns) != len(csvRuns) {
		t.Fatalf("runs.parquet has %d rows, runs.csv %d", len(pqRuns), len(csvRuns))
	}
	for i := range csvRuns {
		if !sameRun(csvRuns[i], pqRuns[i]) {
			t.Fatalf("row %d: parquet %+v, csv %+v", i, pqRuns[i], csvRuns[i])
		}
	}
	csvSeries, err := report.ReadSeries(filepath.Join(one, report.SeriesFile))
	if err != nil {
		t.Fatal(err)
	}
	pqSeries, err := parquetio.ReadSeries(filepath.Join(one, parquetio.SeriesFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(csvSeries) == 0 || len(pqSeries) != len(csvSeries) {
		t.Fatalf("series.parquet has %d rows, series.csv %d", len(pqSeries), len(csvSeries))
	}
	for i := range csvSeries {
		if !sameSeries(csvSeries[i], pqSeries[i]) {
			t.Fatalf("row %d: parquet %+v, csv %+v", i, pqSeries[i], csvSeries[i])
		}
	}
}

// TestErrors: a missing or corrupt file is a *report.FileError naming it,
// and a failed conversion leaves no file behind.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.parquet")
	if err := os.WriteFile(bad, []byte("not parquet at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bad, filepath.Join(dir, "missing.parquet")} {
		_, err := parquetio.ReadRuns(p)
		var fe *report.FileError
		if !errors.As(err, &fe) || fe.Path != p {
			t.Errorf("ReadRuns(%s): %v, want a *report.FileError naming it", p, err)
		}
	}
	csvPath := filepath.Join(dir, report.RunsFile)
	if err := os.WriteFile(csvPath, []byte("scenario,run,metric,value\nh,0,m,1\nh,x,m,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, parquetio.RunsFile)
	if err := parquetio.ConvertRuns(csvPath, dst); err == nil {
		t.Error("a bad runs.csv converted without error")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "bad.parquet" && e.Name() != report.RunsFile {
			t.Errorf("a failed conversion left %s", e.Name())
		}
	}
}
