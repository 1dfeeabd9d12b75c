package stack

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
)

// TestRegisteredNamesFile: a stack started with a registry file holds
// exactly its names; the check, the form's validation and ReserveName use
// them; the example's name is reserved for its application.
func TestRegisteredNamesFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "registry.jsonl")
	if err := os.WriteFile(file, []byte(`{"name":"沈阳鑫源房地产有限公司","status":"REGISTERED","changedAt":"2019-05-20"}
{"name":"沈阳云启软件有限公司","status":"DEREGISTERED","changedAt":"2015-01-10"}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	// The founders sign as their links are sent: ReserveName runs once
	// they have.
	st, err := startSigning(Config{DataDir: filepath.Join(dir, "data"), Profile: sim.Instant(), WatchdogEvery: -1,
		AgencyTimeout: 2 * time.Second, Names: &NamesConfig{File: file, Generate: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for name, verdict := range map[string]string{
		"沈阳鑫源房地产有限公司":  "refused",
		"沈阳欣源置业有限公司":   "review",
		"沈阳云启软件科技有限公司": "available", // its only namesake was deregistered long ago, and nothing was generated
	} {
		code, body := call(t, st, http.MethodPost, "/v1/names/check", "", []byte(`{"name":"`+name+`"}`))
		if code != 200 || !strings.Contains(body, `"verdict":"`+verdict+`"`) {
			t.Errorf("%s: %d %s, want %s", name, code, body, verdict)
		}
	}
	code, body := call(t, st, http.MethodPost, "/v1/applications/validate", "", exampleForm(t, func(f map[string]any) {
		c := f["company"].(map[string]any)
		c["nameParts"] = map[string]any{"region": "沈阳", "tradeName": "鑫源", "industry": "房地产", "orgForm": "有限公司"}
		c["name"] = "沈阳鑫源房地产有限公司"
	}))
	if code != 400 || !strings.Contains(body, `"company.nameParts.tradeName"`) {
		t.Errorf("validate a registered name: %d %s", code, body)
	}
	id := submitTo(t, st)
	own, _ := names.ParseFull("沈阳云启软件科技有限公司")
	idx := st.Store.(kaiban.NameIndex)
	for deadline := time.Now().Add(20 * time.Second); ; {
		recs, err := idx.FindNames(t.Context(), own.Keys()[:1])
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 1 && recs[0].Holder == id && recs[0].Status == kaiban.NameReserved {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the example's name is not reserved for %s: %+v", id, recs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
