package stack

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/workflow/engine"
)

// Every founder of a submission gets a link; each verifies (through the
// identity simulator) and signs over HTTP; the status then shows every
// confirmation SIGNED and the accepted time. The signing key is made once
// in the data directory, 0600, and kept across restarts.
func TestFoundersSignThroughTheLocalStack(t *testing.T) {
	for _, store := range []string{StoreSQLite} {
		t.Run(store, func(t *testing.T) {
			dir := t.TempDir()
			notes := &confirmtest.Notifier{}
			st, err := Start(context.Background(), Config{DataDir: dir, Store: store, Profile: sim.Instant(), Clock: engine.RealClock{},
				WatchdogEvery: -1, AgencyTimeout: 2 * time.Second, Notifier: notes})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(st.Handler)
			h := &harness{t: t, st: st, srv: srv}
			id, token := h.submit(exampleForm(t, nil))
			// The workflow sends the links once the documents to sign
			// are issued.
			var tokens []string
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) { // polling the notifier
				if tokens = notes.Tokens(id); len(tokens) >= 4 || time.Now().After(deadline) {
					break
				}
			}
			if len(tokens) != 4 {
				t.Fatalf("%d links sent, want 4", len(tokens))
			}
			for _, tok := range tokens {
				code, body := h.do("POST", "/v1/confirmations/"+tok+"/identity", "", []byte(`{"liveness":{"passed":true}}`))
				if code != http.StatusOK || body["verified"] != true {
					t.Fatalf("identity: %d %v", code, body)
				}
				if code, body = h.do("POST", "/v1/confirmations/"+tok+"/decision", "", []byte(`{"sign":true}`)); code != http.StatusOK {
					t.Fatalf("sign: %d %v", code, body)
				}
			}
			code, status := h.do("GET", "/v1/applications/"+id, token, nil)
			cs, _ := status["confirmations"].([]any)
			if code != http.StatusOK || status["acceptedAt"] == nil || len(cs) != 4 {
				t.Fatalf("status %d: acceptedAt %v, confirmations %v", code, status["acceptedAt"], status["confirmations"])
			}
			for _, c := range cs {
				if c.(map[string]any)["state"] != "SIGNED" {
					t.Errorf("confirmation %v", c)
				}
			}
			srv.Close()
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			key := filepath.Join(dir, signKeyFile)
			fi, err := os.Stat(key)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("signing key: %v %v", fi, err)
			}
			first, _ := os.ReadFile(key)
			again, err := loadSigner(dir)
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := os.ReadFile(key); string(after) != string(first) || again.KeyID() == "" {
				t.Error("the signing key changed on a later start")
			}
		})
	}
}
