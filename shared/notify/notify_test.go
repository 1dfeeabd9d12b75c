package notify

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func TestStatusLink(t *testing.T) {
	for _, c := range []struct{ base, want string }{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/status/KB1#token=a-b_c%2B%2F%3D"},
		{"https://kaiban.example.cn/", "https://kaiban.example.cn/status/KB1#token=a-b_c%2B%2F%3D"},
		{"", "/status/KB1#token=a-b_c%2B%2F%3D"},
	} {
		if got := StatusLink(c.base, "KB1", "a-b_c+/="); got != c.want {
			t.Errorf("StatusLink(%q) = %q, want %q", c.base, got, c.want)
		}
	}
}

// failing refuses every message.
type failing struct{}

func (failing) Send(context.Context, kaiban.Message) error {
	return kaiban.Errorf(kaiban.ErrStoreUnavailable, "down")
}

// A message that cannot be sent is logged by application, milestone and
// error name: never the number, the text or the link with its token.
func TestFailedSendLogsNoTextOrLink(t *testing.T) {
	var logs bytes.Buffer
	log := logrus.New()
	log.SetOutput(&logs)
	app := &kaiban.Application{ID: "KB1", Form: storetest.Form()}
	err := NewSender(failing{}, nil, log).Notify(context.Background(), app, Event{Milestone: Submitted, Link: StatusLink("http://x", "KB1", "secret-token")})
	if err == nil {
		t.Fatal("Notify reported no error for a refused message")
	}
	out := logs.String()
	if !strings.Contains(out, "KB1") || !strings.Contains(out, "Store.Unavailable") {
		t.Errorf("log does not say which application failed and why: %s", out)
	}
	for _, secret := range []string{"secret-token", app.Form.LegalRepresentative.Mobile, app.Form.Liaison.Mobile, "zhang@example.com", "已提交"} {
		if strings.Contains(out, secret) {
			t.Errorf("log carries %q: %s", secret, out)
		}
	}
}

// One message per distinct recipient; keys differ by recipient and
// milestone detail and carry no address.
func TestMessagesRecipientsAndKeys(t *testing.T) {
	f := storetest.Form()
	app := &kaiban.Application{ID: "KB1", Form: f}
	msgs := Messages(app, Event{Milestone: CertificateReady, Track: kaiban.TrackSeal})
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want 3 (two mobiles, one e-mail): %+v", len(msgs), msgs)
	}
	keys := map[string]bool{}
	for _, m := range msgs {
		keys[m.Key] = true
		if strings.Contains(m.Key, m.To) || !strings.HasPrefix(m.Key, "KB1/certificate_ready/seal/") {
			t.Errorf("key %q", m.Key)
		}
		if err := kaiban.CheckMessage(m); err != nil {
			t.Errorf("message refused: %v", err)
		}
	}
	if len(keys) != 3 {
		t.Errorf("keys not distinct: %v", keys)
	}
	f.Liaison.Mobile = f.LegalRepresentative.Mobile
	app.Form = f
	if n := len(Messages(app, Event{Milestone: Completed})); n != 2 {
		t.Errorf("one person as legal representative and liaison: %d messages, want 2", n)
	}
}

// "Certificate ready" links to the status page's documents when a link is
// given, in both languages, and says nothing of one otherwise.
func TestCertificateReadyLinksTheDocuments(t *testing.T) {
	link := PageLink("https://kaiban.example.cn/", "KB1")
	if link != "https://kaiban.example.cn/status/KB1" {
		t.Fatalf("link %q", link)
	}
	for _, lang := range []string{"", kaiban.LangEN} {
		app := &kaiban.Application{ID: "KB1", Form: storetest.Form(), Lang: lang}
		for _, m := range Messages(app, Event{Milestone: CertificateReady, Track: kaiban.TrackLicense, Link: link}) {
			if m.Link != link || !strings.HasSuffix(m.Text, link) {
				t.Errorf("lang %q: %q (link %q), want the documents link", lang, m.Text, m.Link)
			}
		}
		for _, m := range Messages(app, Event{Milestone: CertificateReady, Track: kaiban.TrackLicense}) {
			if m.Link != "" || strings.Contains(m.Text, "http") {
				t.Errorf("lang %q without a link: %q", lang, m.Text)
			}
		}
	}
}
