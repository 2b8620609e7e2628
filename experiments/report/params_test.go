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
