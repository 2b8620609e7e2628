package experiments

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// locate returns the line of the file that sets the key path (as the type
// check names it: "runs", "report.window_end", "scenario[1].regime",
// "regime[0].amendment[2].open[1]"), or 0 if it cannot tell. It reads the
// text line by line, following table headers and counting arrays of
// tables; it is a best effort for messages, never a second parser: a key
// set inside an inline table or a multi-line value is not found.
func locate(data []byte, key string) int {
	// A quoted key ("regime.history.cap_usd") is found by its dotted
	// name, as the file's keys are read (unquoteKey).
	if strings.Contains(key, `"`) {
		if n := locateExact(data, strings.ReplaceAll(stripIndex(key), `"`, "")); n > 0 {
			return n
		}
	}
	// A key inside an inline table is not found: its nearest enclosing
	// key or table is.
	for target := stripIndex(key); target != ""; {
		if n := locateExact(data, target); n > 0 {
			return n
		}
		i := strings.LastIndexByte(target, '.')
		if i < 0 {
			break
		}
		target = stripIndex(target[:i])
	}
	return 0
}

// locateExact returns the line that sets or opens target, or 0.
func locateExact(data []byte, target string) int {
	table := ""                // the current table, arrays resolved: "scenario[1]"
	counts := map[string]int{} // arrays of tables seen, by resolved name
	// A key named without indices ("scenario.runs", as the decoder names
	// an unknown key) is found in the first element that sets it.
	indexFree := !strings.Contains(target, "[")
	for n, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		switch {
		case strings.HasPrefix(line, "[["):
			name := resolveHeader(headerName(line, "[[", "]]"), counts, false)
			table = name + "[" + strconv.Itoa(counts[name]) + "]"
			counts[name]++
			if stripIndex(table) == target {
				return n + 1
			}
		case strings.HasPrefix(line, "["):
			table = resolveHeader(headerName(line, "[", "]"), counts, true)
			if table == target {
				return n + 1
			}
		default:
			k, _, ok := strings.Cut(line, "=")
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			full := join(table, unquoteKey(strings.TrimSpace(k)))
			if full == target || (indexFree && dropIndices(full) == target) {
				return n + 1
			}
		}
	}
	return 0
}

// withLine adds to an *Error about file (whose text is data) that names a
// key but no line the line that sets the key, where locate finds it, so
// that every key's error points into the file as top-level keys' do.
func withLine(err error, file string, data []byte) error {
	var e *Error
	if errors.As(err, &e) && e.File == file && e.Line == 0 && e.Key != "" {
		e.Line = locate(data, e.Key)
	}
	return err
}

// dropIndices drops every list index: "scenario[1].set" → "scenario.set".
func dropIndices(key string) string {
	var b strings.Builder
	depth := 0
	for _, r := range key {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stripIndex drops a trailing list index: "open[1]" → "open".
func stripIndex(key string) string {
	for strings.HasSuffix(key, "]") {
		i := strings.LastIndexByte(key, '[')
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return key
}

// headerName returns the dotted name inside a table header line.
func headerName(line, open, close string) string {
	s := strings.TrimPrefix(line, open)
	if i := strings.Index(s, close); i >= 0 {
		s = s[:i]
	}
	return unquoteKey(strings.TrimSpace(s))
}

// resolveHeader resolves a header's dotted name to the latest element of
// each array of tables along it ("scenario.set" → "scenario[1].set"); the
// last part is resolved only when last is true (a table, not a new array
// element).
func resolveHeader(name string, counts map[string]int, last bool) string {
	parts := strings.Split(name, ".")
	out := ""
	for i, p := range parts {
		out = join(out, p)
		if i == len(parts)-1 && !last {
			break
		}
		if c := counts[out]; c > 0 {
			out += "[" + strconv.Itoa(c-1) + "]"
		}
	}
	return out
}

// unquoteKey removes the quotes and spaces of a dotted key's parts.
func unquoteKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}
