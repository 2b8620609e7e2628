package market

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents"
)

// fieldUse says whether the buyer stepper (simulateBuyers and what it
// calls) depends on a field of its inputs, and so whether the field is in
// the dynamics key (dynamicsKey and monthView), and why.
type fieldUse struct {
	key bool
	why string
}

// A field listed as split is not a leaf: its own fields are listed under
// "Field.Sub".
var split = fieldUse{why: "split: its fields are listed one by one"}

// stepperConfig lists every field of Config. Types the key holds whole
// (agents.BuyerConfig, agents.SellerConfig) are leaves: whatever field they
// gain is in the key.
var stepperConfig = map[string]fieldUse{
	"Start":               {true, "the months simulated"},
	"End":                 {true, "the months simulated"},
	"Buyers":              {true, "the population, spend ramps and renewals"},
	"Sellers":             {true, "utilities, prices, reach, targeting, adaptive pricing (Margin only in accounting, but the key takes sellers whole)"},
	"Opens":               {true, "when rival channels open"},
	"Makers":              {true, "makers' constants and standing in utilities"},
	"Clouds":              {true, "cloud misfit in utilities, cloud pull"},
	"PreviewPenalty":      {true, "utility of channels in preview"},
	"SpendGrowth":         {false, "accounting only: spend grows after the stepper's list-price usage"},
	"SpendGrowthFrom":     {false, "accounting only"},
	"SpendGrowthLongRun":  {false, "accounting only"},
	"SpendGrowthHalfLife": {false, "accounting only"},
	"OtherRevenue":        {false, "accounting only (otherCache)"},
}

// stepperRegime lists every field of Compiled and of its Terms.
var stepperRegime = map[string]fieldUse{
	"Name":                        {false, "a label"},
	"Start":                       {false, "equal to Config.Start, which is in the key (Run refuses others)"},
	"Avail":                       {true, "monthView.avail"},
	"Lag":                         {true, "monthView.lag"},
	"OpenSince":                   {true, "monthView.openSince: when reach starts"},
	"Terms":                       split,
	"Terms.Preview":               {true, "monthView.preview"},
	"Terms.DirectSales":           {true, "monthView.directSales: OpenAI's team pitches"},
	"Terms.Open":                  {false, "read through Avail and OpenSince, which Compile derives from it"},
	"Terms.ReleaseLag":            {false, "read through Lag and Avail"},
	"Terms.AzureFirst":            {false, "read through Lag and Avail"},
	"Terms.LicenceExclusive":      {false, "read through Avail"},
	"Terms.LicenceEnd":            {false, "read through Avail"},
	"Terms.ShareToMicrosoft":      {false, "accounting only"},
	"Terms.ShareToMicrosoftUntil": {false, "accounting only"},
	"Terms.ShareIncludesOther":    {false, "accounting only"},
	"Terms.ShareToOpenAI":         {false, "accounting only"},
	"Terms.ShareToOpenAIUntil":    {false, "accounting only"},
	"Terms.HasCap":                {false, "accounting only"},
	"Terms.CapUSD":                {false, "accounting only"},
	"Terms.CapStart":              {false, "accounting only"},
	"Terms.CapEnd":                {false, "accounting only"},
	"Terms.MarketplaceFee":        {false, "accounting only"},
	"Terms.Acquired":              {false, "accounting only"},
	"Terms.Rival":                 {true, "monthView.rival: rival channels opened or closed"},
}

// leaves returns the field paths of t, descending into fields listed as
// split (a slice's elements for a slice of structs).
func leaves(t reflect.Type, prefix string, uses map[string]fieldUse) []string {
	var out []string
	for f := range t.Fields() {
		path := prefix + f.Name
		u, ok := uses[path]
		if ok && u == split {
			ft := f.Type
			if ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			out = append(out, leaves(ft, path+".", uses)...)
			continue
		}
		out = append(out, path)
	}
	return out
}

// TestStepperInputsListed fails when Config, Compiled or Terms gain a field
// that the lists above do not classify (decide whether buyers react to it:
// if so, add it to dynamicsKey or monthView), or lose one they list.
func TestStepperInputsListed(t *testing.T) {
	for _, c := range []struct {
		name string
		typ  reflect.Type
		uses map[string]fieldUse
	}{
		{"Config", reflect.TypeFor[Config](), stepperConfig},
		{"Compiled", reflect.TypeFor[Compiled](), stepperRegime},
	} {
		got := leaves(c.typ, "", c.uses)
		for _, p := range got {
			if _, ok := c.uses[p]; !ok {
				t.Errorf("%s.%s is not listed: say whether the buyer stepper reads it (then put it in dynamicsKey or monthView) or not", c.name, p)
			}
		}
		for p, u := range c.uses {
			if u != split && !slices.Contains(got, p) {
				t.Errorf("%s.%s is listed but %s has no such field", c.name, p, c.name)
			}
		}
	}
}

// field returns the field at a dotted path of v (a pointer's element).
func field(v reflect.Value, path string) reflect.Value {
	for _, name := range strings.Split(path, ".") {
		v = v.FieldByName(name)
	}
	return v
}

// perturb changes every number, flag, month and string in v, and reports
// whether there was any.
func perturb(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Float64:
		v.SetFloat(v.Float()*1.25 + 0.05)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() ^ 1)
	case reflect.String:
		v.SetString(v.String() + "~")
	case reflect.Array, reflect.Slice:
		any := false
		for i := range v.Len() {
			any = perturb(v.Index(i)) || any
		}
		return any
	case reflect.Struct:
		any := false
		for i := range v.NumField() {
			any = perturb(v.Field(i)) || any
		}
		return any
	default:
		return false
	}
	return true
}

// stepperRun returns the dynamics a fresh Sim records for cfg under reg.
func stepperRun(t *testing.T, cfg *Config, reg *Compiled) *dynamics {
	t.Helper()
	var s Sim
	var out Series
	if err := s.Run(cfg, reg, agents.Key{Seed: 5, Run: 2}, &out, true); err != nil {
		t.Fatal(err)
	}
	return s.dync.entries[0]
}

func sameDynamics(a, b *dynamics) bool {
	return reflect.DeepEqual(a.usage, b.usage) && reflect.DeepEqual(a.count, b.count) && reflect.DeepEqual(a.price, b.price) &&
		reflect.DeepEqual(a.adopted, b.adopted) && reflect.DeepEqual(a.bySegment, b.bySegment) &&
		reflect.DeepEqual(a.byCloud, b.byCloud) && a.decisions == b.decisions
}

// cloneCompiled copies c deeply enough to change its monthly terms.
func cloneCompiled(c *Compiled) *Compiled {
	d := *c
	d.Terms = slices.Clone(c.Terms)
	d.Avail = slices.Clone(c.Avail)
	d.Lag = slices.Clone(c.Lag)
	d.OpenSince = slices.Clone(c.OpenSince)
	return &d
}

// TestStepperInputsKeyed checks the lists against the code: changing a
// field listed as in the key makes the dynamics cache miss, and changing
// one listed as not leaves a fresh Sim's dynamics exactly as they were (so
// reusing them is right).
func TestStepperInputsKeyed(t *testing.T) {
	base := DefaultConfig()
	base.Buyers.Agents = 600
	reg := compiled(t, "history", &base)
	want := stepperRun(t, &base, reg)
	run := want.key.run

	for _, p := range leaves(reflect.TypeFor[Config](), "", stepperConfig) {
		cfg := base
		cfg.OtherRevenue.Points = slices.Clone(base.OtherRevenue.Points)
		if !perturb(field(reflect.ValueOf(&cfg).Elem(), p)) {
			t.Fatalf("Config.%s: nothing to change", p)
		}
		if stepperConfig[p].key {
			if dynamicsKeyOf(&cfg, run, true) == want.key {
				t.Errorf("Config.%s is listed as in the dynamics key, but changing it leaves the key as it was", p)
			}
			continue
		}
		if !want.matches(dynamicsKeyOf(&cfg, run, true), reg) {
			t.Errorf("Config.%s is listed as not in the key, but changing it changes the key", p)
		}
		if !sameDynamics(stepperRun(t, &cfg, reg), want) {
			t.Errorf("Config.%s changes what buyers do: put it in dynamicsKey", p)
		}
	}
	for _, p := range leaves(reflect.TypeFor[Compiled](), "", stepperRegime) {
		r := cloneCompiled(reg)
		v := reflect.ValueOf(r).Elem()
		if name, ok := strings.CutPrefix(p, "Terms."); ok {
			for k := range r.Terms {
				perturb(v.FieldByName("Terms").Index(k).FieldByName(name))
			}
		} else if !perturb(field(v, p)) {
			t.Fatalf("Compiled.%s: nothing to change", p)
		}
		if stepperRegime[p].key {
			if want.matches(want.key, r) {
				t.Errorf("Compiled.%s is listed as in the dynamics key, but changing it leaves the view as it was", p)
			}
			continue
		}
		if !want.matches(want.key, r) {
			t.Errorf("Compiled.%s is listed as not in the key, but changing it changes the view", p)
		}
		if p == "Start" {
			continue // Run refuses a regime compiled for other months
		}
		if !sameDynamics(stepperRun(t, &base, r), want) {
			t.Errorf("Compiled.%s changes what buyers do: put it in monthView", p)
		}
	}
}

// TestOtherRevenueKeyed checks otherCache's key: changing any field of
// OtherRevenue that Fill reads makes sameAs false, and changing one it
// does not (Margin) leaves the series exactly as it was.
func TestOtherRevenueKeyed(t *testing.T) {
	base := DefaultConfig()
	st := agents.Key{Seed: 9}.Stream()
	want := make([]float64, base.Months())
	base.OtherRevenue.Fill(want, base.Start, st)
	for f := range reflect.TypeFor[OtherRevenue]().Fields() {
		o := base.OtherRevenue
		o.Points = slices.Clone(o.Points)
		perturb(reflect.ValueOf(&o).Elem().FieldByName(f.Name))
		if f.Name == "Margin" {
			got := make([]float64, base.Months())
			o.Fill(got, base.Start, st)
			if !o.sameAs(&base.OtherRevenue) || !slices.Equal(got, want) {
				t.Errorf("OtherRevenue.Margin: sameAs %v, series unchanged %v; want true, true", o.sameAs(&base.OtherRevenue), slices.Equal(got, want))
			}
			continue
		}
		if o.sameAs(&base.OtherRevenue) {
			t.Errorf("OtherRevenue.%s changed but sameAs says the series is the same: add it to sameAs (or list it with Margin if Fill does not read it)", f.Name)
		}
	}
}
