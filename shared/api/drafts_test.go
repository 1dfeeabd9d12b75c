package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// A draft is created, read and saved with its token; its resume link goes
// once to the legal representative's mobile; a wrong token and an unknown
// draft look the same; bad bodies are 4xx in the error shape.
func TestDrafts(t *testing.T) {
	e := newEnv(t)
	jsonH := map[string]string{"content-type": "application/json"}
	resp := e.do(t, req{method: "POST", path: "/v1/drafts", headers: jsonH, body: `{"company":{"name":"沈阳市云帆"}}`})
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, resp.Body)
	}
	var created struct{ ID, Token, ResumeLink string }
	_ = json.Unmarshal([]byte(resp.Body), &created)
	if created.ID == "" || len(created.Token) < 22 || created.ResumeLink != "https://kaiban.test/drafts/"+created.ID+"#token="+created.Token {
		t.Fatalf("created %+v", created)
	}
	auth := func(tok string) map[string]string {
		return map[string]string{"content-type": "application/json", "authorization": "Bearer " + tok}
	}
	path := "/v1/drafts/" + created.ID
	for range 3 { // the portal saves as the applicant types
		resp = e.do(t, req{method: "PUT", path: path, headers: auth(created.Token), body: `{"company":{"name":"沈阳市云帆信息技术有限公司"},"legalRepresentative":{"mobile":"13800138000"}}`})
		if resp.StatusCode != 200 {
			t.Fatalf("save: %d %s", resp.StatusCode, resp.Body)
		}
	}
	resp = e.do(t, req{method: "GET", path: path, headers: auth(created.Token)})
	var got struct {
		Form struct {
			Company struct{ Name string }
		}
	}
	_ = json.Unmarshal([]byte(resp.Body), &got)
	if resp.StatusCode != 200 || got.Form.Company.Name != "沈阳市云帆信息技术有限公司" {
		t.Fatalf("get: %d %s", resp.StatusCode, resp.Body)
	}
	msgs, err := e.store.Messages(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].To != "13800138000" || msgs[0].Link != created.ResumeLink || !strings.Contains(msgs[0].Text, created.ResumeLink) {
		t.Fatalf("resume messages %+v, want one SMS with the link", msgs)
	}

	wrong := e.do(t, req{method: "GET", path: path, headers: auth("wrong")})
	unknown := e.do(t, req{method: "GET", path: "/v1/drafts/DNOSUCHDRAFT", headers: auth(created.Token)})
	if wrong.StatusCode != 404 || unknown.StatusCode != 404 || wrong.Body != unknown.Body {
		t.Errorf("wrong token %d %s, unknown %d %s: want the same 404", wrong.StatusCode, wrong.Body, unknown.StatusCode, unknown.Body)
	}
	if r := e.do(t, req{method: "PUT", path: path, headers: auth("wrong"), body: `{}`}); r.StatusCode != 404 {
		t.Errorf("save with a wrong token: %d", r.StatusCode)
	}
	if r := e.do(t, req{method: "GET", path: path}); r.StatusCode != 401 {
		t.Errorf("no token: %d", r.StatusCode)
	}
	for _, c := range []struct {
		body, ctype string
		want        int
	}{
		{`[1,2]`, "application/json", 400},
		{`"x"`, "application/json", 400},
		{`{`, "application/json", 400},
		{`{}`, "text/plain", 415},
	} {
		r := e.do(t, req{method: "POST", path: "/v1/drafts", headers: map[string]string{"content-type": c.ctype}, body: c.body})
		if r.StatusCode != c.want {
			t.Errorf("create %q (%s): %d, want %d", c.body, c.ctype, r.StatusCode, c.want)
		}
		errorsOf(t, r)
		r = e.do(t, req{method: "PUT", path: path, headers: map[string]string{"content-type": c.ctype, "authorization": "Bearer " + created.Token}, body: c.body})
		if r.StatusCode != c.want {
			t.Errorf("save %q (%s): %d, want %d", c.body, c.ctype, r.StatusCode, c.want)
		}
	}
	if r := e.do(t, req{method: "GET", path: "/drafts/" + created.ID}); r.StatusCode != 200 || !strings.Contains(r.Body, "portal") {
		t.Errorf("the resume link's page: %d %s", r.StatusCode, r.Body)
	}
}
