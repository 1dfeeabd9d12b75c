package onestop_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/docissue"
	"github.com/kaiban/kaiban/shared/documents/documentstest"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/signing"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/validate"
)

type docEnv struct {
	*env
	docs    *storetest.MemDocuments
	objects *storetest.MemObjects
	issuer  *docissue.Issuer
	id      string
	token   string
}

func newSigner(t *testing.T) *signing.Local {
	t.Helper()
	seed, err := signing.NewSeed()
	if err != nil {
		t.Fatal(err)
	}
	s, err := signing.NewLocal(seed)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newDocEnv is a service with documents on, an issuer sharing its stores,
// and one submitted application (the example LLC).
func newDocEnv(t *testing.T) *docEnv {
	t.Helper()
	e := &docEnv{env: &env{store: storetest.NewMemStore(), wf: &workflow{taken: map[string]onestop.ClerkDecision{}}, clock: now},
		docs: storetest.NewMemDocuments(), objects: storetest.NewMemObjects()}
	signer := newSigner(t)
	deps := onestop.Deps{Store: e.store, Validator: validate.New(), Workflow: e.wf,
		Clock: func() time.Time { return e.clock }, TokenSecret: []byte("test secret that is long enough for hkdf"),
		Documents: &onestop.DocumentsDeps{Store: e.docs, Objects: e.objects, Public: signer.Public()}}
	if err := deps.Check(); err != nil {
		t.Fatal(err)
	}
	e.svc = onestop.New(deps)
	e.issuer = &docissue.Issuer{Apps: e.store, Store: e.docs, Objects: e.objects, Signer: signer,
		IDSecret: []byte("document id secret, thirty-two bytes or more"), VerifyBase: "https://kaiban.example.cn",
		Clock: func() time.Time { return e.clock }}
	out, err := e.svc.Submit(t.Context(), onestop.SubmitRequest{Body: form(t)})
	if err != nil {
		t.Fatal(err)
	}
	e.id, e.token = out.ID, out.AccessToken
	if err := documentstest.Complete(t.Context(), e.store, e.id, e.clock); err != nil {
		t.Fatal(err)
	}
	return e
}

// issueAll issues the submission's documents and every track's.
func (e *docEnv) issueAll(t *testing.T) []kaiban.DocumentRecord {
	t.Helper()
	all, err := e.issuer.ForSubmission(t.Context(), e.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range kaiban.Tracks {
		ds, err := e.issuer.ForTrack(t.Context(), e.id, tr)
		if err != nil {
			t.Fatal(tr, err)
		}
		all = append(all, ds...)
	}
	return all
}

func (e *docEnv) bytesOf(t *testing.T, d kaiban.DocumentRecord) []byte {
	t.Helper()
	b, err := e.objects.GetObject(t.Context(), d.ObjectKey)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every kind is issued, and each document verifies with its bytes; one
// changed byte anywhere does not.
func TestEveryDocumentVerifiesAndAChangedByteDoesNot(t *testing.T) {
	e := newDocEnv(t)
	all := e.issueAll(t)
	kinds := map[kaiban.DocumentKind]int{}
	for _, d := range all {
		kinds[d.Kind]++
	}
	app, _ := e.store.GetApplication(t.Context(), e.id)
	for _, k := range kaiban.DocumentKinds {
		want := 1
		if k == kaiban.DocSeal {
			want = len(app.Form.Seals.Types)
		}
		if kinds[k] != want {
			t.Errorf("%d documents of kind %s, want %d", kinds[k], k, want)
		}
	}
	// Documents of identical bytes (the placeholder seals) share a digest:
	// any of them is the right answer.
	bySHA := map[string]map[string]bool{}
	for _, d := range all {
		if bySHA[d.SHA256] == nil {
			bySHA[d.SHA256] = map[string]bool{}
		}
		bySHA[d.SHA256][d.ID] = true
	}
	for _, d := range all {
		t.Run(string(d.Kind)+d.Key, func(t *testing.T) {
			body := e.bytesOf(t, d)
			got, err := e.svc.VerifyDocument(t.Context(), body)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Valid || got.Revoked || got.Document == nil || got.Document.Kind != d.Kind || !bySHA[d.SHA256][got.Document.ID] ||
				got.Document.Company != app.Form.Company.Name || !got.Document.IssuedAt.Equal(d.IssuedAt) {
				t.Errorf("verify = %+v %+v, want valid %s of %s", got, got.Document, d.Kind, app.Form.Company.Name)
			}
			for _, at := range []int{0, len(body) / 2, len(body) - 1} {
				changed := bytes.Clone(body)
				changed[at] ^= 0x01
				if got, err := e.svc.VerifyDocument(t.Context(), changed); err != nil || got.Valid || got.Document != nil {
					t.Errorf("byte %d changed: %+v %v, want valid:false", at, got, err)
				}
			}
		})
	}
}

// A document recorded with a signature of another key is not valid,
// though its digest is on record.
func TestADocumentSignedByAnotherKeyDoesNotVerify(t *testing.T) {
	e := newDocEnv(t)
	forged := *e.issuer
	forged.Signer = newSigner(t)
	ds, err := forged.ForTrack(t.Context(), e.id, kaiban.TrackLicense)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.VerifyDocument(t.Context(), e.bytesOf(t, ds[0]))
	if err != nil || got.Valid || got.Document != nil {
		t.Errorf("verify = %+v %v, want valid:false", got, err)
	}
	p, err := e.svc.DocumentParticulars(t.Context(), ds[0].ID, validate.LangZH)
	if err != nil || p.Valid {
		t.Errorf("particulars = %+v %v, want not valid", p, err)
	}
}

// A compensated application's licence verifies as revoked, on the
// verification route and on its public page.
func TestARevokedLicenceVerifiesAsRevoked(t *testing.T) {
	e := newDocEnv(t)
	ds, err := e.issuer.ForTrack(t.Context(), e.id, kaiban.TrackLicense)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.DocumentParticulars(t.Context(), ds[0].ID, validate.LangZH)
	if err != nil || !p.Valid || p.Revoked || p.Company == "" || p.LegalRepresentative == "" || !strings.HasSuffix(p.Authority, "市场监督管理局") {
		t.Errorf("particulars before = %+v %v", p, err)
	}
	if n, err := e.svc.RevokeDocuments(t.Context(), e.id); err != nil || n != 1 {
		t.Fatalf("revoke = %d %v", n, err)
	}
	got, err := e.svc.VerifyDocument(t.Context(), e.bytesOf(t, ds[0]))
	if err != nil || got.Valid || !got.Revoked || got.Document == nil || got.Document.Kind != kaiban.DocLicense {
		t.Errorf("verify = %+v %v, want valid:false revoked:true with the licence", got, err)
	}
	if p, err := e.svc.DocumentParticulars(t.Context(), ds[0].ID, validate.LangEN); err != nil || p.Valid || !p.Revoked ||
		!strings.HasSuffix(p.Authority, "Administration for Market Regulation") {
		t.Errorf("particulars after = %+v %v", p, err)
	}
}

// A retried issue finds its slots taken and issues nothing new: one
// licence, the first.
func TestIssuingAgainIssuesNothingNew(t *testing.T) {
	e := newDocEnv(t)
	first, err := e.issuer.ForTrack(t.Context(), e.id, kaiban.TrackLicense)
	if err != nil {
		t.Fatal(err)
	}
	e.clock = e.clock.Add(time.Hour)
	again, err := e.issuer.ForTrack(t.Context(), e.id, kaiban.TrackLicense)
	if err != nil || len(again) != 1 || again[0].ID != first[0].ID || again[0].SHA256 != first[0].SHA256 {
		t.Errorf("again = %+v %v, want the first licence", again, err)
	}
	if l, _ := e.docs.ListDocuments(t.Context(), e.id); len(l) != 1 {
		t.Errorf("%d documents, want 1", len(l))
	}
}

// The applicant lists the documents with their token; each link serves
// bytes of the listed SHA-256; the archive holds them all; a wrong token is
// not found.
func TestApplicantDocumentsAndArchive(t *testing.T) {
	e := newDocEnv(t)
	all := e.issueAll(t)
	v, err := e.svc.Documents(t.Context(), e.id, e.token, validate.LangEN)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Documents) != len(all) {
		t.Fatalf("%d documents listed, want %d", len(v.Documents), len(all))
	}
	for _, d := range v.Documents {
		b, err := e.objects.GetObject(t.Context(), strings.TrimPrefix(d.URL, "mem:"))
		if sum := sha256.Sum256(b); err != nil || hex.EncodeToString(sum[:]) != d.SHA256 {
			t.Errorf("%s: link serves other bytes (%v)", d.ID, err)
		}
	}
	if v.Documents[0].Kind != kaiban.DocLicense {
		t.Errorf("first document %s, want the licence", v.Documents[0].Kind)
	}
	if _, err := e.svc.Documents(t.Context(), e.id, "wrong", validate.LangEN); !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Errorf("wrong token: %v", err)
	}
	if _, err := e.svc.DocumentsArchive(t.Context(), e.id, "wrong"); !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Errorf("archive with a wrong token: %v", err)
	}
	z, err := e.svc.DocumentsArchive(t.Context(), e.id, e.token)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(all) {
		t.Errorf("archive holds %d files, want %d", len(zr.File), len(all))
	}
	// A stored object changed behind the platform's back is not archived.
	if err := e.objects.PutObject(t.Context(), all[0].ObjectKey, "", []byte("changed")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DocumentsArchive(t.Context(), e.id, e.token); !kaiban.IsName(err, kaiban.ErrStoreCorrupt) {
		t.Errorf("archive of a changed object: %v, want %s", err, kaiban.ErrStoreCorrupt)
	}
}

func TestVerifyRefusesBadInputAndPublishesTheKey(t *testing.T) {
	e := newDocEnv(t)
	if _, err := e.svc.VerifyDocument(t.Context(), nil); !kaiban.IsName(err, kaiban.ErrInput) {
		t.Errorf("empty body: %v", err)
	}
	if _, err := e.svc.VerifyDocument(t.Context(), make([]byte, onestop.MaxVerifyBytes+1)); !kaiban.IsName(err, kaiban.ErrTooLarge) {
		t.Errorf("large body: %v", err)
	}
	if _, err := e.svc.DocumentParticulars(t.Context(), "DOCNONE", validate.LangZH); !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Errorf("unknown document: %v", err)
	}
	p, err := e.svc.DocumentsPublicKey()
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(p)
	if blk == nil || blk.Type != "PUBLIC KEY" {
		t.Fatalf("public key PEM %q", p)
	}
	if _, err := x509.ParsePKIXPublicKey(blk.Bytes); err != nil {
		t.Error(err)
	}
}
