package market

import (
	"reflect"
	"testing"

	"github.com/coopsim/coopsim/agents"
)

// TestDynamicsReuse runs regimes that share buyer dynamics (history and
// amended-no-cap differ only in the cap) and regimes that don't, in an
// order that exercises the Sim's dynamics cache, and checks every Series
// against a fresh Sim's.
func TestDynamicsReuse(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Buyers.Agents = 800
	compile := func(name string) *Compiled { return compiled(t, name, &cfg) }
	hist, noCap, orig, acq, exp := compile("history"), compile("amended-no-cap"), compile("original-2019"), compile("acquired-2024"), compile("expanded-2023")
	if !sameBuyerView(t, hist, noCap) {
		t.Fatal("regimes that differ only in money flows should share buyer dynamics")
	}
	if sameBuyerView(t, hist, orig) {
		t.Fatal("history and original-2019 open different channels: their dynamics must differ")
	}
	var reused Sim
	var got Series
	for _, step := range []struct {
		reg *Compiled
		run uint64
	}{{hist, 1}, {noCap, 1}, {orig, 1}, {acq, 1}, {exp, 1}, {noCap, 2}, {hist, 2}, {hist, 1}} {
		key := agents.Key{Seed: 3, Run: step.run}
		if err := reused.Run(&cfg, step.reg, key, &got, false); err != nil {
			t.Fatal(err)
		}
		var fresh Sim
		var want Series
		if err := fresh.Run(&cfg, step.reg, key, &want, false); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s run %d: the reused Sim's series differs from a fresh Sim's", step.reg.Name, step.run)
		}
	}
	// A parameter buyers react to must not reuse dynamics.
	cfg2 := cfg
	cfg2.Sellers[agents.ChannelAzure].BundleDiscount = 0.3
	var a, b Series
	if err := reused.Run(&cfg, hist, agents.Key{Seed: 3, Run: 1}, &a, false); err != nil {
		t.Fatal(err)
	}
	if err := reused.Run(&cfg2, hist, agents.Key{Seed: 3, Run: 1}, &b, false); err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Customers, b.Customers) {
		t.Fatal("changing Azure's bundle discount left customers unchanged: dynamics were wrongly reused")
	}
}

// sameBuyerView reports whether buyers see compiled regimes a and b alike:
// whether dynamics recorded under a serve b.
func sameBuyerView(t *testing.T, a, b *Compiled) bool {
	t.Helper()
	var dc dynamicsCache
	key := dynamicsKey{run: agents.Key{Seed: 1}}
	dc.store(key, a, a.Months())
	return dc.lookup(key, b) != nil
}
