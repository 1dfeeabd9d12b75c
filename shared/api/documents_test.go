package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/infra/stack/folder"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/docissue"
	"github.com/kaiban/kaiban/shared/documents/documentstest"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/signing"
	"github.com/kaiban/kaiban/shared/storetest"
)

type docAPI struct {
	*env
	objects *folder.Folder
	app     submittedApp
	all     []kaiban.DocumentRecord
}

// newDocAPI is the API with documents on (a folder for the objects), one
// submitted application and its whole bundle issued.
func newDocAPI(t *testing.T) *docAPI {
	t.Helper()
	e := newEnv(t)
	seed, _ := signing.NewSeed()
	signer, err := signing.NewLocal(seed)
	if err != nil {
		t.Fatal(err)
	}
	f, err := folder.New(t.TempDir(), []byte("download link secret, 32 bytes or more"), "/v1/objects/content")
	if err != nil {
		t.Fatal(err)
	}
	docs := storetest.NewMemDocuments()
	e.deps.Documents = &onestop.DocumentsDeps{Store: docs, Objects: f, Public: signer.Public(),
		ServeLink: func(ctx context.Context, q url.Values) (onestop.Download, error) {
			d, err := f.Open(ctx, q)
			return onestop.Download(d), err
		}}
	e.srv = api.NewServer(e.deps)
	d := &docAPI{env: e, objects: f, app: e.submit(t, nil, string(validForm(t)))}
	if err := documentstest.Complete(t.Context(), e.store, d.app.ID, e.deps.Clock()); err != nil {
		t.Fatal(err)
	}
	is := &docissue.Issuer{Apps: e.store, Store: docs, Objects: f, Signer: signer, IDSecret: []byte("document id secret, 32 bytes or more"),
		VerifyBase: "https://kaiban.test", Clock: e.deps.Clock}
	if d.all, err = is.ForSubmission(t.Context(), d.app.ID); err != nil {
		t.Fatal(err)
	}
	for _, tr := range kaiban.Tracks {
		ds, err := is.ForTrack(t.Context(), d.app.ID, tr)
		if err != nil {
			t.Fatal(err)
		}
		d.all = append(d.all, ds...)
	}
	return d
}

func bodyBytes(t *testing.T, b string, b64 bool) []byte {
	t.Helper()
	if !b64 {
		return []byte(b)
	}
	out, err := base64.StdEncoding.DecodeString(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The applicant lists the bundle with the access token and each link
// serves the bytes of the listed SHA-256; the clerk sees the same list;
// "download all" is a zip; without a token 401, with a wrong one 404.
func TestDocumentRoutes(t *testing.T) {
	e := newDocAPI(t)
	auth := map[string]string{"authorization": "Bearer " + e.app.AccessToken}
	resp := e.do(t, req{method: "GET", path: "/v1/applications/" + e.app.ID + "/documents", headers: auth})
	if resp.StatusCode != 200 {
		t.Fatalf("list: %d %s", resp.StatusCode, resp.Body)
	}
	var list struct {
		Documents []struct{ ID, Kind, Title, MediaType, SHA256, URL string }
	}
	if err := json.Unmarshal([]byte(resp.Body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Documents) != len(e.all) {
		t.Fatalf("%d documents, want %d", len(list.Documents), len(e.all))
	}
	for _, d := range list.Documents {
		u, err := url.Parse(d.URL)
		if err != nil || u.Path != "/v1/objects/content" {
			t.Fatalf("link %q", d.URL)
		}
		q := map[string]string{}
		for k := range u.Query() {
			q[k] = u.Query().Get(k)
		}
		got := e.do(t, req{method: "GET", path: u.Path, query: q})
		sum := sha256.Sum256(bodyBytes(t, got.Body, got.IsBase64Encoded))
		if got.StatusCode != 200 || hex.EncodeToString(sum[:]) != d.SHA256 || got.Headers["Content-Type"] != d.MediaType {
			t.Errorf("%s: link answers %d %s, want the bytes of %s", d.ID, got.StatusCode, got.Headers["Content-Type"], d.SHA256)
		}
		q["exp"] = "9999999999"
		if got := e.do(t, req{method: "GET", path: u.Path, query: q}); got.StatusCode != 403 {
			t.Errorf("a link with its expiry changed: %d, want 403", got.StatusCode)
		}
	}
	clerk := e.do(t, req{method: "GET", path: "/v1/clerk/applications/" + e.app.ID + "/documents", claims: clerkClaims("c1")})
	if clerk.StatusCode != 200 || strings.Count(clerk.Body, `"sha256"`) != len(e.all) {
		t.Errorf("clerk list: %d %s", clerk.StatusCode, clerk.Body)
	}
	zip := e.do(t, req{method: "GET", path: "/v1/applications/" + e.app.ID + "/documents.zip", headers: auth})
	if z := bodyBytes(t, zip.Body, zip.IsBase64Encoded); zip.StatusCode != 200 || zip.Headers["Content-Type"] != "application/zip" || string(z[:2]) != "PK" {
		t.Errorf("zip: %d %s", zip.StatusCode, zip.Headers["Content-Type"])
	}

	wrong := map[string]string{"authorization": "Bearer wrong"}
	for _, c := range []struct {
		name string
		r    req
		want int
	}{
		{"list without token", req{method: "GET", path: "/v1/applications/" + e.app.ID + "/documents"}, 401},
		{"list with a wrong token", req{method: "GET", path: "/v1/applications/" + e.app.ID + "/documents", headers: wrong}, 404},
		{"list of a malformed id", req{method: "GET", path: "/v1/applications/x%00y/documents", headers: auth}, 404},
		{"zip without token", req{method: "GET", path: "/v1/applications/" + e.app.ID + "/documents.zip"}, 401},
		{"zip with a wrong token", req{method: "GET", path: "/v1/applications/" + e.app.ID + "/documents.zip", headers: wrong}, 404},
		{"clerk list without a clerk", req{method: "GET", path: "/v1/clerk/applications/" + e.app.ID + "/documents"}, 401},
		{"content without a signature", req{method: "GET", path: "/v1/objects/content", query: map[string]string{"key": e.all[0].ObjectKey, "exp": "9999999999"}}, 403},
		{"verify without a body", req{method: "POST", path: "/v1/documents/verify"}, 400},
		{"verify with bad base64", req{method: "POST", path: "/v1/documents/verify", body: "%%%", b64: true}, 400},
		{"verify too large", req{method: "POST", path: "/v1/documents/verify", body: strings.Repeat("x", onestop.MaxVerifyBytes+1)}, 413},
		{"particulars of an unknown document", req{method: "GET", path: "/v1/documents/DOCNONE/particulars"}, 404},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := e.do(t, c.r)
			if resp.StatusCode != c.want {
				t.Fatalf("%d %s, want %d", resp.StatusCode, resp.Body, c.want)
			}
			errorsOf(t, resp)
		})
	}
}

// POST /v1/documents/verify with a document's bytes: valid; with one byte
// changed: not; the licence's verification page says valid, in Chinese or
// English; the public key is published.
func TestVerifyRoutes(t *testing.T) {
	e := newDocAPI(t)
	var licence kaiban.DocumentRecord
	for _, d := range e.all {
		if d.Kind == kaiban.DocLicense {
			licence = d
		}
	}
	body, err := e.objects.GetObject(t.Context(), licence.ObjectKey)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(b []byte) (v struct {
		Valid    bool
		Revoked  bool
		Document *struct{ Kind, Company, CreditCode, IssuedAt string }
	}) {
		resp := e.do(t, req{method: "POST", path: "/v1/documents/verify", headers: map[string]string{"content-type": "application/pdf"},
			body: base64.StdEncoding.EncodeToString(b), b64: true})
		if resp.StatusCode != 200 {
			t.Fatalf("verify: %d %s", resp.StatusCode, resp.Body)
		}
		if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := verify(body); !v.Valid || v.Document == nil || v.Document.Kind != "license" || v.Document.Company == "" || v.Document.IssuedAt == "" {
		t.Errorf("the licence: %+v", v)
	}
	changed := append([]byte(nil), body...)
	changed[len(changed)/2] ^= 0x20
	if v := verify(changed); v.Valid || v.Document != nil {
		t.Errorf("one byte changed: %+v", v)
	}
	page := e.do(t, req{method: "GET", path: "/verify/" + licence.ID})
	if page.StatusCode != 200 || !strings.Contains(page.Body, `data-verdict="valid"`) || !strings.Contains(page.Body, "有效") {
		t.Errorf("verify page: %d %s", page.StatusCode, page.Body)
	}
	en := e.do(t, req{method: "GET", path: "/verify/" + licence.ID, headers: map[string]string{"accept-language": "en"}})
	if !strings.Contains(en.Body, "Valid:") || !strings.Contains(en.Body, "Administration for Market Regulation") {
		t.Errorf("English verify page: %s", en.Body)
	}
	if nf := e.do(t, req{method: "GET", path: "/verify/DOCNONE"}); nf.StatusCode != 404 || !strings.Contains(nf.Body, `data-verdict="notfound"`) {
		t.Errorf("unknown document's page: %d %s", nf.StatusCode, nf.Body)
	}
	pem := e.do(t, req{method: "GET", path: "/.well-known/kaiban-documents.pem"})
	if pem.StatusCode != 200 || !strings.HasPrefix(pem.Body, "-----BEGIN PUBLIC KEY-----") {
		t.Errorf("public key: %d %s", pem.StatusCode, pem.Body)
	}
}

// Without documents configured, their routes are 404 in the error shape.
func TestDocumentRoutesOff(t *testing.T) {
	e := newEnv(t)
	for _, r := range []req{
		{method: "POST", path: "/v1/documents/verify", body: "x"},
		{method: "GET", path: "/.well-known/kaiban-documents.pem"},
		{method: "GET", path: "/v1/objects/content"},
	} {
		resp := e.do(t, r)
		if resp.StatusCode != 404 {
			t.Errorf("%s %s: %d, want 404", r.method, r.path, resp.StatusCode)
		}
		errorsOf(t, resp)
	}
}
