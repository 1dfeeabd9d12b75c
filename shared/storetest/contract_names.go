package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// RunNameIndexContract checks a kaiban.NameIndex: look-ups by key, replace
// by name, and reservations (exclusive on the identical key, retried by
// their holder, blocked by registered and recently removed names, free
// again once expired), including a race in which exactly one of several
// reservers wins. open returns an empty index.
func RunNameIndexContract(t *testing.T, open func(t *testing.T) kaiban.NameIndex) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	rec := func(name, idKey string, st kaiban.NameStatus, changed time.Time) kaiban.NameRecord {
		return kaiban.NameRecord{Name: name, Registry: "2101", Status: st, ChangedAt: changed,
			Keys: []string{"I|" + idKey, "S|" + idKey, "H|" + name}}
	}
	reservation := func(name, idKey, holder string, until time.Time) kaiban.NameRecord {
		r := rec(name, idKey, kaiban.NameReserved, now)
		r.Holder, r.ReservedUntil = holder, until
		return r
	}

	t.Run("find by key", func(t *testing.T) {
		x := open(t)
		a := rec("沈阳甲乙软件有限公司", "甲乙软件", kaiban.NameRegistered, now.Add(-time.Hour))
		b := rec("沈阳丙丁软件有限公司", "丙丁软件", kaiban.NameDeregistered, now.AddDate(0, -2, 0))
		if err := x.PutNames(t.Context(), []kaiban.NameRecord{a, b}); err != nil {
			t.Fatal(err)
		}
		got, err := x.FindNames(t.Context(), []string{"I|甲乙软件", "S|甲乙软件", "H|沈阳丙丁软件有限公司", "I|nothing"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("found %d records, want 2 (each once): %+v", len(got), got)
		}
		slices.SortFunc(got, func(p, q kaiban.NameRecord) int { return cmpStr(p.Name, q.Name) })
		if g := got[1]; g.Name != a.Name || g.Status != a.Status || !g.ChangedAt.Equal(a.ChangedAt) || g.Registry != "2101" || !slices.Equal(g.Keys, a.Keys) {
			t.Errorf("record %+v, want %+v", g, a)
		}
		if none, err := x.FindNames(t.Context(), []string{"S|nothing"}); err != nil || len(none) != 0 {
			t.Errorf("unknown key: %v %v", none, err)
		}
	})

	t.Run("put replaces by name", func(t *testing.T) {
		x := open(t)
		a := rec("沈阳甲乙软件有限公司", "甲乙软件", kaiban.NameRegistered, now.AddDate(-1, 0, 0))
		if err := x.PutNames(t.Context(), []kaiban.NameRecord{a}); err != nil {
			t.Fatal(err)
		}
		a.Status, a.ChangedAt, a.Keys = kaiban.NameRevoked, now, []string{"I|新键", "S|新键"}
		if err := x.PutNames(t.Context(), []kaiban.NameRecord{a}); err != nil {
			t.Fatal(err)
		}
		if old, _ := x.FindNames(t.Context(), []string{"I|甲乙软件"}); len(old) != 0 {
			t.Errorf("old key still finds %+v", old)
		}
		got, _ := x.FindNames(t.Context(), []string{"S|新键"})
		if len(got) != 1 || got[0].Status != kaiban.NameRevoked {
			t.Errorf("after replace: %+v", got)
		}
	})

	t.Run("reservations", func(t *testing.T) {
		x := open(t)
		seed := []kaiban.NameRecord{
			rec("沈阳注册软件有限公司", "注册软件", kaiban.NameRegistered, now.AddDate(-3, 0, 0)),
			rec("沈阳新销软件有限公司", "新销软件", kaiban.NameDeregistered, now.AddDate(0, -6, 0)),
			rec("沈阳旧销软件有限公司", "旧销软件", kaiban.NameRevoked, now.AddDate(-1, -1, 0)),
		}
		if err := x.PutNames(t.Context(), seed); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			what string
			rec  kaiban.NameRecord
			at   time.Time
			want string // error name, "" for success
		}{
			{"free name", reservation("沈阳空闲软件有限公司", "空闲软件", "KB1", now.AddDate(0, 0, 30)), now, ""},
			{"same holder again", reservation("沈阳空闲软件有限公司", "空闲软件", "KB1", now.AddDate(0, 0, 30)), now, ""},
			{"other holder, same name", reservation("沈阳空闲软件有限公司", "空闲软件", "KB2", now.AddDate(0, 0, 30)), now, kaiban.ErrNameTaken},
			{"other holder, other form", reservation("沈阳空闲软件有限责任公司", "空闲软件", "KB2", now.AddDate(0, 0, 30)), now, kaiban.ErrNameTaken},
			{"after the reservation expired", reservation("沈阳空闲软件有限责任公司", "空闲软件", "KB2", now.AddDate(0, 0, 61)), now.AddDate(0, 0, 31), ""},
			{"registered", reservation("沈阳注册软件有限公司", "注册软件", "KB3", now.AddDate(0, 0, 30)), now, kaiban.ErrNameTaken},
			{"deregistered under a year", reservation("沈阳新销软件有限公司", "新销软件", "KB3", now.AddDate(0, 0, 30)), now, kaiban.ErrNameTaken},
			{"revoked over a year ago", reservation("沈阳旧销软件有限公司", "旧销软件", "KB3", now.AddDate(0, 0, 30)), now, ""},
			{"no holder", reservation("沈阳别的软件有限公司", "别的软件", "", now.AddDate(0, 0, 30)), now, kaiban.ErrInput},
			{"no keys", kaiban.NameRecord{Name: "沈阳无键软件有限公司", Registry: "2101", Status: kaiban.NameReserved, Holder: "KB4", ReservedUntil: now.AddDate(0, 0, 30)}, now, kaiban.ErrInput},
		}
		for _, s := range steps {
			err := x.ReserveName(t.Context(), s.rec, s.at)
			if got := kaiban.ErrorName(err); (s.want == "" && err != nil) || (s.want != "" && got != s.want) {
				t.Errorf("%s: error %v, want %q", s.what, err, s.want)
			}
		}
		got, _ := x.FindNames(t.Context(), []string{"I|空闲软件"})
		holders := map[string]string{}
		for _, r := range got {
			holders[r.Name] = r.Holder
		}
		if holders["沈阳空闲软件有限责任公司"] != "KB2" || !got[0].ReservedUntil.After(now) {
			t.Errorf("reservations stored: %+v", got)
		}
	})

	t.Run("reservation race", func(t *testing.T) {
		x := open(t)
		const racers = 8
		var wg sync.WaitGroup
		errs := make([]error, racers)
		start := make(chan struct{})
		for i := range racers {
			wg.Go(func() {
				<-start
				// Half race for the very name, half for the same words
				// with another form: one identical key for all.
				name := "沈阳抢注软件有限公司"
				if i%2 == 1 {
					name = "沈阳抢注软件有限责任公司"
				}
				errs[i] = x.ReserveName(t.Context(), reservation(name, "抢注软件", fmt.Sprintf("KB%d", i), now.AddDate(0, 0, 30)), now)
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case kaiban.ErrorName(err) != kaiban.ErrNameTaken:
				t.Errorf("racer %d: %v, want success or %s", i, err, kaiban.ErrNameTaken)
			}
		}
		if won != 1 {
			t.Fatalf("%d of %d racers won, want exactly 1", won, racers)
		}
		if got, _ := x.FindNames(t.Context(), []string{"I|抢注软件"}); len(got) != 1 || got[0].Status != kaiban.NameReserved {
			t.Errorf("after the race the index holds %+v, want one reservation", got)
		}
	})
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
