package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The readers of result files take files that users may edit or that a
// crash may cut: whatever the bytes, they must return rows or an error
// naming the file, never panic, and never allocate beyond a bound (a line
// is at most MaxCSVLine, a summary at most MaxSummaryBytes). The seeds run
// under plain go test; fuzz with e.g.
//
//	go test ./experiments/report -run XXX -fuzz FuzzSummary -fuzztime 60s

// FuzzSummary parses arbitrary summary.json bytes. What it accepts is
// valid and survives a round trip through MarshalSummary unchanged.
func FuzzSummary(f *testing.F) {
	good, err := MarshalSummary(testSummary())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	if b, err := os.ReadFile(filepath.Join("..", "testdata", "golden", "small.summary.json")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"", "{}", "null", "[]", `{"experiment": "x"}`, `{"seed": -1}`, `{"runs": 1e400}`,
		`{"scenarios": [{"metrics": [{"n": 99999999999}]}]}`, string(good) + "{}", strings.Repeat("[", 10000)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseSummary(b)
		if err != nil {
			return
		}
		again, err := MarshalSummary(s)
		if err != nil {
			t.Fatalf("accepted a summary that does not marshal: %v", err)
		}
		s2, err := parseSummary(again)
		if err != nil || !reflect.DeepEqual(s, s2) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzCSV reads arbitrary bytes as runs.csv and as series.csv. What is
// accepted writes back and reads again as the same rows.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"scenario,run,metric,value\nbase,0,net_revenue/openai,1.2345678901234567e+11\nbase,1,cap_bound,1\n",
		"scenario,month,metric,mean,p5,p25,p50,p75,p95\nbase,2026-01,share/azure,0.1,0.05,0.07,0.1,0.13,0.2\n",
		"", "scenario,run,metric,value\n", "scenario,run,metric,value\n\"a\nb\",1,m,2\n", "scenario,run,metric,value\nx,-1,m,NaN\n",
		"scenario,month,metric,mean,p5,p25,p50,p75,p95\nb,2026-13,m,1,1,1,1,1,1\n", "\xef\xbb\xbfscenario,run,metric,value\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		runs, series := filepath.Join(dir, RunsFile), filepath.Join(dir, SeriesFile)
		for _, p := range []string{runs, series} {
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if rows, err := ReadRuns(runs); err == nil {
			roundTrip(t, rows, CreateRuns, func(w *RunsWriter, r RunRow) error { return w.Write(r) }, ReadRuns)
		} else {
			namesFile(t, err, runs)
		}
		if rows, err := ReadSeries(series); err == nil {
			roundTrip(t, rows, CreateSeries, func(w *SeriesWriter, r SeriesRow) error { return w.Write(r) }, ReadSeries)
		} else {
			namesFile(t, err, series)
		}
	})
}

func namesFile(t *testing.T, err error, path string) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) || fe.Path != path {
		t.Errorf("error %v does not name %s", err, path)
	}
}

type committer interface{ Commit() error }

func roundTrip[R any, W committer](t *testing.T, rows []R, create func(string) (W, error), write func(W, R) error, read func(string) ([]R, error)) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "again.csv")
	w, err := create(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := write(w, r); err != nil {
			return // a row the writer refuses (e.g. not finite) was read: fine, it is not written back
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	again, err := read(p)
	if err != nil {
		t.Fatalf("rows read from the input do not read back: %v", err)
	}
	if !reflect.DeepEqual(rows, again) && !(len(rows) == 0 && len(again) == 0) && !hasNaN(rows) {
		t.Fatalf("round trip changed the rows")
	}
}

// hasNaN reports whether a row holds NaN (which DeepEqual never matches).
func hasNaN[R any](rows []R) bool {
	for _, r := range rows {
		v := reflect.ValueOf(r)
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.Float64 && f.Float() != f.Float() {
				return true
			}
		}
	}
	return false
}

// TestCSVLineBound: a line longer than MaxCSVLine is refused, naming the
// file, before the reader buffers it whole.
func TestCSVLineBound(t *testing.T) {
	p := filepath.Join(t.TempDir(), RunsFile)
	b := append([]byte("scenario,run,metric,value\n"), bytes.Repeat([]byte("x"), 4*MaxCSVLine)...)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadRuns(p)
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "longer than 65536 bytes") {
		t.Errorf("ReadRuns of a 256 KiB line: %v", err)
	}
	ok := append([]byte("scenario,run,metric,value\n"), []byte(strings.Repeat("s", MaxCSVLine-20)+",1,m,2\n")...)
	if err := os.WriteFile(p, ok, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRuns(p); err != nil {
		t.Errorf("a line just under the bound: %v", err)
	}
}

// TestSummaryBound: a summary.json larger than MaxSummaryBytes is refused
// without reading it whole (a sparse file of that size costs no disk).
func TestSummaryBound(t *testing.T) {
	p := filepath.Join(t.TempDir(), SummaryFile)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSummaryBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadSummary(p)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Size != MaxSummaryBytes+1 || tl.Max != MaxSummaryBytes {
		t.Fatalf("ReadSummary of a 256 MiB + 1 byte file: %v, want a *TooLargeError of its size", err)
	}
	// coopsim writes summaries this large (a sweep of thousands of
	// scenarios): the error says why it is not drawn, and does not call
	// the file foreign.
	msg := err.Error()
	for _, want := range []string{p, "256 MiB, over the 256 MiB", "too large to draw", "--no-plots"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "not a file coopsim wrote") {
		t.Errorf("error %q calls a file coopsim may have written foreign", msg)
	}
}

// TestMiB: sizes read as a person would say them.
func TestMiB(t *testing.T) {
	for b, want := range map[int64]string{0: "0.0 MiB", 1 << 20: "1.0 MiB", 10<<20 - 1: "10.0 MiB", 10 << 20: "10 MiB", 295 << 20: "295 MiB", 295<<20 + 1<<19: "296 MiB"} {
		if got := mib(b); got != want {
			t.Errorf("mib(%d) = %q, want %q", b, got, want)
		}
	}
}
