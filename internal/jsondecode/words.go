package jsondecode

import (
	"reflect"
	"strings"
)

// typeWords names what a Go type takes in JSON, in the user's words.
func typeWords(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number, 0 or more"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list [...]"
	}
	return "an object {...}"
}

// valueWords names a JSON value's kind (json.UnmarshalTypeError.Value) in
// the user's words.
func valueWords(v string) string {
	switch {
	case v == "string":
		return "text"
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case v == "number":
		return "a number"
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ") // an out-of-range or fractional number
	}
	return v
}

// fieldType returns the type of struct type t's field that JSON key key
// decodes into, as encoding/json matches them: the field named key (its
// json name, or its Go name), else one named key but for case, among t's
// exported fields and those of its embedded structs, the shallowest
// first; false where t has none.
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	var exact, folded reflect.Type
	level := []reflect.Type{t}
	for depth := 0; len(level) > 0 && depth < 16 && exact == nil; depth++ {
		var next []reflect.Type
		for _, st := range level {
			for i := range st.NumField() {
				f := st.Field(i)
				tag := f.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				if inner := embedded(f, name); inner != nil {
					next = append(next, inner)
					continue
				}
				if !f.IsExported() {
					continue
				}
				if name == "" {
					name = f.Name
				}
				if name == key && exact == nil {
					exact = f.Type
				}
				if strings.EqualFold(name, key) && folded == nil {
					folded = f.Type
				}
			}
		}
		level = next
	}
	if exact != nil {
		return exact, true
	}
	return folded, folded != nil
}

// embedded returns the struct type whose fields field f (json name name)
// promotes, or nil.
func embedded(f reflect.StructField, name string) reflect.Type {
	if !f.Anonymous || name != "" {
		return nil
	}
	t := f.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	return t
}
