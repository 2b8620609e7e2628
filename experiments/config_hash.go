package experiments

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// hash returns the sha256 of everything that determines the results: the
// run settings, and each scenario's market and the terms its regime gives
// month by month. Values are written in a canonical form (canonicalWrite),
// never with Go's %v, so the hash changes only when a value does.
func (e *Experiment) hash() string {
	h := sha256.New()
	fmt.Fprintf(h, "seed=%d runs=%d precision=%x max=%d batch=%d window=%s..%s baseline=%d\n",
		e.Seed, e.Runs, math.Float64bits(e.Precision), e.MaxRuns, e.Batch, e.WindowStart, e.WindowEnd, e.Baseline)
	for _, m := range e.AnnualizedAt {
		fmt.Fprintf(h, "annualized_at=%s\n", m)
	}
	// Scenarios of one regime share its terms (a sweep's grid points): hash
	// them once per regime.
	terms := map[string][]byte{}
	for _, s := range e.Scenarios {
		fmt.Fprintf(h, "scenario %q regime %q\n", s.Name, s.Regime.Name)
		canonicalWrite(h, "market", reflect.ValueOf(s.Market))
		sum, ok := terms[s.Regime.Name]
		if !ok {
			th := sha256.New()
			canonicalWrite(th, "terms", reflect.ValueOf(s.Compiled.Terms))
			sum = th.Sum(nil)
			terms[s.Regime.Name] = sum
		}
		fmt.Fprintf(h, "terms %x\n", sum)
	}
	if e.Uncertainty != nil {
		e.Uncertainty.hashInto(h)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalWrite writes v as lines "path=value", one per leaf field, in
// field order; floats as their IEEE bits, maps in key order, slices with
// their length. It panics on a kind it does not know (a programmer's
// error: TestHashCoversEveryField walks every type hashed).
func canonicalWrite(h hash.Hash, path string, v reflect.Value) {
	var buf []byte
	canonicalAppend(&buf, path, v)
	h.Write(buf)
}

func canonicalAppend(buf *[]byte, path string, v reflect.Value) {
	leaf := func(s string) {
		*buf = append(append(append(append(*buf, path...), '='), s...), '\n')
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				canonicalAppend(buf, path+"."+t.Field(i).Name, v.Field(i))
			}
		}
	case reflect.Array, reflect.Slice:
		leaf("len " + strconv.Itoa(v.Len()))
		for i := 0; i < v.Len(); i++ {
			canonicalAppend(buf, path+"["+strconv.Itoa(i)+"]", v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		strs := make([]string, len(keys))
		for i, k := range keys {
			strs[i] = fmt.Sprint(k.Interface())
		}
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(strs[a], strs[b]) })
		leaf("len " + strconv.Itoa(v.Len()))
		for _, i := range order {
			canonicalAppend(buf, path+"["+strconv.Quote(strs[i])+"]", v.MapIndex(keys[i]))
		}
	case reflect.Pointer:
		if v.IsNil() {
			leaf("nil")
			return
		}
		canonicalAppend(buf, path, v.Elem())
	case reflect.Float32, reflect.Float64:
		leaf(strconv.FormatUint(math.Float64bits(v.Float()), 16))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		leaf(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		leaf(strconv.FormatUint(v.Uint(), 10))
	case reflect.Bool:
		leaf(strconv.FormatBool(v.Bool()))
	case reflect.String:
		leaf(strconv.Quote(v.String()))
	default:
		panic("experiments: hash: cannot write a " + v.Kind().String() + " at " + path)
	}
}
