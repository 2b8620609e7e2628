package report

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
