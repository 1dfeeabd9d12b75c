package onestop_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/docissue"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/validate"
)

// Where documents are issued, the founders sign the articles and the
// shareholders' decision: submitting sends no link (none could be signed
// before the documents exist); the workflow's confirm step sends them
// after the documents step, and the page and the signed statement carry
// the issued documents' SHA-256 beside the form's.
func TestFoundersSignTheIssuedDocuments(t *testing.T) {
	e := &confirmEnv{env: &env{store: storetest.NewMemStore(), wf: &workflow{taken: map[string]onestop.ClerkDecision{}}, clock: now}}
	t.Cleanup(func() { _ = e.store.Close() })
	cd, notes, _ := confirmtest.Deps(e.store)
	e.notes = notes
	docs, objects, signer := storetest.NewMemDocuments(), storetest.NewMemObjects(), newSigner(t)
	deps := onestop.Deps{Store: e.store, Validator: validate.New(), Workflow: e.wf,
		Clock: func() time.Time { return e.clock }, TokenSecret: []byte("test secret that is long enough for hkdf"), Confirm: cd,
		Documents: &onestop.DocumentsDeps{Store: docs, Objects: objects, Public: signer.Public()}}
	if err := deps.Check(); err != nil {
		t.Fatal(err)
	}
	e.svc = onestop.New(deps)
	ctx := t.Context()
	out, err := e.svc.Submit(ctx, onestop.SubmitRequest{Body: form(t)})
	if err != nil {
		t.Fatal(err)
	}
	if toks := e.notes.Tokens(out.ID); len(toks) == 0 {
		t.Fatal("no links sent on submission")
	}

	issuer := &docissue.Issuer{Apps: e.store, Store: docs, Objects: objects, Signer: signer,
		IDSecret: []byte("document id secret, thirty-two bytes or more"), VerifyBase: "https://kaiban.example.cn", Clock: func() time.Time { return e.clock }}
	issued, err := issuer.ForSubmission(ctx, out.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.OpenConfirmations(ctx, out.ID); err != nil { // the confirm step: sends nothing again
		t.Fatal(err)
	}
	tok := e.notes.Tokens(out.ID)[0]
	app, _ := e.store.GetApplication(ctx, out.ID)
	want := map[string]string{"application-form": kaiban.FormDigest(app.Form)}
	for _, d := range issued {
		want[string(d.Kind)] = d.SHA256
	}
	if len(want) != 3 || want[string(kaiban.DocArticles)] == "" || want[string(kaiban.DocShareholderDecision)] == "" {
		t.Fatalf("issued for the submission: %+v", issued)
	}
	same := func(ds []kaiban.DocumentDigest) bool {
		if len(ds) != len(want) {
			return false
		}
		for _, d := range ds {
			if want[d.Name] != d.SHA256 {
				return false
			}
		}
		return true
	}
	v, err := e.svc.Confirmation(ctx, tok, validate.LangEN)
	if err != nil || !same(v.Documents) {
		t.Fatalf("the page shows %+v (%v), want %v", v.Documents, err, want)
	}
	if r, err := e.svc.VerifyIdentity(ctx, tok, live(), validate.LangEN); err != nil || !r.Verified {
		t.Fatalf("verify: %+v %v", r, err)
	}
	if _, err := e.svc.Decide(ctx, tok, onestop.DecisionInput{Sign: &yes}, validate.LangEN); err != nil {
		t.Fatal(err)
	}
	c, _ := e.store.GetConfirmation(ctx, out.ID, 0)
	var st kaiban.SignedStatement
	if err := json.Unmarshal(c.Signature.Statement, &st); err != nil || !same(st.Documents) {
		t.Errorf("signed %+v (%v), want %v", st.Documents, err, want)
	}
}
