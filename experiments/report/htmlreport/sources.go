package htmlreport

import (
	"errors"
	"html"
	"io/fs"
	"os"
	"strings"

	"github.com/coopsim/coopsim/experiments/report"
)

// ReadSources returns the experiment files shown in the report page at
// path, in page order, so that a page drawn again keeps them. A missing
// page gives no files and no error.
func ReadSources(path string) ([]Source, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &report.FileError{Op: "read", Path: path, Err: err}
	}
	var out []Source
	rest := string(data)
	for {
		i := strings.Index(rest, sourceOpen)
		if i < 0 {
			return out, nil
		}
		rest = rest[i+len(sourceOpen):]
		// The name is an escaped attribute value and the text escaped
		// element content, so neither holds a literal '"' or '<'.
		name, after, ok1 := strings.Cut(rest, `">`)
		text, tail, ok2 := strings.Cut(after, "</pre>")
		if !ok1 || !ok2 {
			return nil, &report.FileError{Op: "read", Path: path, Err: errors.New("an experiment file's text is cut short")}
		}
		out = append(out, Source{Name: html.UnescapeString(name), Text: []byte(html.UnescapeString(text))})
		rest = tail
	}
}
