package main

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/namegen"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/storetest"
)

// Every submission of a load asks for a name of its own that the name
// check lets through against `make run`'s default registry: a load of
// refused names would measure nothing but refusals.
func TestLoadNamesAreDistinctAndPassTheCheck(t *testing.T) {
	form, err := os.ReadFile("../examples/valid-llc.json")
	if err != nil {
		t.Fatal(err)
	}
	idx := storetest.NewMemNameIndex()
	now := func() time.Time { return storetest.T0 }
	if err := namegen.Load(t.Context(), idx, namegen.Generate(namegen.DefaultSize, namegen.DefaultSeed, now())); err != nil {
		t.Fatal(err)
	}
	check := &names.Checker{Index: idx, Now: now}
	seen := map[string]bool{}
	const n = 3000
	refused := 0
	for i := range n {
		b, err := withTradeName(form, i)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Company struct {
				Name string `json:"name"`
			} `json:"company"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if seen[f.Company.Name] {
			t.Fatalf("submission %d repeats the name %s", i, f.Company.Name)
		}
		seen[f.Company.Name] = true
		if i%10 != 0 {
			continue // every tenth name is checked: the check is the slow part
		}
		res, err := check.Check(t.Context(), names.Request{Name: f.Company.Name})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict == names.Refused {
			refused++
			t.Logf("%s refused: %+v", f.Company.Name, res.Reasons)
		}
	}
	if refused > 0 {
		t.Errorf("%d of %d checked load names refused", refused, n/10)
	}
}
