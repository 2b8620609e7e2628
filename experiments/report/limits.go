package report

import (
	"bufio"
	"fmt"
	"io"
)

// Bounds on what the readers accept, so that a damaged or hand-edited
// result file cannot make them allocate without limit. coopsim's own files
// stay far below them: a summary of 1,000 scenarios is a few MB, and a CSV
// line a few hundred bytes.
const (
	// MaxSummaryBytes is the largest summary.json ReadSummary reads.
	MaxSummaryBytes = 256 << 20
	// MaxCSVLine is the longest line the CSV readers accept, in bytes.
	MaxCSVLine = 64 << 10
)

// errLineTooLong is the error of a CSV line longer than MaxCSVLine.
var errLineTooLong = fmt.Errorf("a line longer than %d bytes: not a file coopsim wrote (was it edited or cut?)", MaxCSVLine)

// lineLimit reads from r, failing once a line runs past max bytes, so that
// the CSV reader never buffers an unbounded record. Quoted newlines count
// as line ends; coopsim's files have none.
type lineLimit struct {
	r   *bufio.Reader
	max int
	run int // bytes since the last newline
}

func newLineLimit(r io.Reader, max int) *lineLimit {
	return &lineLimit{r: bufio.NewReaderSize(r, 1<<16), max: max}
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.run = 0
			continue
		}
		l.run++
		if l.run > l.max {
			return i, errLineTooLong
		}
	}
	return n, err
}
