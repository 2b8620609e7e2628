package experiments

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestSensitivityJSONFieldsDocumented: the README's paragraph on
// sensitivity.json names, in backquotes, every key the file can hold
// (the JSON keys of SensitivityReport and of the objects it nests,
// including the outputs' sobol and morris arrays), so that a script
// written from the README finds what it looks for.
func TestSensitivityJSONFieldsDocumented(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "`sensitivity.json` holds")
	if start < 0 {
		t.Fatal("README.md has no paragraph beginning \"`sensitivity.json` holds\"")
	}
	para := text[start:]
	if end := strings.Index(para, "\n\n"); end >= 0 {
		para = para[:end]
	}
	keys := jsonKeys(reflect.TypeFor[SensitivityReport]())
	if len(keys) < 30 {
		t.Fatalf("found %d JSON keys in SensitivityReport, want its nested ones too: %v", len(keys), keys)
	}
	for _, k := range keys {
		if !strings.Contains(para, "`"+k+"`") {
			t.Errorf("README's sensitivity.json paragraph does not name `%s`", k)
		}
	}
}

// jsonKeys returns the JSON keys of struct type typ and of the structs its
// fields hold (directly, or in slices or arrays).
func jsonKeys(typ reflect.Type) []string {
	var keys []string
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		keys = append(keys, name)
		ft := f.Type
		for ft.Kind() == reflect.Slice || ft.Kind() == reflect.Array || ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			keys = append(keys, jsonKeys(ft)...)
		}
	}
	return keys
}
