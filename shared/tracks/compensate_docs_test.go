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
