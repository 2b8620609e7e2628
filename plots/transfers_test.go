package plots

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/report"
)

// capLabels returns the transfers figure's cap line labels and its legend
// entry for the cap, for the result directory dir.
func capLabels(t *testing.T, dir string) (lines []string, legend string) {
	t.Helper()
	d, err := report.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	td, err := readTransfers(d)
	if err != nil {
		t.Fatal(err)
	}
	caps, err := capLines(d.Summary, td, moneyUnit(td.cumMax))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range caps {
		lines = append(lines, c.Label)
	}
	return lines, transferLegend(d.Summary, td)[2].Label
}

// The transfers figure's dashed line is the regime's stated cap. Without
// drawn caps (no params.csv, or none of its parameters a cap) it reads
// "cap $5B"; where the runs draw every regime's cap (regime.*.cap_usd) it
// reads "stated cap" and the legend gives the range of the draws; a draw
// of one regime's cap changes that regime's line only.
func TestTransfersDrawnCap(t *testing.T) {
	dir := copyFixture(t, "testdata/six")
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, report.ParamsFile), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, wantLines []string, wantLegend string) {
		t.Helper()
		lines, legend := capLabels(t, dir)
		if strings.Join(lines, "|") != strings.Join(wantLines, "|") || legend != wantLegend {
			t.Errorf("%s: cap lines %q, legend %q; want %q, %q", what, lines, legend, wantLines, wantLegend)
		}
	}
	check("no params.csv", []string{"cap $5B", "cap $11B"}, "cap")
	write("run,parameter,value\n0,buyers.accounts,50000\n1,buyers.accounts,60000\n")
	check("no cap drawn", []string{"cap $5B", "cap $11B"}, "cap")
	write("run,parameter,value\n0,buyers.accounts,50000\n0,regime.*.cap_usd,2.1e9\n1,buyers.accounts,60000\n1,regime.*.cap_usd,1.44e10\n")
	check("every cap drawn", []string{"stated cap $5B", "stated cap $11B"}, "stated cap (runs draw $2.1B–$14B)")
	write("run,parameter,value\n0,regime.amended_2026.cap_usd,4e9\n1,regime.amended_2026.cap_usd,6.5e9\n")
	check("one regime's cap drawn", []string{"stated cap $5B", "cap $11B"}, "stated cap (runs draw $4B–$6.5B)")

	write("run,parameter,value\n0,regime.*.cap_usd,lots\n")
	d, err := report.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = readTransfers(d)
	var fe *report.FileError
	if !errors.As(err, &fe) || fe.Line != 2 || !strings.Contains(err.Error(), report.ParamsFile) {
		t.Errorf("a bad params.csv line: error %v, want one naming %s line 2", err, report.ParamsFile)
	}
}

// TestFullGrid checks the transfers figure's grid: no empty cell where a
// landscape grid of n cells exists (9 is 3×3), gridShape's otherwise.
func TestFullGrid(t *testing.T) {
	for _, tc := range []struct{ n, rows, cols int }{{4, 2, 2}, {6, 2, 3}, {7, 2, 4}, {9, 3, 3}, {10, 2, 5}, {12, 3, 4}} {
		if r, c := fullGrid(tc.n); r != tc.rows || c != tc.cols {
			t.Errorf("fullGrid(%d) = %d×%d, want %d×%d", tc.n, r, c, tc.rows, tc.cols)
		}
	}
}
