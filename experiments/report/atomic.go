package report

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// atomicFile is a file being written under a temporary name in its
// destination's directory. Commit flushes, fsyncs and renames it into place;
// Abort removes it.
type atomicFile struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	done bool
}

func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, writeErr(path, err)
	}
	return &atomicFile{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<16)}, nil
}

// Commit flushes the buffer, fsyncs the file, gives it mode 0644, renames
// it to its destination and fsyncs the directory (best effort). On error the
// temporary file is removed.
func (a *atomicFile) Commit() error {
	if a.done {
		return writeErr(a.path, errors.New("already committed or aborted"))
	}
	a.done = true
	tmp := a.f.Name()
	err := a.bw.Flush()
	if err == nil {
		err = a.f.Chmod(0o644)
	}
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		os.Remove(tmp)
		return writeErr(a.path, err)
	}
	if d, derr := os.Open(filepath.Dir(a.path)); derr == nil {
		d.Sync() // Make the rename durable; not all systems support it.
		d.Close()
	}
	return nil
}

// Abort closes and removes the temporary file. It is a no-op after Commit
// or a previous Abort.
func (a *atomicFile) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	a.f.Close()
	if err := os.Remove(a.f.Name()); err != nil {
		return writeErr(a.path, err)
	}
	return nil
}

// WriteFileAtomic writes the file at path with write, atomically: write
// fills a temporary file in the same directory, which is fsynced and renamed
// to path only if write returns nil. Otherwise no file is created (an
// existing file at path is left as it was) and the temporary file is
// removed; the error names the file.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	a, err := createAtomic(path)
	if err != nil {
		return err
	}
	if err := write(a.bw); err != nil {
		a.Abort()
		return writeErr(path, err)
	}
	return a.Commit()
}
