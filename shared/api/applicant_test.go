package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

type statusBody struct {
	ID              string     `json:"id"`
	Status          string     `json:"status"`
	CreditCode      string     `json:"creditCode"`
	SubmittedAt     time.Time  `json:"submittedAt"`
	Deadline        time.Time  `json:"deadline"`
	CompletedAt     *time.Time `json:"completedAt"`
	TimeLeftSeconds int64      `json:"timeLeftSeconds"`
	Tracks          []struct {
		Name     string          `json:"name"`
		Status   string          `json:"status"`
		Attempts int             `json:"attempts"`
		Result   json.RawMessage `json:"result"`
		Message  string          `json:"message"`
	} `json:"tracks"`
}

func TestSubmitThenPollStatus(t *testing.T) {
	e := newEnv(t)
	s := e.submit(t, nil, string(validForm(t)))

	if !strings.HasPrefix(s.ID, "KB20261127") || len(s.ID) != 26 {
		t.Errorf("id = %q, want KB + date + 16 random characters", s.ID)
	}
	if len(s.AccessToken) != 43 {
		t.Errorf("access token %d characters, want 43 (256 bits base64url)", len(s.AccessToken))
	}
	if s.Status != "SUBMITTED" || s.StatusURL != "/v1/applications/"+s.ID || !s.Deadline.Equal(submissionTime.Add(4*time.Hour)) {
		t.Errorf("answer = %+v", s)
	}

	if len(e.exec.starts) != 1 {
		t.Fatalf("StartExecution called %d times", len(e.exec.starts))
	}
	st := e.exec.starts[0]
	if *st.Name != s.ID || *st.Input != `{"applicationId":"`+s.ID+`"}` || *st.StateMachineArn != testMachine {
		t.Errorf("StartExecution(%q, %q, %q)", *st.StateMachineArn, *st.Name, *st.Input)
	}
	trail, err := e.store.ListAudit(context.Background(), s.ID)
	if err != nil || len(trail) != 1 || trail[0].Action != "application.submitted" || trail[0].Actor != "applicant" {
		t.Fatalf("audit = %+v, %v", trail, err)
	}

	resp := e.do(t, req{method: "GET", path: s.StatusURL, headers: map[string]string{"Authorization": "Bearer " + s.AccessToken}})
	if resp.StatusCode != 200 || resp.Headers["Cache-Control"] != "no-store" {
		t.Fatalf("status: %d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
	var b statusBody
	if err := json.Unmarshal([]byte(resp.Body), &b); err != nil {
		t.Fatal(err)
	}
	if b.ID != s.ID || b.Status != "SUBMITTED" || b.TimeLeftSeconds != 4*3600 || b.CompletedAt != nil {
		t.Errorf("status body = %+v", b)
	}
	var names []string
	for _, tr := range b.Tracks {
		names = append(names, tr.Name)
		if tr.Status != "PENDING" {
			t.Errorf("track %s = %s", tr.Name, tr.Status)
		}
	}
	if got := strings.Join(names, ","); got != "license,seal,tax,socialInsurance,medicalInsurance,housingFund,bank" {
		t.Errorf("track order %s", got)
	}
	for _, secret := range personalData(t) {
		if strings.Contains(resp.Body, secret) {
			t.Errorf("status answer contains personal data %q", secret)
		}
	}
	for _, k := range []string{`"creditCode":`, `"completedAt":`, `"startedAt":`, `"finishedAt":`, `"result":`} {
		if !strings.Contains(resp.Body, k) {
			t.Errorf("status answer lacks %s", k)
		}
	}
}

// personalData returns the ID numbers and mobiles of the example form.
func personalData(t testing.TB) []string {
	var f kaiban.Form
	if err := json.Unmarshal(validForm(t), &f); err != nil {
		t.Fatal(err)
	}
	out := []string{f.LegalRepresentative.IDNumber, f.LegalRepresentative.Mobile, f.Liaison.IDNumber, f.Liaison.Mobile}
	for _, h := range f.Shareholders {
		if h.IDNumber != "" {
			out = append(out, h.IDNumber)
		}
	}
	return out
}

func TestStatusMasksPersonalDataInResults(t *testing.T) {
	e := newEnv(t)
	s := e.submit(t, nil, string(validForm(t)))
	pd := personalData(t)
	result, _ := json.Marshal(map[string]any{"reference": "BK-1", "contact": pd[1], "nested": []string{"id " + pd[0]}})
	if _, err := kaiban.MutateTrack(context.Background(), e.store, s.ID, kaiban.TrackBank, func(tr *kaiban.Track) error {
		tr.Status, tr.Result, tr.Message = kaiban.TrackSucceeded, result, "booked for "+pd[1]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	resp := e.do(t, req{method: "GET", path: s.StatusURL, headers: map[string]string{"Authorization": "Bearer " + s.AccessToken}})
	for _, secret := range pd {
		if strings.Contains(resp.Body, secret) {
			t.Errorf("status answer shows %q: %s", secret, resp.Body)
		}
	}
	if !strings.Contains(resp.Body, "BK-1") {
		t.Errorf("result lost: %s", resp.Body)
	}
}

func TestIdempotentSubmission(t *testing.T) {
	e := newEnv(t)
	key := map[string]string{"Idempotency-Key": "retry-42"}
	first := e.submit(t, key, string(validForm(t)))
	again := e.submit(t, key, string(validForm(t)))
	if again.ID != first.ID || again.AccessToken != first.AccessToken {
		t.Fatalf("replay answered %+v, first %+v", again, first)
	}
	counts, err := e.store.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := counts.Applications[kaiban.AppSubmitted]; n != 1 {
		t.Errorf("%d applications stored, want 1", n)
	}
	for _, st := range e.exec.starts {
		if *st.Name != first.ID {
			t.Errorf("execution %q started for a replay", *st.Name)
		}
	}
	trail, _ := e.store.ListAudit(context.Background(), first.ID)
	if len(trail) != 1 {
		t.Errorf("%d audit events after a replay, want 1", len(trail))
	}

	// The same key with another body is a conflict.
	other := string(validForm(t)) + "\n" // same form, different bytes
	resp := e.do(t, req{method: "POST", path: "/v1/applications", headers: map[string]string{"Content-Type": "application/json", "Idempotency-Key": "retry-42"}, body: other})
	if resp.StatusCode != 409 || errorsOf(t, resp)[0].Code != kaiban.ErrIdempotencyConflict {
		t.Fatalf("other body under the same key: %d %s", resp.StatusCode, resp.Body)
	}
}

// TestIdempotencyKeyIsScopedToTheApplicant: two applicants who happen to
// send the same Idempotency-Key never meet. The second gets their own
// application (not a 409 telling them the key is taken, not the first
// applicant's ID and token), and each replay still answers its own caller.
func TestIdempotencyKeyIsScopedToTheApplicant(t *testing.T) {
	e := newEnv(t)
	key := map[string]string{"Idempotency-Key": "order-1"}
	formA := string(validForm(t))
	formB := strings.ReplaceAll(formA, "210102198503120316", "210102199001011237")
	if formB == formA {
		t.Fatal("the example form's legal representative changed; update the test")
	}
	a := e.submit(t, key, formA)
	b := e.submit(t, key, formB) // another legal representative, same key
	if b.ID == a.ID || b.AccessToken == a.AccessToken {
		t.Fatalf("caller B got caller A's application: A %+v, B %+v", a, b)
	}
	for _, tt := range []struct {
		name string
		form string
		want submittedApp
	}{
		{"A replays", formA, a},
		{"B replays", formB, b},
	} {
		got := e.submit(t, key, tt.form)
		if got.ID != tt.want.ID || got.AccessToken != tt.want.AccessToken {
			t.Errorf("%s: answered %s, want %s", tt.name, got.ID, tt.want.ID)
		}
	}
	// A third applicant with yet another body under the same key is not
	// told the key is in use.
	formC := strings.ReplaceAll(formA, "210102198503120316", "210102197806152046") + "\n"
	if c := e.submit(t, key, formC); c.ID == a.ID || c.ID == b.ID {
		t.Errorf("caller C got %s", c.ID)
	}
	counts, err := e.store.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := counts.Applications[kaiban.AppSubmitted]; n != 3 {
		t.Errorf("%d applications stored, want 3", n)
	}
}

func TestReplayStartsAnExecutionTheFirstCallCouldNot(t *testing.T) {
	e := newEnv(t)
	e.exec.startErr = errors.New("connection refused")
	h := map[string]string{"Content-Type": "application/json", "Idempotency-Key": "k-1"}
	resp := e.do(t, req{method: "POST", path: "/v1/applications", headers: h, body: string(validForm(t))})
	// Stored as SUBMITTED, the intent to start: accepted, and started by
	// the reconciler if not by a replay.
	if resp.StatusCode != 202 || !strings.Contains(resp.Body, `"status":"SUBMITTED"`) {
		t.Fatalf("first call: %d %s", resp.StatusCode, resp.Body)
	}
	if strings.Contains(resp.Body, "connection refused") {
		t.Error("internal error text leaked to the client")
	}
	e.exec.startErr = nil
	s := e.submit(t, map[string]string{"Idempotency-Key": "k-1"}, string(validForm(t)))
	if len(e.exec.starts) != 1 || *e.exec.starts[0].Name != s.ID {
		t.Fatalf("starts after retry: %+v", e.exec.starts)
	}
	// An execution that already exists is not an error.
	e.exec.startErr = &types.ExecutionAlreadyExists{}
	if again := e.submit(t, map[string]string{"Idempotency-Key": "k-1"}, string(validForm(t))); again.ID != s.ID {
		t.Fatalf("replay id %q, want %q", again.ID, s.ID)
	}
}

func TestValidateIsADryRun(t *testing.T) {
	e := newEnv(t)
	resp := e.do(t, req{method: "POST", path: "/v1/applications/validate", headers: jsonHeaders(), body: string(validForm(t))})
	if resp.StatusCode != 200 || resp.Body != `{"valid":true}` {
		t.Fatalf("validate: %d %s", resp.StatusCode, resp.Body)
	}
	counts, _ := e.store.Counts(context.Background())
	if len(e.exec.starts) != 0 || counts.Applications[kaiban.AppSubmitted] != 0 {
		t.Fatalf("dry run had side effects: %d starts, counts %+v", len(e.exec.starts), counts)
	}
}

func TestInvalidFormListsFieldsInTheRequestedLanguage(t *testing.T) {
	e := newEnv(t)
	var f map[string]any
	if err := json.Unmarshal(validForm(t), &f); err != nil {
		t.Fatal(err)
	}
	f["consent"] = map[string]any{"truthful": false, "dataSharing": false}
	f["legalRepresentative"].(map[string]any)["mobile"] = "12345"
	body, _ := json.Marshal(f)
	for _, tt := range []struct {
		lang  string
		isZh  bool
		label string
	}{{"", true, "default"}, {"zh-CN", true, "zh"}, {"en-US,en;q=0.9", false, "en"}} {
		t.Run(tt.label, func(t *testing.T) {
			h := jsonHeaders()
			if tt.lang != "" {
				h["Accept-Language"] = tt.lang
			}
			resp := e.do(t, req{method: "POST", path: "/v1/applications", headers: h, body: string(body)})
			if resp.StatusCode != 400 {
				t.Fatalf("%d %s", resp.StatusCode, resp.Body)
			}
			fields := map[string]string{}
			for _, fe := range errorsOf(t, resp) {
				fields[fe.Field] = fe.Message
			}
			msg, ok := fields["legalRepresentative.mobile"]
			if !ok {
				t.Fatalf("no error for legalRepresentative.mobile: %s", resp.Body)
			}
			if hasHan(msg) != tt.isZh {
				t.Errorf("message %q: Chinese = %v, want %v", msg, hasHan(msg), tt.isZh)
			}
		})
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
