package stack

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/workflow/engine"
)

// The workflow issues the documents itself: the founders' confirmation
// shows the articles' and the shareholders' decision's SHA-256 beside the
// form's (issued right after the submission), and once the example
// application completes its documents list every kind (a seal per seal
// ordered), each downloading bytes that verify.
func TestWorkflowIssuesEveryDocument(t *testing.T) {
	h := startHarnessSigning(t, engine.RealClock{}, false)
	id, token := h.submit(exampleForm(t, nil))
	toks := h.links(id)

	// The links go out at the submission; the documents step issues the
	// articles and the decision right after. A founder opening the link
	// then sees all three digests.
	var view map[string]any
	for deadline := time.Now().Add(30 * time.Second); ; {
		var code int
		code, view = h.do("GET", "/v1/confirmations/"+toks[0], "", nil)
		if code != 200 {
			t.Fatalf("confirmation: HTTP %d %v", code, view)
		}
		if docs, _ := view["documents"].([]any); len(docs) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the confirmation lists %v, want the form, the articles and the decision", view["documents"])
		}
		time.Sleep(20 * time.Millisecond) // polling for the documents step
	}
	signed := map[string]string{}
	for _, d := range view["documents"].([]any) {
		m := d.(map[string]any)
		signed[str(m["name"])] = str(m["sha256"])
	}
	for _, tok := range toks {
		h.verify(tok)
		h.decide(tok, `{"sign":true}`)
	}
	h.waitStatus(id, kaiban.AppCompleted)

	// The tracks' documents are issued before each branch ends, so the
	// bundle is complete once the application is.
	code, raw := h.get("/v1/applications/"+id+"/documents", token)
	var list struct {
		Documents []struct{ ID, Kind, SHA256, URL string }
	}
	if err := json.Unmarshal(raw, &list); err != nil || code != 200 {
		t.Fatalf("list: %d %s", code, raw)
	}
	kinds := map[string]int{}
	for _, d := range list.Documents {
		kinds[d.Kind]++
		code, body := h.get(d.URL, "")
		if code != 200 {
			t.Fatalf("%s: download %d %s", d.Kind, code, body)
		}
		if v := h.verifyDocument(body); v["valid"] != true {
			t.Errorf("%s: verify %v", d.Kind, v)
		}
		if d.Kind == string(kaiban.DocArticles) || d.Kind == string(kaiban.DocShareholderDecision) {
			if signed[d.Kind] != d.SHA256 {
				t.Errorf("the founders signed %s as %q, the issued one is %s", d.Kind, signed[d.Kind], d.SHA256)
			}
		}
	}
	if signed["application-form"] == "" {
		t.Errorf("the founders no longer sign the form: %v", signed)
	}
	for _, k := range kaiban.DocumentKinds {
		want := 1
		if k == kaiban.DocSeal {
			want = 4 // the example orders four seals
		}
		if kinds[string(k)] != want {
			t.Errorf("%d documents of kind %s, want %d (all: %v)", kinds[string(k)], k, want, kinds)
		}
	}
	if e := h.executionEnd(id); e.Status != "SUCCEEDED" {
		t.Errorf("execution %s: %s %s", e.Status, e.Error, e.Cause)
	}
}

// brokenObjects is an object store that cannot be written until it is
// mended.
type brokenObjects struct {
	kaiban.Objects
	puts   atomic.Int64
	mended atomic.Bool
}

func (b *brokenObjects) PutObject(ctx context.Context, key, mediaType string, body []byte) error {
	b.puts.Add(1)
	if b.mended.Load() {
		return b.Objects.PutObject(ctx, key, mediaType, body)
	}
	return kaiban.Errorf(kaiban.ErrStoreUnavailable, "the object store is down")
}

// A document step that keeps failing (the object store is down through
// every retry) leaves the registration alone: the application completes,
// without documents.
func TestDocumentFailureDoesNotFailTheRegistration(t *testing.T) {
	h := startHarness(t, true)
	broken := &brokenObjects{Objects: h.st.Documents.Objects}
	h.st.Documents.Objects = broken
	id, token := h.submit(exampleForm(t, nil))
	app := h.waitFor(id, "a final status", func(a *kaiban.Application) bool { return a.Status.Terminal() })
	if app.Status != kaiban.AppCompleted {
		t.Fatalf("status %s, want %s", app.Status, kaiban.AppCompleted)
	}
	// The submission's documents and the seven tracks', each tried with
	// the definition's retries.
	if n := broken.puts.Load(); n < 8*2 {
		t.Errorf("%d puts tried, want each documents state retried", n)
	}
	code, raw := h.get("/v1/applications/"+id+"/documents", token)
	var list struct{ Documents []json.RawMessage }
	if err := json.Unmarshal(raw, &list); err != nil || code != 200 || len(list.Documents) != 0 {
		t.Errorf("documents: %d %s, want none", code, raw)
	}
}

// Documents missed while the object store was down are issued after the
// application completes, once it is back: the applicant ends up with the
// whole bundle without anyone running the step by hand.
func TestMissedDocumentsAreIssuedAfterCompletion(t *testing.T) {
	h := startHarness(t, true)
	broken := &brokenObjects{Objects: h.st.Documents.Objects}
	h.st.Documents.Objects = broken
	id, token := h.submit(exampleForm(t, nil))
	h.waitStatus(id, kaiban.AppCompleted)
	count := func() int {
		code, raw := h.get("/v1/applications/"+id+"/documents", token)
		var list struct{ Documents []json.RawMessage }
		if err := json.Unmarshal(raw, &list); err != nil || code != 200 {
			t.Fatalf("documents: %d %s", code, raw)
		}
		return len(list.Documents)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d documents issued through a broken object store", n)
	}
	broken.mended.Store(true)
	want := len(kaiban.DocumentKinds) + 3 // four seals in the example
	h.waitFor(id, "the documents re-issued", func(*kaiban.Application) bool { return count() == want })
	if e := h.executionEnd(id); e.Status != "SUCCEEDED" {
		t.Errorf("execution %s: %s %s", e.Status, e.Error, e.Cause)
	}
}

// executionEnd waits for the application's execution to end and returns
// it: the steps after the status (the documents' re-issue) must end it
// SUCCEEDED, which the application's status alone does not show.
func (h *harness) executionEnd(id string) engine.Execution {
	h.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		execs, err := h.st.Engine.ListExecutions(context.Background(), h.st.StateMachineArn, "")
		if err != nil {
			h.t.Fatal(err)
		}
		for _, e := range execs {
			if e.Name == id && e.Status != engine.StatusRunning {
				return e
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the execution of %s did not end", id)
		}
		time.Sleep(10 * time.Millisecond) // polling the engine
	}
}
