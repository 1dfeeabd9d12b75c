package tracks

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// Compensation revokes the application's issued documents (a retry keeps
// the first revocation's time) and leaves other applications' alone.
func TestCompensateRevokesTheDocuments(t *testing.T) {
	ctx := t.Context()
	store := storetest.NewMemStore()
	for _, id := range []string{"KB-1", "KB-2"} {
		if _, err := store.CreateApplication(ctx, storetest.Request(id, storetest.T0)); err != nil {
			t.Fatal(err)
		}
	}
	docs := storetest.NewMemDocuments()
	for _, d := range []kaiban.DocumentRecord{
		storetest.DocumentRecord("D1", "KB-1", kaiban.DocLicense, "", "licence"),
		storetest.DocumentRecord("D2", "KB-1", kaiban.DocArticles, "", "articles"),
		storetest.DocumentRecord("D3", "KB-2", kaiban.DocLicense, "", "another licence"),
	} {
		if _, err := docs.PutDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	now := storetest.T0.Add(time.Hour)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Documents: docs, Now: func() time.Time { return now }})
	in := json.RawMessage(`{"applicationId":"KB-1","error":"Agency.Rejected","cause":"地址不符","byHand":true,"clerk":{"decision":"complete","clerk":{"sub":"alice"}}}`)
	first := now
	for i := range 2 { // the second run is a retried step
		out, err := svc.Handlers()[FnCompensate](ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ RevokedDocuments int }
		_ = json.Unmarshal(out, &got)
		if want := []int{2, 0}[i]; got.RevokedDocuments != want {
			t.Errorf("run %d revoked %d, want %d", i+1, got.RevokedDocuments, want)
		}
		now = now.Add(time.Hour)
	}
	for _, c := range []struct {
		id      string
		revoked bool
	}{{"D1", true}, {"D2", true}, {"D3", false}} {
		d, err := docs.GetDocument(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Revoked() != c.revoked || (c.revoked && !d.RevokedAt.Equal(first)) {
			t.Errorf("%s revoked at %v, want revoked=%v at %v", c.id, d.RevokedAt, c.revoked, first)
		}
	}
}

// A succeeded track's "certificate ready" message links to the status
// page's documents under the portal's base.
func TestCertificateReadyLinksTheStatusPage(t *testing.T) {
	ctx := t.Context()
	store := storetest.NewMemStore()
	if _, err := store.CreateApplication(ctx, storetest.Request("KB-1", storetest.T0)); err != nil {
		t.Fatal(err)
	}
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Notifier: store, PublicBaseURL: "https://kaiban.example.cn"})
	in, _ := json.Marshal(map[string]any{
		"action": "complete", "applicationId": "KB-1", "track": kaiban.TrackTax, "creditCode": "91210102MA0000000X",
		"identity": map[string]any{"attestation": map[string]any{}},
		"clerk":    kaiban.ClerkOutcome{Decision: kaiban.DecisionComplete, Data: json.RawMessage(`{"done":true}`), Clerk: kaiban.ClerkIdentity{Sub: "alice"}},
	})
	if _, err := svc.Track(kaiban.TrackTax)(ctx, in); err != nil {
		t.Fatal(err)
	}
	msgs, err := store.Messages(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Kind == "certificate_ready" {
			n++
			if m.Link != "https://kaiban.example.cn/status/KB-1" {
				t.Errorf("link %q", m.Link)
			}
		}
	}
	if n == 0 {
		t.Error("no certificate_ready message")
	}
}
