package namegen

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/storetest"
)

var now = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)

// TestGenerateDeterministic: the same seed gives the same distinct names,
// each passing the rules, with every status represented.
func TestGenerateDeterministic(t *testing.T) {
	a, b := Generate(5000, 7, now), Generate(5000, 7, now)
	seen := map[string]bool{}
	statuses := map[kaiban.NameStatus]int{}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Status != b[i].Status {
			t.Fatalf("record %d differs between runs: %+v vs %+v", i, a[i], b[i])
		}
		if seen[a[i].Name] {
			t.Fatalf("duplicate %s", a[i].Name)
		}
		seen[a[i].Name] = true
		statuses[a[i].Status]++
		if !names.PassesRules(a[i].Name) {
			t.Errorf("%s breaks a rule", a[i].Name)
		}
	}
	for _, st := range []kaiban.NameStatus{kaiban.NameRegistered, kaiban.NameDeregistered, kaiban.NameRevoked, kaiban.NameReserved} {
		if statuses[st] == 0 {
			t.Errorf("no %s names among 5000: %v", st, statuses)
		}
	}
}

// TestExampleFormPassesDefaultRegistry: the example form's name is
// available against the default generated registry, so `make run` and the
// README's curl accept it.
func TestExampleFormPassesDefaultRegistry(t *testing.T) {
	idx := storetest.NewMemNameIndex()
	if err := Load(t.Context(), idx, Generate(DefaultSize, DefaultSeed, now)); err != nil {
		t.Fatal(err)
	}
	c := &names.Checker{Index: idx, Now: func() time.Time { return now }}
	p := names.Parts{Region: "沈阳", TradeName: "云启", Industry: "软件科技", OrgForm: "有限公司"}
	r, err := c.Check(context.Background(), names.Request{Parts: &p, City: "2101"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != names.Available {
		t.Fatalf("example form's name: %s %+v", r.Verdict, r.In("en"))
	}
	body, err := os.ReadFile("../examples/valid-llc.json")
	if err != nil || !strings.Contains(string(body), `"tradeName": "云启"`) {
		t.Fatalf("the example form no longer has trade name 云启 (%v): update this test", err)
	}
}

// TestRead loads exactly the file's names and refuses a bad line by its
// number.
func TestRead(t *testing.T) {
	recs, err := Read(strings.NewReader(`{"name":"沈阳鑫源房地产有限公司","status":"REGISTERED","changedAt":"2020-03-01"}

{"name":"大连海韵软件有限公司","status":"RESERVED","changedAt":"2026-12-01"}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Registry != "2101" || recs[1].Registry != "2102" || !recs[1].ReservedUntil.Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("records %+v", recs)
	}
	for _, bad := range []string{
		`{"name":"沈阳鑫源房地产有限公司","status":"GONE","changedAt":"2020-03-01"}`,
		`{"name":"鑫源房地产有限公司","status":"REGISTERED","changedAt":"2020-03-01"}`,
		`{"name":"沈阳鑫源房地产有限公司","status":"REGISTERED","changedAt":"2020/03/01"}`,
		`not json`,
	} {
		if _, err := Read(strings.NewReader("\n" + bad)); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%s: error %v, want one naming line 2", bad, err)
		}
	}
}

// TestStreamBatches: streaming hands over the names Generate returns, in
// order, in batches of at most the size asked for, so a loader never holds
// more than one batch.
func TestStreamBatches(t *testing.T) {
	want := Generate(2500, 7, now)
	var got []string
	err := Stream(2500, 7, now, 1000, func(recs []kaiban.NameRecord) error {
		if len(recs) == 0 || len(recs) > 1000 {
			t.Fatalf("batch of %d names, want 1 to 1000", len(recs))
		}
		for _, r := range recs {
			got = append(got, r.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("streamed %d names, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i].Name {
			t.Fatalf("name %d: streamed %s, Generate made %s", i, got[i], want[i].Name)
		}
	}
}
