package parquetio

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/coopsim/coopsim/experiments/report"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// File names of the Parquet copies in a result directory.
const (
	RunsFile   = "runs.parquet"
	SeriesFile = "series.parquet"
)

// RowGroupRows is the most rows a row group holds. It is fixed (not derived
// from memory or workers) so that the file layout, and so its bytes, depend
// only on the rows. About 2^19 rows of runs.parquet buffer some 20 MB while
// a row group is built.
const RowGroupRows = 1 << 19

// createdBy is the file's created_by field: fixed, so that the bytes do not
// change with the build of the Parquet library.
const createdBy = "coopsim"

// batch is how many rows are handed to the Parquet writer at a time.
const batch = 4096

// runRow is a row of runs.parquet; its columns are runs.csv's.
type runRow struct {
	Scenario string  `parquet:"scenario,dict"`
	Run      int64   `parquet:"run,delta"`
	Metric   string  `parquet:"metric,dict"`
	Value    float64 `parquet:"value"`
}

// seriesRow is a row of series.parquet; its columns are series.csv's.
type seriesRow struct {
	Scenario string  `parquet:"scenario,dict"`
	Month    string  `parquet:"month,dict"`
	Metric   string  `parquet:"metric,dict"`
	Mean     float64 `parquet:"mean"`
	P5       float64 `parquet:"p5"`
	P25      float64 `parquet:"p25"`
	P50      float64 `parquet:"p50"`
	P75      float64 `parquet:"p75"`
	P95      float64 `parquet:"p95"`
}

// writerOptions are the options of every file; name is the schema's root
// name ("runs" or "series").
// schemaRow is a row type with its schema's root name.
type schemaRow interface{ schemaName() string }

func (runRow) schemaName() string    { return "runs" }
func (seriesRow) schemaName() string { return "series" }

func writerOptions[T any](name string) []parquet.WriterOption {
	return []parquet.WriterOption{
		&parquet.WriterConfig{CreatedBy: createdBy, Schema: parquet.NewSchema(name, parquet.SchemaOf(new(T)))},
		parquet.MaxRowsPerRowGroup(RowGroupRows),
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedDefault, Concurrency: 1}),
	}
}

// rowWriter streams rows of type T into a Parquet file, in batches.
type rowWriter[T any] struct {
	w   *parquet.GenericWriter[T]
	buf []T
}

func newRowWriter[T any](w io.Writer, name string) *rowWriter[T] {
	return &rowWriter[T]{w: parquet.NewGenericWriter[T](w, writerOptions[T](name)...), buf: make([]T, 0, batch)}
}

func (rw *rowWriter[T]) add(r T) error {
	rw.buf = append(rw.buf, r)
	if len(rw.buf) == cap(rw.buf) {
		return rw.flush()
	}
	return nil
}

func (rw *rowWriter[T]) flush() error {
	_, err := rw.w.Write(rw.buf)
	rw.buf = rw.buf[:0]
	return err
}

func (rw *rowWriter[T]) close() error {
	if err := rw.flush(); err != nil {
		return err
	}
	return rw.w.Close()
}

// writeFile writes path atomically: fill streams the rows into add.
func writeFile[T schemaRow](path string, fill func(add func(T) error) error) error {
	return report.WriteFileAtomic(path, func(w io.Writer) error {
		var zero T
		rw := newRowWriter[T](w, zero.schemaName())
		if err := fill(rw.add); err != nil {
			return err
		}
		return rw.close()
	})
}

// WriteRuns writes rows to the Parquet file at path, atomically.
func WriteRuns(path string, rows []report.RunRow) error {
	return writeFile(path, func(add func(runRow) error) error {
		for _, r := range rows {
			if err := add(fromRun(r)); err != nil {
				return err
			}
		}
		return nil
	})
}

// WriteSeries writes rows to the Parquet file at path, atomically.
func WriteSeries(path string, rows []report.SeriesRow) error {
	return writeFile(path, func(add func(seriesRow) error) error {
		for _, r := range rows {
			if err := add(fromSeries(r)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ConvertRuns streams the runs.csv at src into a Parquet file at dst,
// written atomically; memory stays at one row group.
func ConvertRuns(src, dst string) error {
	return writeFile(dst, func(add func(runRow) error) error {
		return report.StreamRuns(src, func(r report.RunRow) error { return add(fromRun(r)) })
	})
}

// ConvertSeries streams the series.csv at src into a Parquet file at dst,
// written atomically.
func ConvertSeries(src, dst string) error {
	return writeFile(dst, func(add func(seriesRow) error) error {
		return report.StreamSeries(src, func(r report.SeriesRow) error { return add(fromSeries(r)) })
	})
}

// WriteDir writes runs.parquet and series.parquet into the result directory
// dir from its runs.csv and series.csv. Errors name the file.
func WriteDir(dir string) error {
	if err := ConvertRuns(filepath.Join(dir, report.RunsFile), filepath.Join(dir, RunsFile)); err != nil {
		return err
	}
	return ConvertSeries(filepath.Join(dir, report.SeriesFile), filepath.Join(dir, SeriesFile))
}

func fromRun(r report.RunRow) runRow {
	return runRow{Scenario: r.Scenario, Run: int64(r.Run), Metric: r.Metric, Value: r.Value}
}

func fromSeries(r report.SeriesRow) seriesRow {
	return seriesRow{Scenario: r.Scenario, Month: r.Month, Metric: r.Metric,
		Mean: r.Mean, P5: r.P5, P25: r.P25, P50: r.P50, P75: r.P75, P95: r.P95}
}

// readFile reads every row of the Parquet file at path, calling fn for each.
func readFile[T any](path string, fn func(T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return &report.FileError{Op: "read", Path: path, Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return &report.FileError{Op: "read", Path: path, Err: err}
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return &report.FileError{Op: "read", Path: path, Err: err}
	}
	r := parquet.NewGenericReader[T](pf)
	defer r.Close()
	buf := make([]T, batch)
	for {
		n, err := r.Read(buf)
		for _, row := range buf[:n] {
			if ferr := fn(row); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &report.FileError{Op: "read", Path: path, Err: err}
		}
	}
}

// ReadRuns reads the whole runs.parquet at path.
func ReadRuns(path string) ([]report.RunRow, error) {
	var rows []report.RunRow
	err := readFile(path, func(r runRow) error {
		rows = append(rows, report.RunRow{Scenario: r.Scenario, Run: int(r.Run), Metric: r.Metric, Value: r.Value})
		return nil
	})
	return rows, err
}

// ReadSeries reads the whole series.parquet at path.
func ReadSeries(path string) ([]report.SeriesRow, error) {
	var rows []report.SeriesRow
	err := readFile(path, func(r seriesRow) error {
		rows = append(rows, report.SeriesRow{Scenario: r.Scenario, Month: r.Month, Metric: r.Metric,
			Mean: r.Mean, P5: r.P5, P25: r.P25, P50: r.P50, P75: r.P75, P95: r.P95})
		return nil
	})
	return rows, err
}
