package documents_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/documents/documentstest"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// issued is the issue time of every test document.
var issued = time.Date(2026, 12, 6, 2, 30, 0, 0, time.UTC)

const (
	testCreditCode = documentstest.CreditCode
	testVerifyURL  = "https://kaiban.example/verify/DOC-lic-0001"
)

// exampleForm is the repository's example LLC (two holders).
func exampleForm(t testing.TB) kaiban.Form {
	t.Helper()
	raw, err := os.ReadFile("../../infra/examples/valid-llc.json")
	if err != nil {
		t.Fatal(err)
	}
	var f kaiban.Form
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// onePersonForm is the example turned into a one-person LLC: 张伟 holds
// everything, a sole director, no supervisor, every seal.
func onePersonForm(t testing.TB) kaiban.Form {
	f := exampleForm(t)
	f.Company.Name = "沈阳云启软件科技有限公司"
	f.Shareholders = f.Shareholders[:1]
	f.Shareholders[0].Contribution.Amount = f.Company.RegisteredCapital
	f.Supervisors = nil
	f.Manager = nil
	f.Seals.Types = []kaiban.SealType{kaiban.SealOfficial, kaiban.SealFinance, kaiban.SealInvoice, kaiban.SealContract, kaiban.SealLegalRep}
	return f
}

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// completedApp is an application whose seven tracks succeeded with the
// results the agencies' adapters return.
func completedApp(t testing.TB, f kaiban.Form) kaiban.Application {
	at := issued.Add(-time.Hour)
	results := documentstest.Results(f, at)
	app := kaiban.Application{ID: "KB20261206TEST", Status: kaiban.AppCompleted, Form: f, CreditCode: testCreditCode,
		SubmittedAt: issued.Add(-3 * time.Hour), Tracks: kaiban.NewTracks()}
	for i := range app.Tracks {
		app.Tracks[i].Status = kaiban.TrackSucceeded
		app.Tracks[i].Result = mustJSON(t, results[app.Tracks[i].Name])
	}
	return app
}
