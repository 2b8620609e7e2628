package experiments

import (
	"bytes"
	"path"
	"path/filepath"
	"reflect"

	"github.com/BurntSushi/toml"
)

// ReadTOML reads the TOML file at filePath into v, a pointer to a struct,
// with the experiment loader's guards and wording, for the project's other
// TOML inputs (calibration's targets file): a directory, a missing file or
// one over 1 MiB is refused without decoding it, and decoding errors are
// as DecodeTOML's. Its errors are *Error values naming filePath.
func ReadTOML(filePath string, v any) (toml.MetaData, error) {
	data, err := readPath(filePath, tomlKind)
	if err != nil {
		return toml.MetaData{}, err
	}
	return DecodeTOML(data, filePath, v)
}

// MaxPosteriorBytes bounds a posterior .csv file: 64 MiB, which holds every
// posterior.csv coopsim calibrate --posterior writes (calibration.MostDraws
// caps its --draws so: calibration.MaxDraws, 40,000 draws a chain, for four
// chains of up to sixteen parameters, fewer for more). An experiment's
// [uncertainty] posterior and coopsim plot's reading of a calibration's
// posterior.csv refuse a larger file without reading it.
const MaxPosteriorBytes = 64 << 20

// PosteriorSizeHint tells how a posterior.csv stays within
// MaxPosteriorBytes. It names no count of draws: the most --draws takes
// depends on the parameters and chains (calibration.MostDraws), and
// calibrate's own message for a --draws too large gives it. Every reader
// that refuses a posterior too large gives the hint.
const PosteriorSizeHint = "sample fewer draws a chain with coopsim calibrate --posterior --draws (the most it takes keeps posterior.csv within 64 MiB)"

// ReadCapped reads the file at filePath whole, with the loader's guards,
// for the project's other inputs (a calibration's fit.json and
// posterior.csv): a directory, a device, pipe or socket, a missing file
// or one over limit bytes is refused without reading it all (what names
// the file to give instead, "a posterior .csv file"; sizeHint says how to
// stay under the limit). Its errors are *Error values naming filePath.
func ReadCapped(filePath string, limit int, what, sizeHint string) ([]byte, error) {
	return readPath(filePath, fileKind{limit: limit, what: what, sizeHint: sizeHint, regular: true})
}

// readPath reads the file at filePath, a path of the operating system, as
// a file of kind k (readFile).
func readPath(filePath string, k fileKind) ([]byte, error) {
	dir, name := filepath.Split(filePath)
	if dir == "" {
		dir = "."
	}
	fsys, base, err := dirFS(dir)
	if err != nil {
		return nil, &Error{File: filePath, Msg: err.Error()}
	}
	data, err := readFile(fsys, path.Join(base, name), k)
	if err != nil {
		return nil, &Error{File: filePath, Msg: err.Error()}
	}
	return data, nil
}

// DecodeTOML decodes data, the text of the TOML file named file, into v (a
// pointer to a struct) as the experiment loader decodes experiment files:
// nesting and size bounded before decoding (memory stays bounded for any
// input), syntax errors at their line and column, a value of the wrong
// type named by its key path with what the key takes, in the user's words
// rather than Go's types. Its errors are *Error values. The metadata is
// for the caller's check of undecoded keys.
func DecodeTOML(data []byte, file string, v any) (toml.MetaData, error) {
	if err := checkShape(file, data); err != nil {
		return toml.MetaData{}, err
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return toml.MetaData{}, syntaxError(file, data, err)
	}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(v)
	if err != nil {
		return md, valueError(file, data, err, raw, reflect.TypeOf(v))
	}
	return md, nil
}
