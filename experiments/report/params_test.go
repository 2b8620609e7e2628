package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// StreamParams reads params.csv rows in file order; a bad value is a
// FileError naming the file, line and column.
func TestStreamParams(t *testing.T) {
	path := filepath.Join(t.TempDir(), ParamsFile)
	read := func(text string) ([]ParamRow, error) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		var rows []ParamRow
		err := StreamParams(path, func(r ParamRow) error { rows = append(rows, r); return nil })
		return rows, err
	}
	rows, err := read("run,parameter,value\n0,regime.*.cap_usd,2.1e9\n3,buyers.accounts,50000\n")
	want := []ParamRow{{0, "regime.*.cap_usd", 2.1e9}, {3, "buyers.accounts", 50000}}
	if err != nil || len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Fatalf("rows %v, err %v; want %v", rows, err, want)
	}
	_, err = read("run,parameter,value\n0,regime.*.cap_usd,2.1e9\n1,regime.*.cap_usd,lots\n")
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 3 || fe.Column != "value" || !strings.Contains(err.Error(), ParamsFile) {
		t.Errorf("bad value: error %v, want a FileError at %s line 3, column value", err, ParamsFile)
	}
}

// ReadCapDraws gives each regime's drawn cap range (regime "*" standing
// for every regime with a cap), ignores other parameters, and is empty
// without a params.csv.
func TestReadCapDraws(t *testing.T) {
	dir := t.TempDir()
	if d, err := ReadCapDraws(dir); err != nil || len(d) != 0 {
		t.Fatalf("no params.csv: %v, %v; want an empty map", d, err)
	}
	text := "run,parameter,value\n0,regime.cap-10b.cap_usd,9e9\n0,spend_growth,0.3\n1,regime.cap-10b.cap_usd,5e9\n" +
		"2,regime.cap-10b.cap_usd,12e9\n0,regime.*.cap_usd,30e9\n"
	if err := os.WriteFile(filepath.Join(dir, ParamsFile), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := ReadCapDraws(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := d.Of("cap-10b"); !ok || r != (DrawRange{5e9, 12e9}) {
		t.Errorf("cap-10b: %v, %v; want [5e9, 12e9]", r, ok)
	}
	if r, ok := d.Of("history"); !ok || r != (DrawRange{30e9, 30e9}) {
		t.Errorf("history (by regime.*): %v, %v; want [30e9, 30e9]", r, ok)
	}
	delete(d, "*")
	if r, ok := d.Of("history"); ok {
		t.Errorf("history without regime.*: %v, want no draw", r)
	}
}
