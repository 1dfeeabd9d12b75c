package docissue

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kaiban/kaiban/shared/documents/documentstest"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/signing"
	"github.com/kaiban/kaiban/shared/storetest"
)

// failingSigner refuses to sign, as KMS out of reach does.
type failingSigner struct{}

func (failingSigner) Sign(context.Context, []byte) ([]byte, error) {
	return nil, context.DeadlineExceeded
}
func (failingSigner) KeyID() string { return "down" }

func newIssuer(t *testing.T) (*Issuer, *storetest.MemDocuments) {
	t.Helper()
	store := storetest.NewMemStore()
	if _, err := store.CreateApplication(t.Context(), storetest.Request("KB-1", storetest.T0)); err != nil {
		t.Fatal(err)
	}
	if err := documentstest.Complete(t.Context(), store, "KB-1", storetest.T0); err != nil {
		t.Fatal(err)
	}
	seed, _ := signing.NewSeed()
	signer, err := signing.NewLocal(seed)
	if err != nil {
		t.Fatal(err)
	}
	docs := storetest.NewMemDocuments()
	return &Issuer{Apps: store, Store: docs, Objects: storetest.NewMemObjects(), Signer: signer,
		IDSecret: IDSecret([]byte("token secret, thirty-two bytes or more")), VerifyBase: "https://kaiban.test/"}, docs
}

// The step issues its phase's documents once: a retry answers the same
// IDs and stores nothing new.
func TestHandleIssuesOnce(t *testing.T) {
	is, docs := newIssuer(t)
	for _, c := range []struct {
		in   string
		want []kaiban.DocumentKind
	}{
		{`{"applicationId":"KB-1","phase":"submission"}`, []kaiban.DocumentKind{kaiban.DocArticles, kaiban.DocShareholderDecision}},
		{`{"applicationId":"KB-1","phase":"track","track":"license"}`, []kaiban.DocumentKind{kaiban.DocLicense}},
		{`{"applicationId":"KB-1","phase":"track","track":"tax"}`, []kaiban.DocumentKind{kaiban.DocTaxNotice}},
	} {
		var first Output
		for run := range 2 {
			raw, err := is.Handle(t.Context(), json.RawMessage(c.in))
			if err != nil {
				t.Fatal(c.in, err)
			}
			var out Output
			_ = json.Unmarshal(raw, &out)
			if run == 0 {
				first = out
			} else if !equal(out.Documents, first.Documents) {
				t.Errorf("%s: retry answered %v, want %v", c.in, out.Documents, first.Documents)
			}
			if len(out.Documents) != len(c.want) {
				t.Errorf("%s: %d documents, want %v", c.in, len(out.Documents), c.want)
			}
		}
	}
	all, _ := docs.ListDocuments(t.Context(), "KB-1")
	if len(all) != 4 {
		t.Errorf("%d documents stored, want 4", len(all))
	}
	if all[0].Kind != kaiban.DocLicense || all[0].ID != DocumentID(is.IDSecret, "KB-1", kaiban.DocLicense, "") {
		t.Errorf("licence %+v, want the slot's ID", all[0])
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestHandleRefusesBadInput(t *testing.T) {
	is, _ := newIssuer(t)
	for _, in := range []string{``, `[]`, `{}`, `{"applicationId":"KB-1"}`, `{"applicationId":"KB-1","phase":"later"}`,
		`{"applicationId":"KB-1","phase":"track","track":"notary"}`, `{"applicationId":"KB-1","phase":"submission","extra":1}`} {
		if _, err := is.Handle(t.Context(), json.RawMessage(in)); !kaiban.IsName(err, kaiban.ErrInput) {
			t.Errorf("%q: %v, want %s", in, err, kaiban.ErrInput)
		}
	}
	if _, err := is.Handle(t.Context(), json.RawMessage(`{"applicationId":"KB-404","phase":"submission"}`)); !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Errorf("unknown application: %v", err)
	}
}

// A signer out of reach is a transient failure the definition retries,
// and nothing is recorded.
func TestHandleWithTheSignerDownIsTransient(t *testing.T) {
	is, docs := newIssuer(t)
	is.Signer = failingSigner{}
	if _, err := is.Handle(t.Context(), json.RawMessage(`{"applicationId":"KB-1","phase":"track","track":"license"}`)); !kaiban.IsName(err, kaiban.ErrAgencyUnavailable) {
		t.Errorf("signer down: %v, want %s", err, kaiban.ErrAgencyUnavailable)
	}
	if all, _ := docs.ListDocuments(t.Context(), "KB-1"); len(all) != 0 {
		t.Errorf("%d documents recorded", len(all))
	}
}
