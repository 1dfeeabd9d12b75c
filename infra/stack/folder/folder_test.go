package folder

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func mustNew(t *testing.T) *Folder {
	t.Helper()
	f, err := New(t.TempDir(), secret, "/v1/objects/content")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// fetchVia follows a link through f.Open, as the API's content route does.
func fetchVia(f *Folder) storetest.Fetch {
	return func(t *testing.T, link string) ([]byte, string, error) {
		u, err := url.Parse(link)
		if err != nil {
			return nil, "", err
		}
		d, err := f.Open(t.Context(), u.Query())
		return d.Body, d.MediaType, err
	}
}

func TestObjectsContract(t *testing.T) {
	var f *Folder
	storetest.RunObjectsContract(t, func(t *testing.T) kaiban.Objects { f = mustNew(t); return f },
		func(t *testing.T, link string) ([]byte, string, error) { return fetchVia(f)(t, link) })
}

// A link serves its object until it expires, and not once any of its
// parameters is changed or it was signed with another secret.
func TestDownloadLinkRefused(t *testing.T) {
	now := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	f := mustNew(t).WithClock(func() time.Time { return now })
	if err := f.PutObject(t.Context(), "documents/KB1/license.pdf", "application/pdf", []byte("licence")); err != nil {
		t.Fatal(err)
	}
	if err := f.PutObject(t.Context(), "documents/KB2/license.pdf", "application/pdf", []byte("another's")); err != nil {
		t.Fatal(err)
	}
	link, err := f.DownloadURL(t.Context(), "documents/KB1/license.pdf", "application/pdf", "营业执照.pdf", 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	other, _ := New(t.TempDir(), []byte(strings.Repeat("x", 32)), "/v1/objects/content")
	otherLink, _ := other.WithClock(func() time.Time { return now }).DownloadURL(t.Context(), "documents/KB1/license.pdf", "application/pdf", "a.pdf", time.Minute)
	ou, _ := url.Parse(otherLink)
	with := func(k, v string) url.Values {
		q := u.Query()
		q.Set(k, v)
		return q
	}
	cases := []struct {
		name string
		q    url.Values
		at   time.Time
		want string // error name, "" for served
	}{
		{"fresh", u.Query(), now, ""},
		{"just before expiry", u.Query(), now.Add(5*time.Minute - time.Second), ""},
		{"expired", u.Query(), now.Add(5 * time.Minute), kaiban.ErrForbidden},
		{"another key", with("key", "documents/KB2/license.pdf"), now, kaiban.ErrForbidden},
		{"later expiry", with("exp", "99999999999"), now, kaiban.ErrForbidden},
		{"another type", with("type", "text/html"), now, kaiban.ErrForbidden},
		{"another name", with("name", "x.pdf"), now, kaiban.ErrForbidden},
		{"no signature", with("sig", ""), now, kaiban.ErrForbidden},
		{"garbage signature", with("sig", "!!"), now, kaiban.ErrForbidden},
		{"another secret", ou.Query(), now, kaiban.ErrForbidden},
		{"empty query", url.Values{}, now, kaiban.ErrForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := f.WithClock(func() time.Time { return c.at }).Open(t.Context(), c.q)
			if c.want == "" {
				if err != nil || string(d.Body) != "licence" || d.Filename != "营业执照.pdf" {
					t.Errorf("open = %+v %v, want the licence", d, err)
				}
				return
			}
			if !kaiban.IsName(err, c.want) {
				t.Errorf("open = %q %v, want %s", d.Body, err, c.want)
			}
		})
	}
}
