package report

import (
	"errors"
	"io/fs"
	"strconv"
)

// FileError is an error reading or writing one result file. It names the
// file and, where known, the 1-based line and the column of a CSV file.
type FileError struct {
	Op     string // "read" or "write"
	Path   string // the file's path as given to the reader or writer
	Line   int    // 1-based line number; 0 if not applicable
	Column string // CSV column name; "" if not applicable
	Err    error  // the underlying error
}

// Error formats a read error as `PATH line N, column C: ERR` and a write
// error as `writing PATH: ERR`, leaving out the parts that are not known.
// An operating-system error on the same path is not named twice
// ("out/runs.csv: no such file or directory").
func (e *FileError) Error() string {
	s := e.Path
	if e.Op == "write" {
		s = "writing " + e.Path
	}
	if e.Line > 0 {
		s += " line " + strconv.Itoa(e.Line)
	}
	if e.Column != "" {
		if e.Line > 0 {
			s += ","
		}
		s += " column " + e.Column
	}
	err := e.Err
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == e.Path {
		err = pe.Err
	}
	return s + ": " + err.Error()
}

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

func readErr(path string, line int, column string, err error) error {
	var le *lineError
	if line == 0 && errors.As(err, &le) {
		line, err = le.line, le.err
	}
	return &FileError{Op: "read", Path: path, Line: line, Column: column, Err: err}
}

func writeErr(path string, err error) error {
	return &FileError{Op: "write", Path: path, Err: err}
}
