package api_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// fileFor files body for an applicant as the clerk with claims.
func (e *env) fileFor(t *testing.T, claims map[string]string, body string, lang string) (int, string) {
	t.Helper()
	h := jsonHeaders()
	if lang != "" {
		h["Accept-Language"] = lang
	}
	resp := e.do(t, req{method: "POST", path: "/v1/clerk/applications", headers: h, body: body, claims: claims})
	return resp.StatusCode, resp.Body
}

// withChannel is the example form with a "channel" member added.
func withChannel(t *testing.T, form []byte, channel string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(form, &m); err != nil {
		t.Fatal(err)
	}
	m["channel"] = json.RawMessage(channel)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestClerkFilesForApplicant(t *testing.T) {
	e := newEnv(t)
	code, body := e.fileFor(t, clerkClaims("alice"), withChannel(t, validForm(t), `"counter"`), "")
	if code != 202 {
		t.Fatalf("file: %d %s", code, body)
	}
	var s submittedApp
	if err := json.Unmarshal([]byte(body), &s); err != nil || s.ID == "" || s.AccessToken == "" || s.Status != "SUBMITTED" {
		t.Fatalf("answer %s: %v", body, err)
	}
	if len(e.exec.starts) != 1 {
		t.Fatalf("executions started: %d, want 1", len(e.exec.starts))
	}

	// The trail names the clerk as the filer of the submission.
	trail, err := e.store.ListAudit(context.Background(), s.ID)
	if err != nil || len(trail) == 0 {
		t.Fatalf("trail: %v %v", trail, err)
	}
	if trail[0].Action != "application.submitted" || trail[0].Actor != "clerk:alice" {
		t.Fatalf("first event: %s by %s, want application.submitted by clerk:alice", trail[0].Action, trail[0].Actor)
	}

	// Clerks see who filed it.
	view := e.do(t, req{method: "GET", path: "/v1/clerk/applications/" + s.ID, claims: clerkClaims("bob")})
	var cv struct {
		FiledBy *struct{ Clerk, Sub, Channel string } `json:"filedBy"`
	}
	if err := json.Unmarshal([]byte(view.Body), &cv); view.StatusCode != 200 || err != nil || cv.FiledBy == nil ||
		cv.FiledBy.Sub != "alice" || cv.FiledBy.Clerk != "clerk-alice" || cv.FiledBy.Channel != "counter" {
		t.Fatalf("clerk view: %d %s", view.StatusCode, view.Body)
	}

	// So does the applicant, in their language.
	for _, tc := range []struct{ lang, want string }{
		{"", "由工作人员 clerk-alice 在窗口为您代办"},
		{"en", "Filed for you by clerk clerk-alice at the counter"},
	} {
		h := map[string]string{"Authorization": "Bearer " + s.AccessToken}
		if tc.lang != "" {
			h["Accept-Language"] = tc.lang
		}
		st := e.do(t, req{method: "GET", path: "/v1/applications/" + s.ID, headers: h})
		if st.StatusCode != 200 || !strings.Contains(st.Body, tc.want) || strings.Contains(st.Body, `"sub"`) {
			t.Fatalf("status (%q): %d %s", tc.lang, st.StatusCode, st.Body)
		}
	}

	// An applicant's own submission names no filer.
	own := e.submit(t, nil, string(validForm(t)))
	st := e.do(t, req{method: "GET", path: "/v1/applications/" + own.ID, headers: map[string]string{"Authorization": "Bearer " + own.AccessToken}})
	if st.StatusCode != 200 || strings.Contains(st.Body, "filedBy") {
		t.Fatalf("own status: %d %s", st.StatusCode, st.Body)
	}
}

func TestFileForApplicantNeedsAClerk(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name   string
		claims map[string]string
		want   int
	}{
		{"no token", nil, 401},
		{"not a clerk", map[string]string{"sub": "eve", "cognito:groups": "[applicants]"}, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, body := e.fileFor(t, tc.claims, string(validForm(t)), ""); code != tc.want {
				t.Fatalf("%d %s, want %d", code, body, tc.want)
			}
		})
	}
	if len(e.exec.starts) != 0 {
		t.Fatalf("an execution was started")
	}
}

func TestFileForApplicantInvalid(t *testing.T) {
	e := newEnv(t)
	invalid, err := os.ReadFile("../../infra/examples/invalid-five-faults.json")
	if err != nil {
		t.Fatal(err)
	}
	// The applicant's own submission of the invalid form: the errors a
	// clerk must get too.
	own := e.do(t, req{method: "POST", path: "/v1/applications", headers: map[string]string{"Content-Type": "application/json", "Accept-Language": "en"}, body: string(invalid)})
	if own.StatusCode != 400 {
		t.Fatalf("own: %d", own.StatusCode)
	}
	ownFields := fieldsOf(errorsOf(t, own))

	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"invalid form", string(invalid), ownFields},
		{"invalid form, counter", withChannel(t, invalid, `"counter"`), ownFields},
		{"unknown channel", withChannel(t, validForm(t), `"fax"`), []string{"channel"}},
		{"unknown channel, invalid form", withChannel(t, invalid, `"fax"`), append([]string{"channel"}, ownFields...)},
		{"channel not a string", withChannel(t, validForm(t), `7`), []string{"channel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.do(t, req{method: "POST", path: "/v1/clerk/applications", claims: clerkClaims("alice"),
				headers: map[string]string{"Content-Type": "application/json", "Accept-Language": "en"}, body: tc.body})
			if resp.StatusCode != 400 {
				t.Fatalf("%d %s", resp.StatusCode, resp.Body)
			}
			got := fieldsOf(errorsOf(t, resp))
			if !slices.Equal(got, tc.want) {
				t.Fatalf("fields %v, want %v", got, tc.want)
			}
			if strings.Contains(resp.Body, "须为") {
				t.Fatalf("English asked, Chinese answered: %s", resp.Body)
			}
		})
	}
	if len(e.exec.starts) != 0 {
		t.Fatalf("an execution was started")
	}
}

// fieldsOf lists the fields of an error list, in order.
func fieldsOf(errs []kaiban.FieldError) []string {
	out := make([]string, len(errs))
	for i, fe := range errs {
		out[i] = fe.Field
	}
	return out
}

// A clerk's retried filing (same Idempotency-Key, same body) answers the
// first application and files nothing more.
func TestFileForApplicantReplays(t *testing.T) {
	e := newEnv(t)
	body := withChannel(t, validForm(t), `"counter"`)
	var ids, tokens []string
	for range 2 {
		h := jsonHeaders()
		h["Idempotency-Key"] = "assist-retry-1"
		resp := e.do(t, req{method: "POST", path: "/v1/clerk/applications", headers: h, body: body, claims: clerkClaims("alice")})
		var s submittedApp
		if resp.StatusCode != 202 || json.Unmarshal([]byte(resp.Body), &s) != nil {
			t.Fatalf("%d %s", resp.StatusCode, resp.Body)
		}
		ids, tokens = append(ids, s.ID), append(tokens, s.AccessToken)
	}
	if ids[0] != ids[1] || tokens[0] != tokens[1] {
		t.Fatalf("a retry filed again: %v %v", ids, tokens)
	}
	trail, err := e.store.ListAudit(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range trail {
		if ev.Action == "application.submitted" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d submitted events, want 1", n)
	}
}
