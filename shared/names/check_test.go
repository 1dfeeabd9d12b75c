package names_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/storetest"
)

var now = time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

// registry is the index every case checks against.
var registry = []struct {
	name    string
	status  kaiban.NameStatus
	changed time.Time
	until   time.Time
}{
	{"沈阳鑫源房地产有限公司", kaiban.NameRegistered, now.AddDate(-3, 0, 0), time.Time{}},
	{"沈阳老龙口酒业有限公司", kaiban.NameRegistered, now.AddDate(-5, 0, 0), time.Time{}},
	{"沈阳华美餐饮有限公司", kaiban.NameRegistered, now.AddDate(-2, 0, 0), time.Time{}},
	{"大连海韵软件有限公司", kaiban.NameRegistered, now.AddDate(-1, 0, 0), time.Time{}},
	{"沈阳北辰软件有限公司", kaiban.NameDeregistered, now.AddDate(0, -6, 0), time.Time{}},
	{"沈阳南星软件有限公司", kaiban.NameRevoked, now.AddDate(-1, -1, 0), time.Time{}},
	{"沈阳明远物流有限公司", kaiban.NameReserved, now.AddDate(0, 0, -5), now.AddDate(0, 0, 25)},
	{"沈阳晴川物流有限公司", kaiban.NameReserved, now.AddDate(0, -3, 0), now.AddDate(0, 0, -1)},
}

func newChecker(t *testing.T) *names.Checker {
	t.Helper()
	idx := storetest.NewMemNameIndex()
	var recs []kaiban.NameRecord
	for _, r := range registry {
		rec, ok := names.Record(r.name)
		if !ok {
			t.Fatalf("fixture %s does not parse", r.name)
		}
		rec.Status, rec.ChangedAt, rec.ReservedUntil, rec.Holder = r.status, r.changed, r.until, ""
		if r.status == kaiban.NameReserved {
			rec.Holder = "KBFIXTURE"
		}
		recs = append(recs, rec)
	}
	if err := idx.PutNames(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	return &names.Checker{Index: idx, Now: func() time.Time { return now }}
}

func codes(r names.Result) []string {
	var out []string
	for _, x := range r.Reasons {
		out = append(out, x.Code)
	}
	return out
}

// TestRules covers every rule in both directions: a name that breaks it
// and one just like it that does not.
func TestRules(t *testing.T) {
	c := newChecker(t)
	cases := []struct {
		rule, name string
		want       names.Verdict
		code       string // the reason expected ("" for none)
		conflict   string // a conflicting name expected
	}{
		// structure and characters
		{"charset traditional", "沈阳雲啟软件有限公司", names.Refused, "NAME_CHARSET", ""},
		{"charset simplified", "沈阳云启软件有限公司", names.Available, "", ""},
		{"charset latin", "沈阳AB软件有限公司", names.Refused, "NAME_CHARSET", ""},
		{"charset digits", "沈阳云启8软件有限公司", names.Refused, "NAME_CHARSET", ""},
		{"charset full-width digit", "沈阳云启８软件有限公司", names.Refused, "NAME_CHARSET", ""},
		{"trade one character", "沈阳云软件有限公司", names.Refused, "NAME_TRADE_TOO_SHORT", ""},
		{"trade two characters", "沈阳云帆软件有限公司", names.Available, "", ""},
		{"no trade name", "沈阳软件有限公司", names.Refused, "NAME_TRADE_IS_INDUSTRY", ""},
		{"trade is a Liaoning region", "沈阳大连软件有限公司", names.Refused, "NAME_TRADE_IS_REGION", ""},
		{"trade is a province", "沈阳浙江软件有限公司", names.Refused, "NAME_TRADE_IS_REGION", ""},
		{"trade merely contains a region character", "沈阳浙帆软件有限公司", names.Available, "", ""},
		{"trade is an industry word", "沈阳餐饮软件有限公司", names.Refused, "NAME_TRADE_IS_INDUSTRY", ""},
		{"trade is an org form", "沈阳公司软件有限公司", names.Refused, "NAME_TRADE_IS_ORG_FORM", ""},
		{"no org form", "沈阳云启软件", names.Refused, "NAME_ORG_FORM_MISSING", ""},
		{"no region", "云启软件有限公司", names.Refused, "NAME_REGION_MISSING", ""},
		{"ambiguous county short form", "铁西云启软件有限公司", names.Refused, "NAME_REGION_AMBIGUOUS", ""},
		{"county official name", "铁西区云启软件有限公司", names.Refused, "NAME_REGION_AMBIGUOUS", ""},
		{"unambiguous county", "浑南云启软件有限公司", names.Available, "", ""},
		{"unknown industry words", "沈阳云启星辰有限公司", names.Refused, "NAME_INDUSTRY_UNKNOWN", ""},
		// prohibited and restricted words
		{"state words", "沈阳中华软件有限公司", names.Refused, "NAME_STATE_WORDS", ""},
		{"state words allowed inside 中央空调", "沈阳华冷中央空调有限公司", names.Available, "", ""},
		{"state words as trade name", "沈阳中央科技有限公司", names.Refused, "NAME_STATE_WORDS", ""},
		{"party and state organs", "沈阳政协软件有限公司", names.Refused, "NAME_PARTY_STATE", ""},
		{"foreign countries", "沈阳美国软件有限公司", names.Refused, "NAME_FOREIGN", ""},
		{"gambling", "沈阳博彩软件有限公司", names.Refused, "NAME_VULGAR", ""},
		{"gambling, a word of its own", "沈阳赌神娱乐有限公司", names.Refused, "NAME_VULGAR", ""},
		{"superstition", "沈阳风水文化有限公司", names.Refused, "NAME_VULGAR", ""},
		{"discrimination", "沈阳男尊文化有限公司", names.Refused, "NAME_DISCRIMINATION", ""},
		{"misleading", "沈阳第一软件有限公司", names.Refused, "NAME_MISLEADING", ""},
		// identical (refused)
		{"identical", "沈阳鑫源房地产有限公司", names.Refused, "NAME_IDENTICAL", "沈阳鑫源房地产有限公司"},
		{"identical, region in brackets", "鑫源（沈阳）房地产有限公司", names.Refused, "NAME_IDENTICAL", "沈阳鑫源房地产有限公司"},
		{"identical, other org form", "沈阳老龙口酒业有限责任公司", names.Refused, "NAME_IDENTICAL", "沈阳老龙口酒业有限公司"},
		{"identical, other org form (厂)", "沈阳老龙口酒业厂", names.Refused, "NAME_IDENTICAL", "沈阳老龙口酒业有限公司"},
		{"identical, other region of the same city", "浑南老龙口酒业有限公司", names.Refused, "NAME_IDENTICAL", "沈阳老龙口酒业有限公司"},
		{"identical, reordered registered name", "老龙口（沈阳）酒业股份有限公司", names.Refused, "NAME_IDENTICAL", "沈阳老龙口酒业有限公司"},
		{"same name in another city", "大连老龙口酒业有限公司", names.Available, "", ""},
		{"deregistered under a year", "沈阳北辰软件有限公司", names.Refused, "NAME_IDENTICAL", "沈阳北辰软件有限公司"},
		{"revoked over a year ago", "沈阳南星软件有限公司", names.Available, "", ""},
		{"reserved in its period", "沈阳明远物流有限公司", names.Refused, "NAME_IDENTICAL", "沈阳明远物流有限公司"},
		{"reservation expired", "沈阳晴川物流有限公司", names.Available, "", ""},
		// similar (review)
		{"industry synonym 置业", "沈阳鑫源置业有限公司", names.Review, "NAME_SIMILAR", "沈阳鑫源房地产有限公司"},
		{"industry synonym 地产", "沈阳鑫源地产有限公司", names.Review, "NAME_SIMILAR", "沈阳鑫源房地产有限公司"},
		{"other industry", "沈阳鑫源餐饮有限公司", names.Available, "", ""},
		{"homophone", "沈阳欣源房地产有限公司", names.Review, "NAME_SIMILAR", "沈阳鑫源房地产有限公司"},
		{"homophone, other industry", "沈阳欣源软件有限公司", names.Available, "", ""},
		{"homophone, other city", "大连欣源房地产有限公司", names.Available, "", ""},
		{"contains a registered trade name", "沈阳华美家餐饮有限公司", names.Review, "NAME_SIMILAR", "沈阳华美餐饮有限公司"},
		{"contains a trade name of another industry", "沈阳华美家软件有限公司", names.Available, "", ""},
		{"contains a trade name of another city", "沈阳海韵达软件有限公司", names.Available, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			r, err := c.Check(context.Background(), names.Request{Name: tc.name})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tc.want {
				t.Errorf("%s: verdict %s, want %s (reasons %v)", tc.name, r.Verdict, tc.want, codes(r))
			}
			if tc.code != "" && !slices.Contains(codes(r), tc.code) {
				t.Errorf("%s: reasons %v, want %s", tc.name, codes(r), tc.code)
			}
			if tc.code == "" && len(r.Reasons) > 0 {
				t.Errorf("%s: reasons %v, want none", tc.name, codes(r))
			}
			if tc.conflict != "" && !slices.ContainsFunc(r.Conflicts, func(x names.Conflict) bool { return x.Name == tc.conflict }) {
				t.Errorf("%s: conflicts %v, want %s", tc.name, r.Conflicts, tc.conflict)
			}
		})
	}
}

// TestSuggestionsPass: a refused or reviewed name gets one to three
// suggestions, each itself available; also one whose trade name contains
// a registered one (华美家 ⊃ 华美), which varying its last character
// alone never frees.
func TestSuggestionsPass(t *testing.T) {
	c := newChecker(t)
	for _, name := range []string{"沈阳鑫源房地产有限公司", "沈阳欣源房地产有限公司", "沈阳雲啟软件有限公司", "沈阳中华软件有限公司", "沈阳云软件有限公司", "沈阳华美家餐饮有限公司"} {
		r, err := c.Check(context.Background(), names.Request{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Suggestions) == 0 || len(r.Suggestions) > 3 {
			t.Errorf("%s: %d suggestions %v, want 1–3", name, len(r.Suggestions), r.Suggestions)
		}
		for _, s := range r.Suggestions {
			if got, _ := c.Check(context.Background(), names.Request{Name: s}); got.Verdict != names.Available {
				t.Errorf("%s: suggestion %s is %s (%v)", name, s, got.Verdict, codes(got))
			}
		}
	}
	if r, _ := c.Check(context.Background(), names.Request{Name: "沈阳云启软件有限公司"}); len(r.Suggestions) != 0 {
		t.Errorf("an available name got suggestions %v", r.Suggestions)
	}
}

// TestParts: the form's parts are checked like the full name, and a
// traditional trade name is suggested in simplified characters.
func TestParts(t *testing.T) {
	c := newChecker(t)
	r, err := c.Check(context.Background(), names.Request{Parts: &names.Parts{Region: "沈阳", TradeName: "鑫源", Industry: "置业", OrgForm: "有限公司"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != names.Review {
		t.Fatalf("parts verdict %s %v, want review", r.Verdict, codes(r))
	}
	r, _ = c.Check(context.Background(), names.Request{Parts: &names.Parts{Region: "沈阳", TradeName: "雲啟", Industry: "软件", OrgForm: "有限公司"}})
	if r.Verdict != names.Refused || len(r.Suggestions) == 0 || r.Suggestions[0] != "沈阳云启软件有限公司" {
		t.Errorf("traditional trade name: %s, suggestions %v, want refused with 沈阳云启软件有限公司 first", r.Verdict, r.Suggestions)
	}
}

// TestHolderOwnReservation: an applicant's own reservation is no conflict.
func TestHolderOwnReservation(t *testing.T) {
	c := newChecker(t)
	r, _ := c.Check(context.Background(), names.Request{Name: "沈阳明远物流有限公司", Holder: "KBFIXTURE"})
	if r.Verdict != names.Available {
		t.Errorf("own reservation: %s %v", r.Verdict, codes(r))
	}
}

// TestViewLanguages: reasons and conflicts come in Chinese by default and
// in English on request; lists are never null.
func TestViewLanguages(t *testing.T) {
	c := newChecker(t)
	r, _ := c.Check(context.Background(), names.Request{Name: "沈阳欣源房地产有限公司"})
	zh, en := r.In("zh"), r.In("en")
	if zh.Verdict != "review" || len(zh.Conflicts) != 1 || zh.Conflicts[0].Relation != "similar" || !strings.Contains(zh.Conflicts[0].Why, "读音") {
		t.Errorf("zh view %+v", zh)
	}
	if !strings.Contains(en.Conflicts[0].Why, "sounds the same") || !strings.Contains(en.Reasons[0].Rule, "reviewed") {
		t.Errorf("en view %+v", en)
	}
	ok, _ := c.Check(context.Background(), names.Request{Name: "沈阳云启软件有限公司"})
	if v := ok.In("en"); v.Reasons == nil || v.Conflicts == nil || v.Suggestions == nil {
		t.Errorf("available view has null lists: %+v", v)
	}
}

// TestCitySettlesRegion: a county short form shared by two cities is
// refused alone and placed by the registered address's city.
func TestCitySettlesRegion(t *testing.T) {
	c := newChecker(t)
	p := &names.Parts{Region: "铁西", TradeName: "云启", Industry: "软件", OrgForm: "有限公司"}
	if r, _ := c.Check(context.Background(), names.Request{Parts: p}); r.Verdict != names.Refused {
		t.Errorf("without a city: %s", r.Verdict)
	}
	if r, _ := c.Check(context.Background(), names.Request{Parts: p, City: "2103"}); r.Verdict != names.Available || r.Name.Registry != "2103" {
		t.Errorf("with city 2103: %s %v registry %s", r.Verdict, codes(r), r.Name.Registry)
	}
}

// countingIndex counts FindNames calls: each is a round trip to the store.
type countingIndex struct {
	kaiban.NameIndex
	calls int
}

func (c *countingIndex) FindNames(ctx context.Context, keys []string) ([]kaiban.NameRecord, error) {
	c.calls++
	return c.NameIndex.FindNames(ctx, keys)
}

// TestCheckLookups: a check with suggestions looks its candidates up
// together, not one store round trip each, and still finds three.
func TestCheckLookups(t *testing.T) {
	cases := []struct {
		name     string
		maxCalls int
	}{
		{"沈阳云启软件有限公司", 1},  // available: its own look-up
		{"沈阳鑫源房地产有限公司", 2}, // identical: its own, then one round of candidates
		{"沈阳欣源房地产有限公司", 2}, // similar (homophone)
		{"沈阳华美家餐饮有限公司", 2}, // similar (contains 华美)
	}
	for _, tc := range cases {
		c := newChecker(t)
		idx := &countingIndex{NameIndex: c.Index}
		c.Index = idx
		r, err := c.Check(context.Background(), names.Request{Name: tc.name})
		if err != nil {
			t.Fatal(err)
		}
		if idx.calls > tc.maxCalls {
			t.Errorf("%s: %d look-ups, want at most %d", tc.name, idx.calls, tc.maxCalls)
		}
		if r.Verdict != names.Available && len(r.Suggestions) != 3 {
			t.Errorf("%s: %s with suggestions %v, want three", tc.name, r.Verdict, r.Suggestions)
		}
	}
}
