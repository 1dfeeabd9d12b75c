package sqlite

import (
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The outbox row keeps neither the mobile nor the link's access token in
// the clear: the file is as sensitive as the form's sealed fields.
func TestOutboxSealedAtRest(t *testing.T) {
	s := MustOpen(t)
	m := kaiban.Message{Key: "KB1/submitted/sms", To: "13800138000", Channel: kaiban.ChannelSMS,
		Text: "申请已提交", Link: "http://127.0.0.1/status/KB1#token=secrettoken"}
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	var to, text, link string
	if err := s.r.QueryRowContext(t.Context(), `SELECT recipient, text, link FROM outbox`).Scan(&to, &text, &link); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{to, text, link} {
		if strings.Contains(v, "13800138000") || strings.Contains(v, "secrettoken") || strings.Contains(v, "申请") {
			t.Fatalf("outbox row holds %q in the clear", v)
		}
	}
}
