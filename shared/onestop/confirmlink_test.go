package onestop_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/validate"
)

// A founder opens their link from an SMS, so it is absolute: the public
// base URL (the status links' base) unless the confirmations name their
// own; a trailing slash of the base makes no double slash.
func TestConfirmationLinksAreAbsolute(t *testing.T) {
	for _, c := range []struct{ name, public, linkBase, want string }{
		{"public base URL", "https://kaiban.example.cn/", "", "https://kaiban.example.cn/confirm#"},
		{"the confirmations' own base", "https://kaiban.example.cn", "https://sign.example.cn", "https://sign.example.cn/confirm#"},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := storetest.NewMemStore()
			t.Cleanup(func() { _ = store.Close() })
			cd, notes, _ := confirmtest.Deps(store)
			cd.LinkBase = c.linkBase
			svc := onestop.New(onestop.Deps{Store: store, Validator: validate.New(), Workflow: &workflow{taken: map[string]onestop.ClerkDecision{}},
				Clock: func() time.Time { return now }, TokenSecret: []byte("test secret that is long enough for hkdf"), Confirm: cd,
				PublicBaseURL: c.public})
			out, err := svc.Submit(t.Context(), onestop.SubmitRequest{Body: form(t)})
			if err != nil {
				t.Fatal(err)
			}
			msgs := notes.Messages(out.ID, "confirm")
			if len(msgs) == 0 {
				t.Fatal("no links sent")
			}
			for _, m := range msgs {
				if !strings.HasPrefix(m.Link, c.want+out.ID+".") {
					t.Errorf("link %q, want it under %q", m.Link, c.want)
				}
			}
		})
	}
}
