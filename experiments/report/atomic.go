package report

import (
	"io"

	"github.com/coopsim/coopsim/experiments/atomicfile"
)

// createAtomic starts a result file written whole or not at all; its
// errors name the file (FileError).
func createAtomic(path string) (*atomicfile.File, error) {
	a, err := atomicfile.Create(path)
	if err != nil {
		return nil, writeErr(path, err)
	}
	return a, nil
}

// WriteFileAtomic writes the file at path with write, atomically (see
// package atomicfile): if write fails no file is created and an existing
// one is left as it was. The error is a FileError naming the file.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return writeErr(path, err)
	}
	return nil
}
