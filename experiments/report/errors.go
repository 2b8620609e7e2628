package report

import "strconv"

// FileError is an error reading or writing one result file. It names the
// file and, where known, the 1-based line and the column of a CSV file.
type FileError struct {
	Op     string // "read" or "write"
	Path   string // the file's path as given to the reader or writer
	Line   int    // 1-based line number in a CSV file; 0 if not applicable
	Column string // CSV column name; "" if not applicable
	Err    error  // the underlying error
}

// Error formats the error as
// `report: OP PATH line N: column "C": ERR`, leaving out the parts that
// are not known.
func (e *FileError) Error() string {
	s := "report: " + e.Op + " " + e.Path
	if e.Line > 0 {
		s += " line " + strconv.Itoa(e.Line)
	}
	if e.Column != "" {
		s += ": column " + strconv.Quote(e.Column)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

func readErr(path string, line int, column string, err error) error {
	return &FileError{Op: "read", Path: path, Line: line, Column: column, Err: err}
}

func writeErr(path string, err error) error {
	return &FileError{Op: "write", Path: path, Err: err}
}
