package storetest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// RatingStore is a store with the ratings part.
type RatingStore interface {
	kaiban.Store
	kaiban.Ratings
}

// RunRatingsContract is the contract every kaiban.Ratings keeps: an
// application is rated once (of concurrent ratings exactly one wins),
// the rating and its audit event are stored together, and an unknown
// application or a bad rating stores nothing. open must return a new,
// empty store.
func RunRatingsContract(t *testing.T, open func(t *testing.T) RatingStore) {
	rating := func(id string, score int) kaiban.Rating {
		return kaiban.Rating{ApplicationID: id, Score: score, Tags: []string{"slow", "unclear"}, Comment: "等了两天才办完", RatedAt: T0.Add(5 * time.Hour)}
	}
	event := func(id string) kaiban.AuditEvent {
		return kaiban.AuditEvent{ApplicationID: id, Time: T0.Add(5 * time.Hour), Actor: "applicant", Action: "application.rated", After: []byte(`{"score":2}`)}
	}
	t.Run("OnceWithItsEvent", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "KBR1", T0)
		before, err := s.ListAudit(t.Context(), "KBR1")
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.GetRating(t.Context(), "KBR1")
		WantName(t, err, kaiban.ErrNotFound)
		got, err := s.CreateRatingWithAudit(t.Context(), rating("KBR1", 2), event("KBR1"))
		if err != nil {
			t.Fatal(err)
		}
		read, err := s.GetRating(t.Context(), "KBR1")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []kaiban.Rating{got, read} {
			if r.Score != 2 || strings.Join(r.Tags, ",") != "slow,unclear" || r.Comment != "等了两天才办完" || !r.RatedAt.Equal(T0.Add(5*time.Hour)) {
				t.Errorf("rating = %+v", r)
			}
		}
		_, err = s.CreateRatingWithAudit(t.Context(), rating("KBR1", 5), event("KBR1"))
		WantName(t, err, kaiban.ErrRatingExists)
		if read, _ := s.GetRating(t.Context(), "KBR1"); read.Score != 2 {
			t.Errorf("a refused second rating changed the first: score %d", read.Score)
		}
		after, err := s.ListAudit(t.Context(), "KBR1")
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before)+1 || after[len(after)-1].Action != "application.rated" {
			t.Fatalf("audit trail grew by %d events, want exactly the rating's", len(after)-len(before))
		}
		if err := s.VerifyAudit(t.Context(), "KBR1"); err != nil {
			t.Errorf("trail does not verify after the rating: %v", err)
		}
	})
	t.Run("ConcurrentOneWins", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "KBR2", T0)
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.CreateRatingWithAudit(t.Context(), rating("KBR2", 1+i%5), event("KBR2"))
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !kaiban.IsName(err, kaiban.ErrRatingExists):
				t.Errorf("a losing rating got %v, want %s", err, kaiban.ErrRatingExists)
			}
		}
		if won != 1 {
			t.Fatalf("%d ratings won, want 1", won)
		}
		events, _ := s.ListAudit(t.Context(), "KBR2")
		rated := 0
		for _, e := range events {
			if e.Action == "application.rated" {
				rated++
			}
		}
		if rated != 1 {
			t.Errorf("%d rating events in the trail, want 1", rated)
		}
	})
	t.Run("UnknownAndBadInput", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		_, err := s.CreateRatingWithAudit(t.Context(), rating("KBR-none", 3), event("KBR-none"))
		WantName(t, err, kaiban.ErrNotFound)
		_, err = s.GetRating(t.Context(), "KBR-none")
		WantName(t, err, kaiban.ErrNotFound)
		MustCreate(t, s, "KBR3", T0)
		bad := []func(r *kaiban.Rating){
			func(r *kaiban.Rating) { r.Score = 0 },
			func(r *kaiban.Rating) { r.Score = 6 },
			func(r *kaiban.Rating) { r.Tags = []string{"no-such-tag"} },
			func(r *kaiban.Rating) { r.Comment = strings.Repeat("长", kaiban.MaxRatingComment+1) },
			func(r *kaiban.Rating) { r.RatedAt = time.Time{} },
			func(r *kaiban.Rating) { r.ApplicationID = "" },
		}
		for i, f := range bad {
			r := rating("KBR3", 3)
			f(&r)
			if _, err := s.CreateRatingWithAudit(t.Context(), r, event("KBR3")); !kaiban.IsName(err, kaiban.ErrInput) {
				t.Errorf("bad rating %d: got %v, want %s", i, err, kaiban.ErrInput)
			}
		}
		_, err = s.GetRating(t.Context(), "KBR3")
		WantName(t, err, kaiban.ErrNotFound)
		// Without tags or comment is a whole rating too.
		r := kaiban.Rating{ApplicationID: "KBR3", Score: 5, RatedAt: T0}
		if _, err := s.CreateRatingWithAudit(t.Context(), r, event("KBR3")); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetRating(t.Context(), "KBR3")
		if err != nil || got.Score != 5 || len(got.Tags) != 0 || got.Comment != "" {
			t.Errorf("bare rating = %+v, %v", got, err)
		}
	})
}
