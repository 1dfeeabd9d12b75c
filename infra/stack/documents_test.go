package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/tracks"
	"github.com/kaiban/kaiban/shared/validate"
)

// get fetches path from the harness's server with the bearer token.
func (h *harness) get(path, bearer string) (int, []byte) {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (h *harness) verifyDocument(body []byte) map[string]any {
	h.t.Helper()
	resp, err := http.Post(h.srv.URL+"/v1/documents/verify", "application/pdf", bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		h.t.Fatalf("verify: %d %v", resp.StatusCode, err)
	}
	return out
}

// issueAll issues every document of the application, as the documents
// step does before the confirmations and after each track.
func (h *harness) issueAll(id string) []kaiban.DocumentRecord {
	h.t.Helper()
	all, err := h.st.Documents.ForSubmission(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, tr := range kaiban.Tracks {
		ds, err := h.st.Documents.ForTrack(context.Background(), id, tr)
		if err != nil {
			h.t.Fatal(err)
		}
		all = append(all, ds...)
	}
	return all
}

// On the local stack an application's documents are listed with its
// access token, each link downloads bytes that verify over HTTP, the
// licence's verification page says valid, and once the application is
// compensated the licence verifies as revoked.
func TestDocumentsThroughTheLocalStack(t *testing.T) {
	h := startHarness(t, true)
	id, token := h.submit(exampleForm(t, nil))
	h.waitStatus(id, kaiban.AppCompleted)
	all := h.issueAll(id)

	code, raw := h.get("/v1/applications/"+id+"/documents", token)
	var list struct {
		Documents []struct{ ID, Kind, SHA256, URL string }
	}
	if err := json.Unmarshal(raw, &list); err != nil || code != 200 || len(list.Documents) != len(all) {
		t.Fatalf("list: %d %s", code, raw)
	}
	var licenceBytes []byte
	var licenceID string
	for _, d := range list.Documents {
		code, body := h.get(d.URL, "")
		if code != 200 {
			t.Fatalf("%s: download %d %s", d.Kind, code, body)
		}
		if v := h.verifyDocument(body); v["valid"] != true || v["document"].(map[string]any)["kind"] != d.Kind {
			t.Errorf("%s: verify %v", d.Kind, v)
		}
		if d.Kind == "license" {
			licenceBytes, licenceID = body, d.ID
		}
	}
	changed := bytes.Clone(licenceBytes)
	changed[0] ^= 1
	if v := h.verifyDocument(changed); v["valid"] != false {
		t.Errorf("changed licence: %v", v)
	}
	if code, page := h.get("/verify/"+licenceID, ""); code != 200 || !strings.Contains(string(page), `data-verdict="valid"`) {
		t.Errorf("verify page: %d %s", code, page)
	}
	if code, zip := h.get("/v1/applications/"+id+"/documents.zip", token); code != 200 || !bytes.HasPrefix(zip, []byte("PK")) {
		t.Errorf("zip: %d", code)
	}

	in, _ := json.Marshal(map[string]string{"applicationId": id, "error": "Agency.Rejected", "cause": "test"})
	if _, err := h.st.Tracks.Handlers()[tracks.FnCompensate](context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if v := h.verifyDocument(licenceBytes); v["valid"] != false || v["revoked"] != true {
		t.Errorf("compensated licence: %v, want valid:false revoked:true", v)
	}
	if _, page := h.get("/verify/"+licenceID, ""); !strings.Contains(string(page), `data-verdict="revoked"`) {
		t.Errorf("verify page after compensation: %s", page)
	}
}

// BenchmarkIssueBundle is the time to issue one application's whole
// bundle (render, sign each document, store objects and records) on the
// local stack: SQLite and the documents folder. Applications are stored
// directly, no workflow runs.
func BenchmarkIssueBundle(b *testing.B) {
	ctx := context.Background()
	st, err := Start(ctx, Config{DataDir: b.TempDir(), Profile: sim.Instant(), WatchdogEvery: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	body, err := os.ReadFile("../examples/valid-llc.json")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	form, err := validate.New().Check(body, now, validate.LangZH)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = fmt.Sprintf("KBDOCS%08d", i)
		if _, err := st.Store.CreateApplication(ctx, kaiban.CreateRequest{Application: kaiban.Application{
			ID: ids[i], Status: kaiban.AppCompleted, Form: form, CreditCode: "91210100MA0000000X", SubmittedAt: now, Deadline: now.Add(kaiban.DeadlineAfterSubmission),
		}, AccessTokenHash: kaiban.HashToken(ids[i])}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	docs := 0
	for i := range b.N {
		ds, err := st.Documents.ForSubmission(ctx, ids[i])
		if err != nil {
			b.Fatal(err)
		}
		docs += len(ds)
		for _, tr := range kaiban.Tracks {
			ds, err := st.Documents.ForTrack(ctx, ids[i], tr)
			if err != nil {
				b.Fatal(err)
			}
			docs += len(ds)
		}
	}
	b.ReportMetric(float64(docs)/float64(b.N), "documents/op")
}
