package storetest

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func testApplications(t *testing.T, open func(t *testing.T) kaiban.Store, c config) {
	t.Run("CreateThenGetReturnsWhatWasStored", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		// A submission time in another zone must come back as the same
		// instant, in UTC.
		shanghai := time.FixedZone("CST", 8*3600)
		req := Request("app-1", T0.In(shanghai))
		res, err := s.CreateApplication(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Created {
			t.Error("Created = false for a new application")
		}
		got, err := s.GetApplication(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []*kaiban.Application{res.Application, got} {
			if a.ID != "app-1" || a.Status != kaiban.AppSubmitted {
				t.Errorf("got id %q status %q", a.ID, a.Status)
			}
			if !a.SubmittedAt.Equal(T0) || !a.Deadline.Equal(T0.Add(kaiban.DeadlineAfterSubmission)) || a.SubmittedAt.Location() != time.UTC {
				t.Errorf("times: submitted %v deadline %v", a.SubmittedAt, a.Deadline)
			}
			if !reflect.DeepEqual(a.Form, Form()) {
				t.Errorf("form changed on the way through the store:\n got %+v\nwant %+v", a.Form, Form())
			}
			if len(a.Tracks) != len(kaiban.Tracks) {
				t.Fatalf("%d tracks, want %d", len(a.Tracks), len(kaiban.Tracks))
			}
			for i, tr := range a.Tracks {
				if tr.Name != kaiban.Tracks[i] || tr.Status != kaiban.TrackPending || tr.Attempts != 0 {
					t.Errorf("track %d = %+v, want %s PENDING", i, tr, kaiban.Tracks[i])
				}
			}
		}
	})

	t.Run("GetUnknownIsNotFound", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		_, err := s.GetApplication(t.Context(), "nope")
		WantName(t, err, kaiban.ErrNotFound)
	})

	t.Run("SameIDTwiceWithoutKeyIsConflict", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		_, err := s.CreateApplication(t.Context(), Request("app-1", T0.Add(time.Minute)))
		WantName(t, err, kaiban.ErrIdempotencyConflict)
		got, err := s.GetApplication(t.Context(), "app-1")
		if err != nil || !got.SubmittedAt.Equal(T0) {
			t.Errorf("first application changed: %v, %v", got, err)
		}
	})

	t.Run("UpdateApplicationSetsOnlyGivenFields", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		done := T0.Add(3 * time.Hour)
		msg := "营业执照已签发"
		steps := []struct {
			name string
			u    kaiban.ApplicationUpdate
			want func(a *kaiban.Application) bool
		}{
			{"status", kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, UpdatedAt: T0.Add(time.Minute)},
				func(a *kaiban.Application) bool {
					return a.Status == kaiban.AppInProgress && a.UpdatedAt.Equal(T0.Add(time.Minute)) && a.CreditCode == ""
				}},
			{"credit code keeps status", kaiban.ApplicationUpdate{CreditCode: "91210102MA0XXXXX1Y"},
				func(a *kaiban.Application) bool {
					return a.Status == kaiban.AppInProgress && a.CreditCode == "91210102MA0XXXXX1Y" && a.UpdatedAt.Equal(T0.Add(time.Minute))
				}},
			{"completion", kaiban.ApplicationUpdate{Status: kaiban.AppCompleted, CompletedAt: &done, Message: &msg, UpdatedAt: done},
				func(a *kaiban.Application) bool {
					return a.Status == kaiban.AppCompleted && a.CompletedAt != nil && a.CompletedAt.Equal(done) &&
						a.Message == msg && a.CreditCode == "91210102MA0XXXXX1Y"
				}},
		}
		for _, st := range steps {
			got, err := s.UpdateApplication(t.Context(), "app-1", st.u)
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			again, err := s.GetApplication(t.Context(), "app-1")
			if err != nil {
				t.Fatal(err)
			}
			if !st.want(got) || !st.want(again) {
				t.Errorf("%s: returned %+v, stored %+v", st.name, got, again)
			}
			if len(again.Tracks) != 7 || !reflect.DeepEqual(again.Form, Form()) {
				t.Errorf("%s: update touched the form or tracks", st.name)
			}
		}
		_, err := s.UpdateApplication(t.Context(), "nope", kaiban.ApplicationUpdate{Status: kaiban.AppRejected})
		WantName(t, err, kaiban.ErrNotFound)
	})

	t.Run("PersonalDataIsSealedAtRest", func(t *testing.T) {
		t.Parallel()
		if c.tamper == nil {
			t.Skip("SKIPPED: no Tamper hook given, cannot read what the store wrote")
		}
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		raw := c.tamper.StoredApplication(t, s, "app-1")
		if raw == nil {
			t.Skip("SKIPPED: this store does not seal personal data itself")
		}
		if !bytes.Contains(raw, []byte("云帆")) {
			t.Fatalf("StoredApplication does not return the stored form (company name missing): %.200q", raw)
		}
		for _, p := range PII {
			if bytes.Contains(raw, []byte(p)) {
				t.Errorf("%s is stored in the clear", p)
			}
		}
	})
}

func testIdempotency(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	t.Run("ReplayAndConflict", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		first, err := s.CreateApplication(t.Context(), Idempotent(Request("app-1", T0), "key-1", "body"))
		if err != nil {
			t.Fatal(err)
		}
		if !first.Created || string(first.Sealed) != "sealed:app-1" {
			t.Fatalf("first create: Created=%v Sealed=%q", first.Created, first.Sealed)
		}
		tests := []struct {
			name        string
			req         kaiban.CreateRequest
			wantErr     string
			wantCreated bool
			wantID      string
		}{
			// A retry gets a new server-side ID and token; the store answers
			// with the first application and the first call's sealed bytes.
			{name: "same key same body", req: Idempotent(Request("app-2", T0.Add(time.Second)), "key-1", "body"), wantID: "app-1"},
			{name: "same key other body", req: Idempotent(Request("app-3", T0), "key-1", "other body"), wantErr: kaiban.ErrIdempotencyConflict},
			{name: "other key same body", req: Idempotent(Request("app-4", T0), "key-2", "body"), wantCreated: true, wantID: "app-4"},
		}
		for _, tt := range tests {
			res, err := s.CreateApplication(t.Context(), tt.req)
			if tt.wantErr != "" {
				WantName(t, err, tt.wantErr)
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if res.Created != tt.wantCreated || res.Application.ID != tt.wantID {
				t.Errorf("%s: Created=%v ID=%s, want %v %s", tt.name, res.Created, res.Application.ID, tt.wantCreated, tt.wantID)
			}
			if !tt.wantCreated && string(res.Sealed) != "sealed:app-1" {
				t.Errorf("%s: Sealed=%q, want the first call's", tt.name, res.Sealed)
			}
		}
		for _, id := range []string{"app-2", "app-3"} {
			_, err := s.GetApplication(t.Context(), id)
			WantName(t, err, kaiban.ErrNotFound)
		}
		if err := s.CheckAccessToken(t.Context(), "app-1", Token("app-1")); err != nil {
			t.Errorf("first caller's token stopped working: %v", err)
		}
	})

	// The API stores an Idempotency-Key scoped to the applicant: 64 hex
	// characters, an HMAC of the applicant and the client's key. Two
	// applicants' keys differ in full but may share any prefix; the store
	// must keep them apart in full (no truncation, no prefix match), so
	// neither applicant ever sees the other's application or conflict.
	t.Run("ScopedKeysNeverMeet", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		prefix := strings.Repeat("0123456789abcdef", 3) + "0123456789abcde"
		keyA, keyB := prefix+"a", prefix+"b"
		a, err := s.CreateApplication(t.Context(), Idempotent(Request("app-a", T0), keyA, "form A"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.CreateApplication(t.Context(), Idempotent(Request("app-b", T0), keyB, "form B"))
		if err != nil {
			t.Fatalf("caller B, same prefix, another body: %v", err)
		}
		if !a.Created || !b.Created || b.Application.ID != "app-b" {
			t.Fatalf("A created=%v, B created=%v as %s; want two new applications", a.Created, b.Created, b.Application.ID)
		}
		for _, tt := range []struct {
			key, body, wantID string
		}{
			{keyA, "form A", "app-a"},
			{keyB, "form B", "app-b"},
		} {
			res, err := s.CreateApplication(t.Context(), Idempotent(Request("app-replay", T0), tt.key, tt.body))
			if err != nil {
				t.Fatalf("replay of %s: %v", tt.wantID, err)
			}
			if res.Created || res.Application.ID != tt.wantID || string(res.Sealed) != "sealed:"+tt.wantID {
				t.Errorf("replay of %s answered %s (created %v, sealed %q)", tt.wantID, res.Application.ID, res.Created, res.Sealed)
			}
		}
	})

	t.Run("FiftyConcurrentCreatesMakeOne", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		const n = 50
		type outcome struct {
			res kaiban.CreateResult
			err error
		}
		out := make([]outcome, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				req := Idempotent(Request(fmt.Sprintf("app-%02d", i), T0), "same-key", "same body")
				out[i].res, out[i].err = s.CreateApplication(t.Context(), req)
			})
		}
		close(start)
		wg.Wait()
		created, winner := 0, ""
		for i, o := range out {
			if o.err != nil {
				t.Fatalf("caller %d: %v", i, o.err)
			}
			if o.res.Created {
				created++
				winner = o.res.Application.ID
			}
		}
		if created != 1 {
			t.Fatalf("%d callers created the application, want exactly 1", created)
		}
		for i, o := range out {
			if o.res.Application.ID != winner || string(o.res.Sealed) != "sealed:"+winner {
				t.Errorf("caller %d saw %s (sealed %q), the winner created %s", i, o.res.Application.ID, o.res.Sealed, winner)
			}
		}
		if err := s.CheckAccessToken(t.Context(), winner, Token(winner)); err != nil {
			t.Errorf("winner's token: %v", err)
		}
		counts, err := s.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if total(counts.Applications) != 1 {
			t.Errorf("store holds %d applications, want 1", total(counts.Applications))
		}
	})
}

func total[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func testAccessToken(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	s := open(t)
	MustCreate(t, s, "app-1", T0)
	MustCreate(t, s, "app-2", T0)
	tests := []struct {
		name, id, token, wantErr string
	}{
		{"right token", "app-1", Token("app-1"), ""},
		{"wrong token", "app-1", "guess", kaiban.ErrNotFound},
		{"empty token", "app-1", "", kaiban.ErrNotFound},
		{"another application's token", "app-1", Token("app-2"), kaiban.ErrNotFound},
		{"unknown application", "app-9", Token("app-9"), kaiban.ErrNotFound},
	}
	var msgs []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CheckAccessToken(t.Context(), tt.id, tt.token)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			WantName(t, err, tt.wantErr)
			msgs = append(msgs, kaiban.ErrorMessage(err))
		})
	}
	// Wrong token and unknown ID must be indistinguishable to a client.
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Errorf("messages differ: %q vs %q", m, msgs[0])
		}
	}
}
