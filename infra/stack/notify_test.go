package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
)

// An applicant who submits in English gets every milestone in English,
// once per recipient; the "submitted" SMS carries the status link with the
// access token in its fragment, under the stack's public base URL.
func TestSubmissionToCompletionNotifies(t *testing.T) {
	for _, c := range []struct {
		lang, prefix string
	}{{"en", "[Kaiban]"}, {"", "【开办】"}} {
		t.Run("lang="+c.lang, func(t *testing.T) {
			clock := newVirtualClock()
			auto := &confirmtest.AutoSign{} // the founders sign as their links arrive
			st, err := Start(context.Background(), Config{DataDir: t.TempDir(), Profile: sim.Instant(), Clock: clock,
				WatchdogEvery: -1, AgencyTimeout: 2 * time.Second, PublicBaseURL: "http://kaiban.test:8080/", Notifier: auto})
			if err != nil {
				t.Fatal(err)
			}
			auto.Use(st.API.Service(), st.Outbox)
			srv := httptest.NewServer(st.Handler)
			t.Cleanup(func() { srv.Close(); _ = st.Close() })
			h := &harness{t: t, st: st, srv: srv}

			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/applications", bytes.NewReader(exampleForm(t, nil)))
			req.Header.Set("Content-Type", "application/json")
			if c.lang != "" {
				req.Header.Set("Accept-Language", c.lang)
			}
			release := clock.Hold() // until the founders have signed (harness.submit)
			resp, err := http.DefaultClient.Do(req)
			release()
			if err != nil {
				t.Fatal(err)
			}
			var sub struct{ ID, AccessToken string }
			_ = json.NewDecoder(resp.Body).Decode(&sub)
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("submit: %d", resp.StatusCode)
			}
			h.waitStatus(sub.ID, kaiban.AppCompleted)

			// The completed message follows the stored status: wait for it.
			// submitted, accepted, a certificate per track, completed.
			want := 2 * (len(kaiban.Tracks) + 3)
			var msgs []struct{ To, Channel, Text, Link string }
			for deadline := time.Now().Add(10 * time.Second); ; {
				code, body := h.do(http.MethodGet, DevOutboxPath, "", nil)
				if code != http.StatusOK {
					t.Fatalf("outbox: %d", code)
				}
				raw, _ := json.Marshal(body["messages"])
				var all []struct{ To, Channel, Text, Link string }
				_ = json.Unmarshal(raw, &all)
				// The founders' confirmation links are the confirmations'
				// own messages (confirm_test.go); these are the milestones.
				msgs = nil
				for _, m := range all {
					if !strings.HasPrefix(m.Link, "http://kaiban.test:8080/confirm#") {
						msgs = append(msgs, m)
					}
				}
				if len(msgs) >= want || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			wantLink := "http://kaiban.test:8080/status/" + sub.ID + "#token=" + sub.AccessToken
			// "Certificate ready" links to the status page's documents,
			// without the token.
			docsLink := "http://kaiban.test:8080/status/" + sub.ID
			var links, docLinks, completed int
			for _, m := range msgs {
				if !strings.HasPrefix(m.Text, c.prefix) {
					t.Errorf("text %q, want it in language %q", m.Text, c.lang)
				}
				switch {
				case m.Link == docsLink && strings.HasSuffix(m.Text, docsLink):
					docLinks++
				case m.Link != "":
					links++
					if m.Link != wantLink || !strings.Contains(m.Text, wantLink) {
						t.Errorf("link %q (text %q), want %q", m.Link, m.Text, wantLink)
					}
				}
				if strings.Contains(m.Text, "统一社会信用代码") || strings.Contains(m.Text, "credit code") {
					completed++
				}
			}
			// The example form: one mobile (the legal representative is
			// the liaison too) and the legal representative's e-mail.
			if links != 2 || completed != 2 || len(msgs) != want || docLinks != 2*len(kaiban.Tracks) {
				t.Errorf("%d messages (%d with the link, %d with the documents link, %d completions), want %d, 2, %d, 2: %+v",
					len(msgs), links, docLinks, completed, want, 2*len(kaiban.Tracks), msgs)
			}
		})
	}
}
