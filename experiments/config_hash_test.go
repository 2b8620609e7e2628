package experiments

import (
	"bytes"
	"reflect"
	"testing"
)

// canonical returns the canonical encoding of v.
func canonical(v reflect.Value) []byte {
	c := canonicalEncoder{path: []byte("x")}
	c.value(v)
	return c.buf
}

// eachLeaf calls f after changing each leaf of the addressable value v in
// turn (numbers by one, bools flipped, strings extended, nil pointers and
// empty slices given a zero element), restoring it after.
func eachLeaf(t *testing.T, path string, v reflect.Value, f func(path string)) {
	t.Helper()
	old := reflect.New(v.Type()).Elem()
	old.Set(v)
	restore := func() { v.Set(old) }
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				eachLeaf(t, path+"."+v.Type().Field(i).Name, v.Field(i), f)
			}
		}
		return
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			eachLeaf(t, path, v.Index(i), f)
		}
		return
	case reflect.Slice:
		if v.Len() > 0 {
			for i := 0; i < v.Len(); i++ {
				eachLeaf(t, path, v.Index(i), f)
			}
			return
		}
		v.Set(reflect.Append(v, reflect.New(v.Type().Elem()).Elem()))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.String:
		v.SetString(v.String() + "x")
	default:
		t.Fatalf("%s: a %s the test cannot change", path, v.Kind())
	}
	f(path)
	restore()
}

// TestHashCoversEveryField changes every field of a market and of a
// month's terms, one at a time, and checks that the canonical encoding
// (and so the experiment hash) changes: a field added to either cannot be
// left out of the hash, so a resume cannot mix results of different
// settings.
func TestHashCoversEveryField(t *testing.T) {
	t.Parallel()
	e, err := LoadBytes([]byte(minimal), "m.toml", ".")
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"market": &e.Scenarios[0].Market, "terms": &e.Scenarios[0].Compiled.Terms[0]} {
		rv := reflect.ValueOf(v).Elem()
		base := canonical(rv)
		n := 0
		eachLeaf(t, name, rv, func(path string) {
			n++
			if bytes.Equal(canonical(rv), base) {
				t.Errorf("changing %s leaves the hash's encoding unchanged", path)
			}
		})
		if !bytes.Equal(canonical(rv), base) {
			t.Fatalf("%s not restored", name)
		}
		if n < 10 {
			t.Errorf("%s: only %d fields changed, want them all", name, n)
		}
	}
	// And end to end: a parameter set in [market] changes the hash.
	e2, err := LoadBytes([]byte(minimal+"[market]\nbuyers.budget_sigma = 1.5000000000000002\n"), "m.toml", ".")
	if err != nil {
		t.Fatal(err)
	}
	if e2.Hash == e.Hash {
		t.Error("a market parameter one ulp apart gives the same hash")
	}
}

// TestHashStable checks that loading the same file twice, or as a copy,
// gives the same hash (map order, pointers and memory play no part).
func TestHashStable(t *testing.T) {
	t.Parallel()
	src := amendment("month = \"2026-01\"\nrelease_lag_months = { azure = 1.0, aws = 2.0, gcp = 3.0 }") +
		"[[scenario]]\nname = \"r\"\nregime = \"r\"\n[[sweep]]\nscenario = \"r\"\n[sweep.grid]\n\"sellers.azure.bundle_discount\" = [0.1, 0.2]\n"
	var first string
	for i := 0; i < 5; i++ {
		e, err := LoadBytes([]byte(src), "m.toml", ".")
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = e.Hash
		} else if e.Hash != first {
			t.Fatalf("load %d: hash %s, first %s", i, e.Hash, first)
		}
	}
}
