package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// DocumentRecord returns a valid record of application app, kind and key,
// whose digest is that of body.
func DocumentRecord(id, app string, kind kaiban.DocumentKind, key, body string) kaiban.DocumentRecord {
	sum := sha256.Sum256([]byte(body))
	return kaiban.DocumentRecord{ID: id, ApplicationID: app, Kind: kind, Key: key,
		Title: "标题 " + string(kind), TitleEN: "Title " + string(kind), MediaType: "application/pdf", Size: int64(len(body)),
		SHA256: hex.EncodeToString(sum[:]), Signature: []byte{0x30, 0x01, 0x02}, KeyID: "test-key",
		ObjectKey: "documents/" + app + "/" + id, IssuedAt: T0}
}

// RunDocumentsContract checks a kaiban.Documents: put is idempotent per
// slot (also when racing), list per application in kind order, get by id,
// look-up by digest, revocation of an application's documents, and bad
// input refused. open returns an empty store.
func RunDocumentsContract(t *testing.T, open func(t *testing.T) kaiban.Documents) {
	t.Run("put, get, list, find", func(t *testing.T) {
		s := open(t)
		recs := []kaiban.DocumentRecord{
			DocumentRecord("D3", "KB1", kaiban.DocTaxNotice, "", "tax"),
			DocumentRecord("D2", "KB1", kaiban.DocSeal, "official", "seal official"),
			DocumentRecord("D1", "KB1", kaiban.DocLicense, "", "licence"),
			DocumentRecord("D4", "KB1", kaiban.DocSeal, "finance", "seal finance"),
			DocumentRecord("D9", "KB2", kaiban.DocLicense, "", "other licence"),
		}
		for _, r := range recs {
			got, err := s.PutDocument(t.Context(), r)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != r.ID {
				t.Fatalf("put %s returned %s", r.ID, got.ID)
			}
		}
		got, err := s.GetDocument(t.Context(), "D1")
		if err != nil {
			t.Fatal(err)
		}
		if !sameDocument(got, recs[2]) {
			t.Errorf("get D1 = %+v, want %+v", got, recs[2])
		}
		list, err := s.ListDocuments(t.Context(), "KB1")
		if err != nil {
			t.Fatal(err)
		}
		var ids string
		for _, d := range list {
			ids += d.ID + " "
		}
		if ids != "D1 D4 D2 D3 " { // licence, seals by key (finance < official), tax
			t.Errorf("list KB1 = %s, want D1 D4 D2 D3", ids)
		}
		found, err := s.FindDocumentsByDigest(t.Context(), recs[4].SHA256)
		if err != nil || len(found) != 1 || found[0].ID != "D9" || found[0].ApplicationID != "KB2" {
			t.Errorf("find by digest = %+v %v, want D9", found, err)
		}
		none, err := s.FindDocumentsByDigest(t.Context(), DocumentRecord("x", "x", kaiban.DocLicense, "", "nothing").SHA256)
		if err != nil || len(none) != 0 {
			t.Errorf("find unknown digest = %+v %v", none, err)
		}
		if l, err := s.ListDocuments(t.Context(), "KB404"); err != nil || len(l) != 0 {
			t.Errorf("list unknown application = %+v %v", l, err)
		}
		if _, err := s.GetDocument(t.Context(), "D404"); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("get unknown = %v, want %s", err, kaiban.ErrNotFound)
		}
	})

	t.Run("a slot is issued once", func(t *testing.T) {
		s := open(t)
		first := DocumentRecord("L1", "KB1", kaiban.DocLicense, "", "first")
		if _, err := s.PutDocument(t.Context(), first); err != nil {
			t.Fatal(err)
		}
		retry := DocumentRecord("L2", "KB1", kaiban.DocLicense, "", "second render")
		got, err := s.PutDocument(t.Context(), retry)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "L1" || got.SHA256 != first.SHA256 {
			t.Errorf("retried put returned %s %s, want the first licence L1", got.ID, got.SHA256)
		}
		if _, err := s.GetDocument(t.Context(), "L2"); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("the retry's record exists: %v", err)
		}
		if found, _ := s.FindDocumentsByDigest(t.Context(), retry.SHA256); len(found) != 0 {
			t.Errorf("the retry's digest finds %+v", found)
		}
		taken := DocumentRecord("L1", "KB1", kaiban.DocTaxNotice, "", "tax")
		if _, err := s.PutDocument(t.Context(), taken); !kaiban.IsName(err, kaiban.ErrIdempotencyConflict) {
			t.Errorf("put of a taken id into another slot = %v, want %s", err, kaiban.ErrIdempotencyConflict)
		}
	})

	t.Run("racing puts issue one", func(t *testing.T) {
		s := open(t)
		const n = 6
		ids := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := s.PutDocument(t.Context(), DocumentRecord(fmt.Sprintf("R%d", i), "KB1", kaiban.DocLicense, "", fmt.Sprint("render ", i)))
				ids[i], errs[i] = got.ID, err
			}()
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("put %d: %v", i, errs[i])
			}
			if ids[i] != ids[0] {
				t.Errorf("racing puts returned %v, want one id", ids)
				break
			}
		}
		if l, _ := s.ListDocuments(t.Context(), "KB1"); len(l) != 1 {
			t.Errorf("%d licences stored, want 1", len(l))
		}
	})

	t.Run("revoke", func(t *testing.T) {
		s := open(t)
		for _, r := range []kaiban.DocumentRecord{
			DocumentRecord("D1", "KB1", kaiban.DocLicense, "", "licence"),
			DocumentRecord("D2", "KB1", kaiban.DocArticles, "", "articles"),
			DocumentRecord("D3", "KB2", kaiban.DocLicense, "", "other"),
		} {
			if _, err := s.PutDocument(t.Context(), r); err != nil {
				t.Fatal(err)
			}
		}
		at := T0.Add(time.Hour)
		n, err := s.RevokeDocuments(t.Context(), "KB1", at)
		if err != nil || n != 2 {
			t.Fatalf("revoke = %d %v, want 2", n, err)
		}
		if n, err := s.RevokeDocuments(t.Context(), "KB1", at.Add(time.Hour)); err != nil || n != 0 {
			t.Errorf("second revoke = %d %v, want 0", n, err)
		}
		d, _ := s.GetDocument(t.Context(), "D1")
		if !d.RevokedAt.Equal(at) {
			t.Errorf("D1 revoked at %v, want %v (the first revocation)", d.RevokedAt, at)
		}
		found, _ := s.FindDocumentsByDigest(t.Context(), d.SHA256)
		if len(found) != 1 || !found[0].Revoked() {
			t.Errorf("found by digest after revoke: %+v", found)
		}
		list, _ := s.ListDocuments(t.Context(), "KB1")
		for _, d := range list {
			if !d.Revoked() {
				t.Errorf("%s not revoked in the list", d.ID)
			}
		}
		if other, _ := s.GetDocument(t.Context(), "D3"); other.Revoked() {
			t.Error("another application's document was revoked")
		}
	})

	t.Run("bad input", func(t *testing.T) {
		s := open(t)
		good := DocumentRecord("B1", "KB1", kaiban.DocLicense, "", "x")
		for name, mod := range map[string]func(*kaiban.DocumentRecord){
			"no id":          func(d *kaiban.DocumentRecord) { d.ID = "" },
			"no application": func(d *kaiban.DocumentRecord) { d.ApplicationID = "" },
			"unknown kind":   func(d *kaiban.DocumentRecord) { d.Kind = "passport" },
			"short digest":   func(d *kaiban.DocumentRecord) { d.SHA256 = "abcd" },
			"upper digest":   func(d *kaiban.DocumentRecord) { d.SHA256 = "AB" + d.SHA256[2:] },
			"no signature":   func(d *kaiban.DocumentRecord) { d.Signature = nil },
			"no object key":  func(d *kaiban.DocumentRecord) { d.ObjectKey = "" },
			"no issue time":  func(d *kaiban.DocumentRecord) { d.IssuedAt = time.Time{} },
		} {
			d := good
			mod(&d)
			if _, err := s.PutDocument(t.Context(), d); !kaiban.IsName(err, kaiban.ErrInput) {
				t.Errorf("%s: %v, want %s", name, err, kaiban.ErrInput)
			}
		}
		if l, _ := s.ListDocuments(t.Context(), "KB1"); len(l) != 0 {
			t.Errorf("bad input stored %+v", l)
		}
	})
}

func sameDocument(a, b kaiban.DocumentRecord) bool {
	return a.ID == b.ID && a.ApplicationID == b.ApplicationID && a.Kind == b.Kind && a.Key == b.Key &&
		a.Title == b.Title && a.TitleEN == b.TitleEN && a.MediaType == b.MediaType && a.Size == b.Size &&
		a.SHA256 == b.SHA256 && string(a.Signature) == string(b.Signature) && a.KeyID == b.KeyID &&
		a.ObjectKey == b.ObjectKey && a.IssuedAt.Equal(b.IssuedAt) && a.RevokedAt.Equal(b.RevokedAt)
}
