package report

import (
	"errors"
	"strconv"
)

// RunsHeader is the header line of runs.csv.
var RunsHeader = []string{"scenario", "run", "metric", "value"}

// RunRow is one row of runs.csv: the value of one scalar metric in one run
// of one scenario. Runs are numbered from 0.
type RunRow struct {
	Scenario string
	Run      int
	Metric   string
	Value    float64
}

// RunsWriter streams runs.csv to a temporary file; Commit renames it into
// place. Rows are written in the order given: the ensemble writes them by
// scenario order, then run, then metric order. A RunsWriter is not safe for
// concurrent use.
type RunsWriter struct{ c *csvWriter }

// CreateRuns starts writing runs.csv at path (the header is written at once).
// Call Commit to finish it or Abort to discard it.
func CreateRuns(path string) (*RunsWriter, error) {
	c, err := createCSV(path, RunsHeader)
	if err != nil {
		return nil, err
	}
	return &RunsWriter{c: c}, nil
}

// Write appends one row. Scenario and metric must be non-empty and Run
// non-negative. After an error the writer is aborted and its temporary file
// removed; later calls return the same error.
func (w *RunsWriter) Write(r RunRow) error {
	if w.c.err == nil {
		switch {
		case r.Scenario == "":
			w.c.fail(errors.New("empty scenario name"))
		case r.Metric == "":
			w.c.fail(errors.New("empty metric name"))
		case r.Run < 0:
			w.c.fail(errors.New("negative run number " + strconv.Itoa(r.Run)))
		}
	}
	w.c.rec[0] = r.Scenario
	w.c.rec[1] = strconv.Itoa(r.Run)
	w.c.rec[2] = r.Metric
	w.c.rec[3] = formatFloat(r.Value)
	return w.c.write()
}

// Commit flushes, fsyncs and renames the file into place.
func (w *RunsWriter) Commit() error { return w.c.commit() }

// Abort discards the file; it is a no-op after Commit.
func (w *RunsWriter) Abort() error { return w.c.abort() }

// StreamRuns reads the runs.csv at path and calls fn for each row in file
// order. It stops at the first error, from the file or from fn (returned
// as is).
func StreamRuns(path string, fn func(RunRow) error) error {
	return streamCSV(path, RunsHeader, decodeRun, fn)
}

func decodeRun(c *csvReader) (r RunRow, err error) {
	if r.Scenario, err = c.str(0); err != nil {
		return r, err
	}
	if r.Run, err = c.int(1); err != nil {
		return r, err
	}
	if r.Metric, err = c.str(2); err != nil {
		return r, err
	}
	r.Value, err = c.float(3)
	return r, err
}

// ReadRuns reads the whole runs.csv at path into memory.
func ReadRuns(path string) ([]RunRow, error) {
	return readCSV(path, RunsHeader, decodeRun)
}
