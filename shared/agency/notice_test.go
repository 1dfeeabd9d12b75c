package agency

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The messages the clients write on their errors end up on a track for the
// applicant. Each one the client composes itself is a notice template, so
// a Chinese status page shows it in Chinese (kaiban.LocalizeNotice) and an
// English one in English; an agency's own reason is passed on as written.
func TestClientMessagesAreNotices(t *testing.T) {
	var errs []error
	for _, kind := range kaiban.AgencyKinds {
		for _, c := range []struct {
			status int
			body   string
		}{
			{200, `{"reference":`},                              // unreadable
			{200, `"` + strings.Repeat("x", maxResponse) + `"`}, // too large
			{404, `<html>not found</html>`},
			{429, ``},
			{503, ``},
			{422, `{"code":"REJECTED","message":""}`},
			{422, `{"code":"NAME_REVIEW","message":""}`},
			{422, `{"code":"IDENTITY_FAILED","message":" "}`},
		} {
			var out kaiban.NameCheck
			errs = append(errs, decodeResponse(kind, c.status, []byte(c.body), &out))
		}
		errs = append(errs, unavailable(kind, errors.New("connection refused")),
			unavailable(kind, context.DeadlineExceeded))
	}
	for _, err := range errs {
		msg := kaiban.ErrorMessage(err)
		zh, code := kaiban.LocalizeNotice(msg, false)
		if code == kaiban.NoticeText || code == kaiban.NoticeUntranslated || code == "" {
			t.Errorf("%q is not a notice template (code %q)", msg, code)
		}
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%q shown to a Chinese reader as %q", msg, zh)
		}
	}
}
