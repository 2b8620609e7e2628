package report

import (
	"errors"
	"fmt"

	"github.com/coopsim/coopsim/internal/jsondecode"
)

// editedFix ends the error on a result file that coopsim did not write as
// it is: coopsim's own files always read back.
const editedFix = "was the file edited? rerun or restore it"

// decodeJSON decodes the JSON document b into v (a pointer to a struct),
// refusing unknown keys and trailing data, with jsondecode's errors in the
// user's words: the key path and what it wants ("field
// scenarios[0].regime: want text, got a number"), and the line, where
// known, as a *lineError.
func decodeJSON(b []byte, v any) error {
	err := jsondecode.Decode(b, v)
	if err == nil {
		return nil
	}
	line, msg := jsondecode.Fault(err, editedFix)
	if line > 0 {
		return &lineError{line, errors.New(msg)}
	}
	return errors.New(msg)
}

// lineError is an error at a line of a file, which readers put in the
// FileError.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }
