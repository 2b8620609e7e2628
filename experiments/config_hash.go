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
	c := canonicalEncoder{path: []byte(path)}
	c.value(v)
	h.Write(c.buf)
}

// canonicalEncoder builds the canonical text; path is the current key
// path, grown and cut back as the walk goes down and up.
type canonicalEncoder struct {
	buf, path []byte
}

func (c *canonicalEncoder) leaf(value []byte) {
	c.buf = append(append(append(append(c.buf, c.path...), '='), value...), '\n')
}

// down appends a path element, walks v, and cuts the path back.
func (c *canonicalEncoder) down(elem string, v reflect.Value) {
	n := len(c.path)
	c.path = append(c.path, elem...)
	c.value(v)
	c.path = c.path[:n]
}

func (c *canonicalEncoder) index(i int, v reflect.Value) {
	n := len(c.path)
	c.path = append(strconv.AppendInt(append(c.path, '['), int64(i), 10), ']')
	c.value(v)
	c.path = c.path[:n]
}

func (c *canonicalEncoder) value(v reflect.Value) {
	var num [32]byte
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() {
				c.down("."+f.Name, v.Field(i))
			}
		}
	case reflect.Array, reflect.Slice:
		c.leaf(strconv.AppendInt(append(num[:0], "len "...), int64(v.Len()), 10))
		for i := 0; i < v.Len(); i++ {
			c.index(i, v.Index(i))
		}
	case reflect.Map:
		c.mapValue(v)
	case reflect.Pointer:
		if v.IsNil() {
			c.leaf([]byte("nil"))
			return
		}
		c.value(v.Elem())
	case reflect.Float32, reflect.Float64:
		c.leaf(strconv.AppendUint(num[:0], math.Float64bits(v.Float()), 16))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.leaf(strconv.AppendInt(num[:0], v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.leaf(strconv.AppendUint(num[:0], v.Uint(), 10))
	case reflect.Bool:
		c.leaf(strconv.AppendBool(num[:0], v.Bool()))
	case reflect.String:
		c.leaf(strconv.AppendQuote(nil, v.String()))
	default:
		panic("experiments: hash: cannot write a " + v.Kind().String() + " at " + string(c.path))
	}
}

// mapValue writes a map's entries in the order of their keys' text.
func (c *canonicalEncoder) mapValue(v reflect.Value) {
	keys := v.MapKeys()
	strs := make([]string, len(keys))
	order := make([]int, len(keys))
	for i, k := range keys {
		strs[i], order[i] = fmt.Sprint(k.Interface()), i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(strs[a], strs[b]) })
	c.leaf(strconv.AppendInt([]byte("len "), int64(v.Len()), 10))
	for _, i := range order {
		c.down("["+strconv.Quote(strs[i])+"]", v.MapIndex(keys[i]))
	}
}
