package storetest

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Fetch follows a download link the way a browser would and returns the
// bytes and media type it serves, or an error when the link is refused.
type Fetch func(t *testing.T, url string) (body []byte, mediaType string, err error)

// RunObjectsContract checks a kaiban.Objects: put and get, replace,
// unknown keys, bad keys, concurrent replaces never serving a mix, and
// download links that serve the bytes and media type (fetch follows a
// link). Expiry is each implementation's own test: it needs its clock.
func RunObjectsContract(t *testing.T, open func(t *testing.T) kaiban.Objects, fetch Fetch) {
	t.Run("put and get", func(t *testing.T) {
		o := open(t)
		body := []byte("%PDF-1.7 营业执照")
		if err := o.PutObject(t.Context(), "documents/KB1/license.pdf", "application/pdf", body); err != nil {
			t.Fatal(err)
		}
		got, err := o.GetObject(t.Context(), "documents/KB1/license.pdf")
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("get = %q %v, want %q", got, err, body)
		}
		if err := o.PutObject(t.Context(), "documents/KB1/license.pdf", "application/pdf", []byte("v2")); err != nil {
			t.Fatal(err)
		}
		if got, _ := o.GetObject(t.Context(), "documents/KB1/license.pdf"); string(got) != "v2" {
			t.Errorf("after replace: %q", got)
		}
		if _, err := o.GetObject(t.Context(), "documents/KB1/none.pdf"); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("unknown key: %v, want %s", err, kaiban.ErrNotFound)
		}
	})

	t.Run("bad keys", func(t *testing.T) {
		o := open(t)
		for _, k := range []string{"", "../escape", "a/../../b", "/abs", "a//b", "a/./b", "a b", "a\\b", "a\x00b"} {
			if err := o.PutObject(t.Context(), k, "text/plain", []byte("x")); !kaiban.IsName(err, kaiban.ErrInput) {
				t.Errorf("put %q: %v, want %s", k, err, kaiban.ErrInput)
			}
			if _, err := o.GetObject(t.Context(), k); !kaiban.IsName(err, kaiban.ErrInput) {
				t.Errorf("get %q: %v, want %s", k, err, kaiban.ErrInput)
			}
		}
	})

	t.Run("concurrent replaces are whole", func(t *testing.T) {
		o := open(t)
		const key = "documents/KB2/articles.pdf"
		bodies := make([][]byte, 4)
		for i := range bodies {
			bodies[i] = bytes.Repeat([]byte{byte('a' + i)}, 64<<10)
		}
		if err := o.PutObject(t.Context(), key, "application/pdf", bodies[0]); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := o.PutObject(t.Context(), key, "application/pdf", bodies[i]); err != nil {
					t.Error(err)
				}
			}()
		}
		for range 20 {
			got, err := o.GetObject(t.Context(), key)
			if err != nil {
				t.Fatal(err)
			}
			if !slicesContainBytes(bodies, got) {
				t.Fatalf("read %d bytes that are none of the bodies written", len(got))
			}
		}
		wg.Wait()
	})

	t.Run("download link", func(t *testing.T) {
		o := open(t)
		body := []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")
		const key = "documents/KB3/seal-official.svg"
		if err := o.PutObject(t.Context(), key, "image/svg+xml", body); err != nil {
			t.Fatal(err)
		}
		u, err := o.DownloadURL(t.Context(), key, "image/svg+xml", "公章.svg", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		got, mt, err := fetch(t, u)
		if err != nil || !bytes.Equal(got, body) || mt != "image/svg+xml" {
			t.Errorf("fetch = %q %q %v, want the body as image/svg+xml", got, mt, err)
		}
		if _, err := o.DownloadURL(t.Context(), key, "image/svg+xml", "x.svg", kaiban.MaxDownloadTTL+time.Second); !kaiban.IsName(err, kaiban.ErrInput) {
			t.Errorf("a link beyond %v: %v, want %s", kaiban.MaxDownloadTTL, err, kaiban.ErrInput)
		}
	})
}

func slicesContainBytes(all [][]byte, b []byte) bool {
	for _, x := range all {
		if bytes.Equal(x, b) {
			return true
		}
	}
	return false
}
