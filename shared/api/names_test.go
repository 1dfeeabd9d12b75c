package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/storetest"
)

// newNamesEnv is newEnv with a name checker over an index holding two
// Shenyang real-estate names.
func newNamesEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	idx := storetest.NewMemNameIndex()
	for _, n := range []string{"沈阳鑫源房地产有限公司", "沈阳云启软件有限公司"} {
		rec, ok := names.Record(n)
		if !ok {
			t.Fatalf("%s does not parse", n)
		}
		rec.Status, rec.ChangedAt = kaiban.NameRegistered, submissionTime.AddDate(-2, 0, 0)
		if err := idx.PutNames(t.Context(), []kaiban.NameRecord{rec}); err != nil {
			t.Fatal(err)
		}
	}
	e.deps.Names = &names.Checker{Index: idx, Now: func() time.Time { return submissionTime }}
	e.srv = api.NewServer(e.deps)
	return e
}

func TestNameCheckRoute(t *testing.T) {
	e := newNamesEnv(t)
	json200 := map[string]string{"Content-Type": "application/json"}
	en := map[string]string{"Content-Type": "application/json", "Accept-Language": "en"}
	cases := []struct {
		what, body string
		headers    map[string]string
		verdict    string
		relation   string // of the first conflict
		text       string // in the first reason's message or rule
	}{
		{"identical refused", `{"name":"沈阳鑫源房地产有限公司"}`, json200, "refused", "identical", "名称相同"},
		{"reordered refused, in English", `{"name":"鑫源（沈阳）房地产有限公司"}`, en, "refused", "identical", "the same as"},
		{"homophone reviewed", `{"name":"沈阳欣源房地产有限公司"}`, json200, "review", "similar", "相近"},
		{"parts available", `{"nameParts":{"region":"沈阳","tradeName":"云帆","industry":"软件科技","orgForm":"有限公司"}}`, json200, "available", "", ""},
		{"rule refused, in English", `{"name":"沈阳中华软件有限公司"}`, en, "refused", "", "State Council"},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			resp := e.do(t, req{method: "POST", path: "/v1/names/check", headers: tc.headers, body: tc.body})
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
			}
			var v names.View
			if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
				t.Fatal(err)
			}
			if string(v.Verdict) != tc.verdict {
				t.Fatalf("verdict %s, want %s: %s", v.Verdict, tc.verdict, resp.Body)
			}
			if tc.relation != "" && (len(v.Conflicts) == 0 || v.Conflicts[0].Relation != tc.relation) {
				t.Errorf("conflicts %+v, want %s first", v.Conflicts, tc.relation)
			}
			if tc.text != "" && (len(v.Reasons) == 0 || !strings.Contains(v.Reasons[0].Message+v.Reasons[0].Rule, tc.text)) {
				t.Errorf("reasons %+v, want one mentioning %q", v.Reasons, tc.text)
			}
			if tc.verdict != "available" && (len(v.Suggestions) == 0 || len(v.Suggestions) > 3) {
				t.Errorf("suggestions %v, want 1–3", v.Suggestions)
			}
			for _, s := range v.Suggestions {
				body, _ := json.Marshal(map[string]string{"name": s})
				r := e.do(t, req{method: "POST", path: "/v1/names/check", headers: json200, body: string(body)})
				if !strings.Contains(r.Body, `"verdict":"available"`) {
					t.Errorf("suggestion %s: %s", s, r.Body)
				}
			}
		})
	}
}

func TestNameCheckBadInput(t *testing.T) {
	e := newNamesEnv(t)
	cases := []struct {
		what, body, field string
		lang              string
	}{
		{"empty object", `{}`, "name", ""},
		{"both", `{"name":"沈阳云帆软件有限公司","nameParts":{"region":"沈阳","tradeName":"云帆","industry":"软件","orgForm":"有限公司"}}`, "name", "en"},
		{"blank name", `{"name":"  "}`, "name", ""},
		{"too long", `{"name":"` + strings.Repeat("名", 101) + `"}`, "name", ""},
		{"part missing", `{"nameParts":{"region":"沈阳","industry":"软件","orgForm":"有限公司"}}`, "nameParts.tradeName", "en"},
		{"unknown field", `{"title":"x"}`, "title", ""},
		{"wrong type", `{"name":42}`, "name", ""},
		{"not JSON", `沈阳`, "body", ""},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			h := map[string]string{"Content-Type": "application/json"}
			if tc.lang == "en" {
				h["Accept-Language"] = "en"
			}
			resp := e.do(t, req{method: "POST", path: "/v1/names/check", headers: h, body: tc.body})
			if resp.StatusCode != 400 {
				t.Fatalf("status %d, want 400: %s", resp.StatusCode, resp.Body)
			}
			fields := errorsOf(t, resp)
			if len(fields) == 0 || fields[0].Field != tc.field || fields[0].Message == "" {
				t.Fatalf("errors %+v, want field %s", fields, tc.field)
			}
			if isEN := !strings.ContainsFunc(fields[0].Message, func(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }); isEN != (tc.lang == "en") {
				t.Errorf("message %q not in %q", fields[0].Message, tc.lang)
			}
		})
	}
}

// TestValidateUsesNameCheck: the form's dry run refuses a name the check
// refuses, on the trade-name field, and accepts the example.
func TestValidateUsesNameCheck(t *testing.T) {
	e := newNamesEnv(t)
	h := map[string]string{"Content-Type": "application/json"}
	if resp := e.do(t, req{method: "POST", path: "/v1/applications/validate", headers: h, body: string(validForm(t))}); resp.StatusCode != 200 {
		t.Fatalf("example form: %d %s", resp.StatusCode, resp.Body)
	}
	// The example's trade name with the registered name's words.
	body := strings.NewReplacer(`"沈阳云启软件科技有限公司"`, `"沈阳云启软件有限公司"`, `"软件科技"`, `"软件"`).Replace(string(validForm(t)))
	resp := e.do(t, req{method: "POST", path: "/v1/applications/validate", headers: h, body: body})
	if resp.StatusCode != 400 {
		t.Fatalf("registered name: status %d, want 400: %s", resp.StatusCode, resp.Body)
	}
	fields := errorsOf(t, resp)
	if len(fields) != 1 || fields[0].Field != "company.nameParts.tradeName" || fields[0].Code != "name_identical" || !strings.Contains(fields[0].Message, "沈阳云启软件有限公司") {
		t.Errorf("errors %+v, want name_identical on company.nameParts.tradeName", fields)
	}
}
