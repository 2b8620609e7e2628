package experiments

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/market"
)

// applyMarket sets every parameter path of a [market] table.
func applyMarket(cfg *market.Config, table map[string]any, prefix, file string) error {
	ovs, err := flatten(table, "")
	if err != nil {
		return &Error{File: file, Key: prefix, Msg: err.Error()}
	}
	for _, ov := range ovs {
		if err := setOverride(cfg, ov); err != nil {
			var ue *market.UnknownParamError
			if hint := misplacedTopLevel(ov.Path, prefix); hint != "" && errors.As(err, &ue) {
				return &Error{File: file, Key: prefix + "." + ov.Path, Msg: "unknown parameter" + hint}
			}
			return &Error{File: file, Key: prefix + "." + ov.Path, Msg: detailOf(err)}
		}
	}
	return nil
}

// topLevelValues are the top-level keys that take a value (not a table).
var topLevelValues = func() []string {
	var out []string
	t := reflect.TypeFor[fileFormat]()
	for i := 0; i < t.NumField(); i++ {
		ft := t.Field(i).Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		k, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
		switch ft.Kind() {
		case reflect.Struct, reflect.Map, reflect.Slice:
			continue
		}
		out = append(out, k)
	}
	return out
}()

// misplacedTopLevel returns advice for a key read inside table that is a
// top-level key's name (a top-level key written below a table header
// belongs to that table), or "".
func misplacedTopLevel(key, table string) string {
	if !slices.Contains(topLevelValues, key) {
		return ""
	}
	header := "[" + table + "]"
	switch table {
	case "regime", "scenario", "sweep":
		header = "[" + header + "]"
	}
	return fmt.Sprintf(": %s is a top-level key, and a key below a table's header belongs to the table: to set the top-level %s, move it above the first table, %s here", key, key, header)
}

// setOverride sets one parameter, including the one structured parameter
// (other_revenue.points).
func setOverride(cfg *market.Config, ov Override) error {
	if ov.Path == "other_revenue.points" {
		pts, err := revenuePoints(ov.Value)
		if err != nil {
			return err
		}
		cfg.OtherRevenue.Points = pts
		return nil
	}
	p, err := market.LookupParam(ov.Path)
	if err != nil {
		return err
	}
	if err := p.Set(cfg, ov.Value); err != nil {
		if p.Kind == market.KindInt {
			return wholeNumberError(*cfg, p, ov.Value, err)
		}
		return err
	}
	return nil
}

// wholeNumberError rewrites the error of a whole-number key whose value
// the market cannot hold (beyond ±2147483647, not whole, or not a number
// at all) so that it
// names the key's own range, as a value inside int32's range that the
// market refuses is named: the range is the one validation gives with the
// value moved to int32's nearest end. The market is a copy (its sellers
// and segments are arrays), so cfg is left as it was. Where validation
// names no range for the key, err stands.
func wholeNumberError(cfg market.Config, p *market.Param, v any, err error) error {
	x, isNum := toNumber(v)
	probes := []int64{math.MaxInt32, math.MinInt32}
	switch {
	case !isNum:
		// Text or another type: the key's whole range, as for a fraction.
		x = 0.5
	case x < 0:
		probes = probes[1:]
	case x == math.Trunc(x):
		probes = probes[:1]
	}
	for _, probe := range probes {
		c := cfg
		if p.Set(&c, probe) != nil {
			continue
		}
		var ve *agents.ValueError
		if errors.As(c.Validate(), &ve) && ve.Key == p.Path && ve.Got == "" {
			want := ve.Want
			if x != math.Trunc(x) {
				want = "a whole number from " + want
			}
			return &agents.ValueError{Key: p.Path, Value: v, Want: want}
		}
	}
	return err
}

// toNumber reads a TOML number (whole or not) as float64.
func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	}
	return 0, false
}

func revenuePoints(v any) ([]market.RevenuePoint, error) {
	list, ok := v.([]map[string]any)
	if !ok {
		if l, ok2 := v.([]any); ok2 {
			for _, x := range l {
				m, ok3 := x.(map[string]any)
				if !ok3 {
					return nil, errors.New(`want a list of {month = "YYYY-MM", annualized_usd = N}`)
				}
				list = append(list, m)
			}
		} else {
			return nil, errors.New(`want a list of {month = "YYYY-MM", annualized_usd = N}`)
		}
	}
	var pts []market.RevenuePoint
	for i, m := range list {
		ms, _ := m["month"].(string)
		mo, err := agents.ParseMonth(ms)
		if err != nil {
			return nil, fmt.Errorf("[%d].month: %s", i, msgOf(err))
		}
		var val float64
		switch x := m["annualized_usd"].(type) {
		case float64:
			val = x
		case int64:
			val = float64(x)
		default:
			return nil, fmt.Errorf("[%d].annualized_usd: want a number of US dollars", i)
		}
		for k := range m {
			if k != "month" && k != "annualized_usd" {
				return nil, fmt.Errorf("[%d]: unknown key %q (want month and annualized_usd)", i, k)
			}
		}
		pts = append(pts, market.RevenuePoint{Month: mo, Annualized: val})
	}
	return pts, nil
}

// flatten turns nested tables into dotted parameter paths, sorted so the
// order of application never depends on map order.
func flatten(table map[string]any, prefix string) ([]Override, error) {
	var out []Override
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		v := table[k]
		if sub, ok := v.(map[string]any); ok && p != "other_revenue.points" {
			inner, err := flatten(sub, p)
			if err != nil {
				return nil, err
			}
			out = append(out, inner...)
			continue
		}
		out = append(out, Override{Path: p, Value: v})
	}
	return out, nil
}

type gridAxis struct {
	path   string
	values []any
}

func gridAxes(grid map[string]any) ([]gridAxis, error) {
	ovs, err := flatten(grid, "")
	if err != nil {
		return nil, err
	}
	if len(ovs) == 0 {
		return nil, errors.New(`empty: give at least one parameter path with a list of values, e.g. "sellers.azure.bundle_discount" = [0.0, 0.1]`)
	}
	var axes []gridAxis
	for _, ov := range ovs {
		list, ok := ov.Value.([]any)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("%s: want a non-empty list of values, e.g. [0.0, 0.1, 0.2]", ov.Path)
		}
		if _, err := market.LookupParam(ov.Path); err != nil {
			return nil, err
		}
		axes = append(axes, gridAxis{path: ov.Path, values: list})
	}
	return axes, nil
}

func formatValue(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	default:
		return fmt.Sprint(x)
	}
}

// cloneConfig copies a Config deeply (its one slice included).
func cloneConfig(c *market.Config) market.Config {
	out := *c
	out.OtherRevenue.Points = slices.Clone(c.OtherRevenue.Points)
	return out
}
