package jsondecode

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Error is a JSON document that Decode refuses: where (the line, the byte
// offset and the key path, as far as they are known) and what is wrong.
type Error struct {
	// Line is the 1-based line of the document at fault; 0 where no line
	// can be given (an empty, cut-short or over-long document).
	Line int
	// Offset is the byte offset in the document at fault (the start of
	// the value at Path, or of the key for an unknown key); -1 where not
	// known.
	Offset int64
	// Path is the key path as the document spells it, list items by their
	// 0-based index ("posterior.params[2].q50"); "" for the document.
	Path string
	// Msg says what is wrong ("want a whole number, got text");
	// UnknownKey where Path is a key the document should not have.
	Msg string
}

// UnknownKey is the Msg of an Error whose Path is a key the document
// should not have.
const UnknownKey = "unknown key"

// Error words the fault without its line (the reader that names the file
// places the line): "field PATH: MSG", "unknown key PATH", or MSG for the
// whole document.
func (e *Error) Error() string {
	switch {
	case e.Msg == UnknownKey && e.Path != "":
		return UnknownKey + " " + e.Path
	case e.Path != "":
		return "field " + e.Path + ": " + e.Msg
	}
	return e.Msg
}

// Decode decodes the JSON document b into v, a non-nil pointer, refusing
// keys v has no field for and data after the document. Its errors are
// *Error values: an empty or cut-short document and trailing data without
// a line, invalid JSON at the line of the fault, and a value that does not
// fit its field at the value's line and key path, found by decoding the
// document's values one by one (so that a value decoded by its own
// UnmarshalJSON, which starts its offsets afresh, is placed in the whole
// document). A type's UnmarshalJSON that decodes with Decode has its
// errors placed the same way, its key path under the value's.
func Decode(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return &Error{Offset: -1, Msg: "empty file"}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return &Error{Offset: -1, Msg: "trailing data after the JSON object"}
		}
		return nil
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return at(b, &Error{Offset: se.Offset, Msg: "not valid JSON: " + se.Error()})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Offset: -1, Msg: "the file is cut short"}
	}
	return at(b, locate(b, 0, reflect.TypeOf(v), "", err))
}

// at sets e's line in b from its offset.
func at(b []byte, e *Error) *Error {
	e.Line = 0
	if e.Offset >= 0 {
		e.Line = 1 + bytes.Count(b[:min(e.Offset, int64(len(b)))], []byte{'\n'})
	}
	return e
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// custom reports whether t decodes itself (json.Unmarshaler or
// encoding.TextUnmarshaler, on t or *t).
func custom(t reflect.Type) bool {
	return implements(t, unmarshalerType) || implements(t, textUnmarshalerType)
}

// implements reports whether t or *t implements the interface u.
func implements(t, u reflect.Type) bool {
	return t.Implements(u) || t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(u)
}

// decodeAs decodes b, a valid JSON value, strictly into a new value of
// type t.
func decodeAs(b []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(reflect.New(t).Interface())
}

// locate returns the first value, in the document's order, of b (a valid
// JSON value at offset base of the document, at key path path) that does
// not decode into type t, as an *Error with its offset in the document:
// err is b's own decoding error (nil: not yet tried), a member's value is
// tried alone, and a value that fails with no member failing is the fault.
func locate(b []byte, base int64, t reflect.Type, path string, err error) *Error {
	if err == nil {
		if err = decodeAs(b, t); err == nil {
			return nil
		}
	}
	for t.Kind() == reflect.Pointer && !custom(t) {
		t = t.Elem()
	}
	first := firstByte(b)
	var e *Error
	switch {
	case custom(t):
	case t.Kind() == reflect.Struct && first == '{':
		e = locateMembers(b, base, path, func(key string) (reflect.Type, bool) { return fieldType(t, key) })
	case t.Kind() == reflect.Map && first == '{':
		e = locateMembers(b, base, path, func(string) (reflect.Type, bool) { return t.Elem(), true })
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && first == '[':
		e = locateItems(b, base, t.Elem(), path)
	}
	if e != nil {
		return e
	}
	return fault(base, t, path, err)
}

// firstByte is the first byte of JSON value b.
func firstByte(b []byte) byte {
	if b = bytes.TrimSpace(b); len(b) == 0 {
		return 0
	}
	return b[0]
}

// locateMembers returns the first member of object b (at base, path) whose
// key typeOf does not know or whose value does not decode into the type
// typeOf gives it, or nil.
func locateMembers(b []byte, base int64, path string, typeOf func(string) (reflect.Type, bool)) *Error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return nil
	}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return nil
		}
		keyEnd := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil
		}
		start := dec.InputOffset() - int64(len(raw))
		ft, known := typeOf(key)
		if !known {
			return &Error{Offset: base + keyEnd, Path: join(path, key), Msg: UnknownKey}
		}
		if e := locate(raw, base+start, ft, join(path, key), nil); e != nil {
			return e
		}
	}
	return nil
}

// locateItems returns the first item of list b (at base, path) that does
// not decode into elem, or nil.
func locateItems(b []byte, base int64, elem reflect.Type, path string) *Error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // [
		return nil
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil
		}
		start := dec.InputOffset() - int64(len(raw))
		if e := locate(raw, base+start, elem, path+"["+strconv.Itoa(i)+"]", nil); e != nil {
			return e
		}
	}
	return nil
}

// join is the key path of key under path. A key that is not a plain name
// (letters, digits, _) is quoted in brackets (scale["a.b"]), so that the
// path reads back one way.
func join(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// joinPath is the key path of sub, a path under a value, under path.
func joinPath(path, sub string) string {
	switch {
	case sub == "":
		return path
	case path == "" || strings.HasPrefix(sub, "["):
		return path + sub
	}
	return path + "." + sub
}

// plainKey reports whether key is a name of letters, digits and _.
func plainKey(key string) bool {
	for _, c := range key {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return key != ""
}

// fault words err, the error of decoding the value at base and path into
// type t, in the user's words: an *Error from a type's UnmarshalJSON that
// decodes with Decode is placed under path at base, offsets and all.
func fault(base int64, t reflect.Type, path string, err error) *Error {
	var inner *Error
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &inner):
		e := *inner
		e.Path = joinPath(path, inner.Path)
		e.Offset = base + max(inner.Offset, 0)
		return &e
	case errors.As(err, &te):
		want := typeWords(te.Type)
		if implements(t, textUnmarshalerType) {
			want = "text" // te names the type, not the text it reads ("2024-03")
		}
		return &Error{Offset: base, Path: path, Msg: "want " + want + ", got " + valueWords(te.Value)}
	}
	return &Error{Offset: base, Path: path, Msg: err.Error()}
}

// Fault is what a reader that names the file says of err, an error of
// Decode: the line at fault (0 where none is known) and the error's text
// followed by the fix in brackets, "field seed: want a whole number, got
// text (was the file edited? rerun coopsim calibrate)". The reader puts
// them in its own error type, which names the file: "FILE line N: MSG".
func Fault(err error, fix string) (line int, msg string) {
	var e *Error
	if errors.As(err, &e) {
		line = e.Line
	}
	return line, err.Error() + " (" + fix + ")"
}
