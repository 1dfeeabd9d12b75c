package stack

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The local stack serves its outbox at /dev/outbox, as JSON and as a page,
// newest first, and refuses other methods in the error shape.
func TestDevOutbox(t *testing.T) {
	h := startHarness(t, false)
	for _, m := range []kaiban.Message{
		{Key: "a", To: "13800138000", Channel: kaiban.ChannelSMS, Text: "first <b>", Link: "http://127.0.0.1/status/KB1#token=t"},
		{Key: "b", To: "f@example.com", Channel: kaiban.ChannelEmail, Text: "second"},
	} {
		if err := h.st.Outbox.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	code, body := h.do(http.MethodGet, DevOutboxPath, "", nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s = %d %v", DevOutboxPath, code, body)
	}
	msgs, _ := body["messages"].([]any)
	if len(msgs) != 2 {
		t.Fatalf("messages = %v, want 2", body)
	}
	newest := msgs[0].(map[string]any)
	for _, f := range []string{"to", "channel", "text", "link", "sentAt"} {
		if _, ok := newest[f]; !ok {
			t.Errorf("message has no %q: %v", f, newest)
		}
	}
	if newest["text"] != "second" {
		t.Errorf("messages not newest first: %v", msgs)
	}

	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+DevOutboxPath, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("page headers: %v", resp.Header)
	}
	if !strings.Contains(string(page), "first &lt;b&gt;") || !strings.Contains(string(page), `href="http://127.0.0.1/status/KB1#token=t"`) {
		t.Errorf("page does not list the escaped text and the link:\n%s", page)
	}

	code, body = h.do(http.MethodPost, DevOutboxPath, "", []byte(`{}`))
	if code != http.StatusMethodNotAllowed || body["errors"] == nil {
		t.Errorf("POST %s = %d %v, want 405 in the error shape", DevOutboxPath, code, body)
	}
}
