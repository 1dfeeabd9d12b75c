package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// RunDraftsContract is the contract every kaiban.Drafts keeps: a draft
// reads back with its token only, a save replaces the form and moves the
// expiry, and a wrong token, an unknown ID and an expired draft are the
// same ErrNotFound. open must return a new, empty store.
func RunDraftsContract(t *testing.T, open func(t *testing.T) kaiban.Drafts) {
	tok := kaiban.DraftTokenHash("draft-token")
	newDraft := func(id string) kaiban.Draft {
		return kaiban.Draft{ID: id, TokenHash: tok, Form: json.RawMessage(`{"company":{"name":"沈阳市云帆信息技术有限公司"},"legalRepresentative":{"mobile":"13800138000"}}`),
			CreatedAt: T0, UpdatedAt: T0, ExpiresAt: T0.Add(kaiban.DraftTTL)}
	}
	sameJSON := func(t *testing.T, got, want json.RawMessage) {
		t.Helper()
		var g, w any
		if json.Unmarshal(got, &g) != nil || json.Unmarshal(want, &w) != nil || string(mustJSON(g)) != string(mustJSON(w)) {
			t.Fatalf("form = %s, want %s", got, want)
		}
	}
	t.Run("CreateGetSave", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		d := newDraft("D1")
		if err := s.CreateDraft(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetDraft(t.Context(), "D1", tok, T0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, got.Form, d.Form)
		if !got.ExpiresAt.Equal(d.ExpiresAt) || !got.CreatedAt.Equal(T0) {
			t.Errorf("times: %+v", got)
		}
		later := T0.Add(10 * 24 * time.Hour)
		form := json.RawMessage(`{"company":{"name":"改名"}}`)
		saved, err := s.SaveDraft(t.Context(), "D1", tok, form, later)
		if err != nil {
			t.Fatal(err)
		}
		if !saved.UpdatedAt.Equal(later) || !saved.ExpiresAt.Equal(later.Add(kaiban.DraftTTL)) {
			t.Errorf("after a save: updated %v expires %v", saved.UpdatedAt, saved.ExpiresAt)
		}
		// Alive past the first 30 days: the save moved the expiry.
		got, err = s.GetDraft(t.Context(), "D1", tok, T0.Add(35*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, got.Form, form)
	})
	t.Run("NotFoundIsOneAnswer", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		if err := s.CreateDraft(t.Context(), newDraft("D2")); err != nil {
			t.Fatal(err)
		}
		wrong := kaiban.DraftTokenHash("another")
		cases := []struct {
			name string
			id   string
			tok  [32]byte
			at   time.Time
		}{
			{"wrong token", "D2", wrong, T0},
			{"unknown id", "D-none", tok, T0},
			{"expired", "D2", tok, T0.Add(kaiban.DraftTTL + time.Second)},
		}
		for _, c := range cases {
			_, err := s.GetDraft(t.Context(), c.id, c.tok, c.at)
			WantName(t, err, kaiban.ErrNotFound)
			_, err = s.SaveDraft(t.Context(), c.id, c.tok, json.RawMessage(`{}`), c.at)
			WantName(t, err, kaiban.ErrNotFound)
		}
		// Nothing was overwritten by the refused saves.
		got, err := s.GetDraft(t.Context(), "D2", tok, T0)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, got.Form, newDraft("D2").Form)
	})
	t.Run("IDTakenAndBadInput", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		if err := s.CreateDraft(t.Context(), newDraft("D3")); err != nil {
			t.Fatal(err)
		}
		WantName(t, s.CreateDraft(t.Context(), newDraft("D3")), kaiban.ErrIdempotencyConflict)
		for _, form := range []string{``, `[1]`, `"x"`, `null`, `{`} {
			d := newDraft("D4")
			d.Form = json.RawMessage(form)
			WantName(t, s.CreateDraft(t.Context(), d), kaiban.ErrInput)
			_, err := s.SaveDraft(t.Context(), "D3", tok, json.RawMessage(form), T0)
			WantName(t, err, kaiban.ErrInput)
		}
		big := make([]byte, kaiban.MaxDraftBytes+1)
		for i := range big {
			big[i] = ' '
		}
		big[0], big[1] = '{', '}'
		_, err := s.SaveDraft(t.Context(), "D3", tok, big, T0)
		WantName(t, err, kaiban.ErrInput)
	})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
