package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/experiments/atomicfile"
	"github.com/coopsim/coopsim/internal/words"
)

// csvReader reads a result CSV file with a fixed header, reporting errors
// with the file, line and column.
type csvReader struct {
	path   string
	header []string
	r      *csv.Reader
	rec    []string
	line   int
	intern map[string]string
}

func openCSV(path string, header []string) (*csvReader, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, readErr(path, 0, "", err)
	}
	r := csv.NewReader(newLineLimit(f, MaxCSVLine))
	r.ReuseRecord = true
	r.FieldsPerRecord = len(header)
	cr := &csvReader{path: path, header: header, r: r, intern: make(map[string]string)}
	got, err := r.Read()
	if err == io.EOF {
		f.Close()
		return nil, nil, readErr(path, 1, "", errors.New("empty file, want header "+strconv.Quote(strings.Join(header, ","))))
	}
	if err != nil {
		f.Close()
		return nil, nil, cr.wrap(err)
	}
	if strings.Join(got, ",") != strings.Join(header, ",") {
		f.Close()
		return nil, nil, readErr(path, 1, "", fmt.Errorf("header %q, want %q", strings.Join(got, ","), strings.Join(header, ",")))
	}
	return cr, f, nil
}

// streamCSV opens a result CSV with the given header and calls fn with
// each record decoded by decode, in file order, stopping at the first
// error (from the file, from decode, or from fn, returned as is).
func streamCSV[T any](path string, header []string, decode func(*csvReader) (T, error), fn func(T) error) error {
	c, f, err := openCSV(path, header)
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		if err := c.next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		row, err := decode(c)
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// readCSV reads every record of a result CSV into memory.
func readCSV[T any](path string, header []string, decode func(*csvReader) (T, error)) ([]T, error) {
	var rows []T
	if err := streamCSV(path, header, decode, func(r T) error {
		rows = append(rows, r)
		return nil
	}); err != nil {
		return nil, err
	}
	return rows, nil
}

// next reads the next record; it returns io.EOF at the end of the file.
func (c *csvReader) next() error {
	rec, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return err
		}
		return c.wrap(err)
	}
	c.rec = rec
	c.line, _ = c.r.FieldPos(0)
	return nil
}

func (c *csvReader) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return readErr(c.path, pe.Line, "", fmt.Errorf("wrong number of fields, want %d (%s); was the file edited? rerun or restore it", len(c.header), strings.Join(c.header, ",")))
		}
		return readErr(c.path, pe.Line, "", pe.Err)
	}
	return readErr(c.path, 0, "", err)
}

// str returns field i as a string, interned so that long files share the
// storage of repeated scenario and metric names. Empty fields are errors.
func (c *csvReader) str(i int) (string, error) {
	v := c.rec[i]
	if v == "" {
		return "", c.fieldErr(i, errors.New("empty"))
	}
	if s, ok := c.intern[v]; ok {
		return s, nil
	}
	s := strings.Clone(v)
	c.intern[s] = s
	return s, nil
}

func (c *csvReader) float(i int) (float64, error) {
	v, err := strconv.ParseFloat(c.rec[i], 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, c.fieldErr(i, fmt.Errorf("%s is too large for a number", quoteField(c.rec[i])))
	}
	if err != nil {
		return 0, c.fieldErr(i, fmt.Errorf("%s is not a number", quoteField(c.rec[i])))
	}
	return v, nil
}

func (c *csvReader) int(i int) (int, error) {
	v, err := strconv.Atoi(c.rec[i])
	if errors.Is(err, strconv.ErrRange) {
		return 0, c.fieldErr(i, fmt.Errorf("%s is too large", quoteField(c.rec[i])))
	}
	if err != nil {
		return 0, c.fieldErr(i, fmt.Errorf("%s is not a whole number", quoteField(c.rec[i])))
	}
	if v < 0 {
		return 0, c.fieldErr(i, fmt.Errorf("%d is negative", v))
	}
	return v, nil
}

func (c *csvReader) month(i int) (string, error) {
	s, err := c.str(i)
	if err != nil {
		return "", err
	}
	if _, err := ParseMonth(s); err != nil {
		return "", c.fieldErr(i, err)
	}
	return s, nil
}

// quoteField shows a field's text in an error: quoted, and cut in the
// middle to 40 characters (words.Elide: not in the middle of a character,
// as cutting at byte 40 could).
func quoteField(s string) string { return strconv.Quote(words.Elide(s, 40)) }

func (c *csvReader) fieldErr(i int, err error) error {
	return readErr(c.path, c.line, c.header[i], err)
}

// csvWriter writes a result CSV file atomically.
type csvWriter struct {
	a   *atomicfile.File
	w   *csv.Writer
	rec []string
	err error // first error; the writer is unusable after it
}

func createCSV(path string, header []string) (*csvWriter, error) {
	a, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	cw := &csvWriter{a: a, w: csv.NewWriter(a), rec: make([]string, len(header))}
	if err := cw.w.Write(header); err != nil {
		a.Abort()
		return nil, writeErr(path, err)
	}
	return cw, nil
}

func (c *csvWriter) write() error {
	if c.err != nil {
		return c.err
	}
	if err := c.w.Write(c.rec); err != nil {
		c.fail(err)
	}
	return c.err
}

func (c *csvWriter) fail(err error) {
	if c.err == nil {
		c.err = writeErr(c.a.Path(), err)
		c.a.Abort()
	}
}

func (c *csvWriter) commit() error {
	if c.err != nil {
		return c.err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		c.fail(err)
		return c.err
	}
	if err := c.a.Commit(); err != nil {
		c.err = writeErr(c.a.Path(), err)
		return c.err
	}
	c.err = writeErr(c.a.Path(), errors.New("write after Commit"))
	return nil
}

func (c *csvWriter) abort() error {
	if c.err == nil {
		c.err = writeErr(c.a.Path(), errors.New("write after Abort"))
	}
	if err := c.a.Abort(); err != nil {
		return writeErr(c.a.Path(), err)
	}
	return nil
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
