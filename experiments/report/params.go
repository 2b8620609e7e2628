package report

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// ParamsFile is the tidy file of each run's drawn uncertain parameters,
// written beside summary.json for an experiment with [uncertainty]
// (header ParamsHeader, one row per run and parameter).
const ParamsFile = "params.csv"

// ParamsHeader is the header of params.csv.
var ParamsHeader = []string{"run", "parameter", "value"}

// ParamRow is one row of params.csv: the value a run drew for an uncertain
// parameter, named by its path ("regime.*.cap_usd").
type ParamRow struct {
	Run       int
	Parameter string
	Value     float64
}

// StreamParams reads the params.csv at path and calls fn for each row in
// file order. It stops at the first error, from the file (a *FileError
// naming the file, line and column) or from fn (returned as is).
func StreamParams(path string, fn func(ParamRow) error) error {
	return streamCSV(path, ParamsHeader, decodeParam, fn)
}

func decodeParam(c *csvReader) (r ParamRow, err error) {
	if r.Run, err = c.int(0); err != nil {
		return r, err
	}
	if r.Parameter, err = c.str(1); err != nil {
		return r, err
	}
	r.Value, err = c.float(2)
	return r, err
}

// DrawRange is the smallest and largest value the runs drew for a
// parameter.
type DrawRange struct{ Lo, Hi float64 }

// CapDraws holds the range of the runs' drawn cap amounts by regime ("*":
// every regime with a cap), from params.csv's regime.<regime>.cap_usd
// parameters. Where it has a scenario's regime, summary.json's cap amount
// is the regime's stated one, which the runs did not use.
type CapDraws map[string]DrawRange

// ReadCapDraws reads the runs' drawn cap amounts from dir's params.csv. No
// params.csv (no [uncertainty]) or no drawn cap is an empty map.
func ReadCapDraws(dir string) (CapDraws, error) {
	out := make(CapDraws)
	path := filepath.Join(dir, ParamsFile)
	err := StreamParams(path, func(p ParamRow) error {
		if !strings.HasSuffix(p.Parameter, ".cap_usd") {
			return nil
		}
		if !strings.HasPrefix(p.Parameter, "regime.") {
			return &FileError{Op: "read", Path: path, Err: fmt.Errorf("parameter %q: want regime.<regime>.cap_usd (was the file edited? rerun)", p.Parameter)}
		}
		reg := strings.TrimSuffix(strings.TrimPrefix(p.Parameter, "regime."), ".cap_usd")
		r, ok := out[reg]
		if !ok {
			r = DrawRange{p.Value, p.Value}
		}
		out[reg] = DrawRange{min(r.Lo, p.Value), max(r.Hi, p.Value)}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Of returns the range of the drawn cap of a scenario's regime, if the
// runs draw it.
func (c CapDraws) Of(regime string) (DrawRange, bool) {
	if r, ok := c[regime]; ok {
		return r, true
	}
	r, ok := c["*"]
	return r, ok
}
