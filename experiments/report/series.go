package report

import (
	"errors"
)

// SeriesHeader is the header line of series.csv.
var SeriesHeader = []string{"scenario", "month", "metric", "mean", "p5", "p25", "p50", "p75", "p95"}

// SeriesRow is one row of series.csv: the distribution over runs of one
// monthly metric of one scenario at one month ("YYYY-MM"). Money metrics are
// US dollars per month; share metrics are fractions in [0, 1]; customer
// metrics are real accounts. Percentiles follow Quantile's type 7 rule.
type SeriesRow struct {
	Scenario string
	Month    string
	Metric   string
	Mean     float64
	P5       float64
	P25      float64
	P50      float64
	P75      float64
	P95      float64
}

// SeriesWriter streams series.csv to a temporary file; Commit renames it
// into place. A SeriesWriter is not safe for concurrent use.
type SeriesWriter struct{ c *csvWriter }

// CreateSeries starts writing series.csv at path (the header is written at
// once). Call Commit to finish it or Abort to discard it.
func CreateSeries(path string) (*SeriesWriter, error) {
	c, err := createCSV(path, SeriesHeader)
	if err != nil {
		return nil, err
	}
	return &SeriesWriter{c: c}, nil
}

// Write appends one row. Scenario and metric must be non-empty and Month
// "YYYY-MM". After an error the writer is aborted and its temporary file
// removed; later calls return the same error.
func (w *SeriesWriter) Write(r SeriesRow) error {
	if w.c.err == nil {
		switch {
		case r.Scenario == "":
			w.c.fail(errors.New("empty scenario name"))
		case r.Metric == "":
			w.c.fail(errors.New("empty metric name"))
		}
		if _, err := ParseMonth(r.Month); err != nil {
			w.c.fail(err)
		}
	}
	rec := w.c.rec
	rec[0], rec[1], rec[2] = r.Scenario, r.Month, r.Metric
	for i, v := range [...]float64{r.Mean, r.P5, r.P25, r.P50, r.P75, r.P95} {
		rec[3+i] = formatFloat(v)
	}
	return w.c.write()
}

// Commit flushes, fsyncs and renames the file into place.
func (w *SeriesWriter) Commit() error { return w.c.commit() }

// Abort discards the file; it is a no-op after Commit.
func (w *SeriesWriter) Abort() error { return w.c.abort() }

// StreamSeries reads the series.csv at path and calls fn for each row in
// file order. It stops at the first error, from the file or from fn
// (returned as is).
func StreamSeries(path string, fn func(SeriesRow) error) error {
	return streamCSV(path, SeriesHeader, decodeSeries, fn)
}

func decodeSeries(c *csvReader) (r SeriesRow, err error) {
	if r.Scenario, err = c.str(0); err != nil {
		return r, err
	}
	if r.Month, err = c.month(1); err != nil {
		return r, err
	}
	if r.Metric, err = c.str(2); err != nil {
		return r, err
	}
	for i, p := range [...]*float64{&r.Mean, &r.P5, &r.P25, &r.P50, &r.P75, &r.P95} {
		if *p, err = c.float(3 + i); err != nil {
			return r, err
		}
	}
	return r, nil
}

// ReadSeries reads the whole series.csv at path into memory.
func ReadSeries(path string) ([]SeriesRow, error) {
	return readCSV(path, SeriesHeader, decodeSeries)
}
