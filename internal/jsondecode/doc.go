// Package jsondecode decodes coopsim's JSON result files (summary.json,
// fit.json) strictly, with errors in the user's words: the key path as it
// appears in the file ("targets[3].value"), the line it is on, and what
// the key wants ("want a whole number, got text"), never Go's type or
// field names. It is the one place such errors are worded, so that the
// errors of every JSON result file read the same way.
package jsondecode
