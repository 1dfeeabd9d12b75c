package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
)

const taskToken = "AAAA-secret-task-token-must-never-leave-the-server"

// escalate submits the example and opens a clerk task on its seal track,
// as the workflow's escalation handler does.
func escalate(t *testing.T, e *env, taskID string) (submittedApp, kaiban.ClerkTask) {
	t.Helper()
	s := e.submit(t, nil, string(validForm(t)))
	task, err := e.store.CreateClerkTask(context.Background(), kaiban.ClerkTask{
		ID: taskID, ApplicationID: s.ID, Track: string(kaiban.TrackSeal), Kind: kaiban.TaskTrackException,
		ErrorName: kaiban.ErrAgencyRejected, Reason: "刻章店拒绝：地址封存", TaskToken: taskToken,
		Deadline: s.Deadline, CreatedAt: submissionTime,
	})
	if err != nil {
		t.Fatal(err)
	}
	// As the escalate function does: the task's opening is audited.
	opened := kaiban.AuditEvent{ApplicationID: s.ID, Time: submissionTime, Actor: "system", Action: "task.opened"}
	if err := opened.Record(kaiban.AuditSet{Task: kaiban.TaskSetOf(task)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.AppendAudit(context.Background(), opened); err != nil {
		t.Fatal(err)
	}
	return s, task
}

func TestClerkClaimAndResolve(t *testing.T) {
	e := newEnv(t)
	s, _ := escalate(t, e, "task-1")
	alice, bob := clerkClaims("alice"), clerkClaims("bob")

	list := e.do(t, req{method: "GET", path: "/v1/clerk/tasks", query: map[string]string{"status": "OPEN"}, claims: alice})
	if list.StatusCode != 200 || !strings.Contains(list.Body, `"id":"task-1"`) || !strings.Contains(list.Body, `"timeLeftSeconds":14400`) {
		t.Fatalf("list: %d %s", list.StatusCode, list.Body)
	}

	claim := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-1/claim", claims: alice})
	if claim.StatusCode != 200 || !strings.Contains(claim.Body, `"claimedBy":"alice"`) {
		t.Fatalf("claim: %d %s", claim.StatusCode, claim.Body)
	}
	if resp := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-1/claim", claims: bob}); resp.StatusCode != 409 || errorsOf(t, resp)[0].Code != kaiban.ErrTaskClaimed {
		t.Fatalf("second claimer: %d %s", resp.StatusCode, resp.Body)
	}
	decision := `{"decision":"complete","note":"已线下刻制","data":{"filingCodes":["2101022026000001"]}}`
	if resp := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-1/resolve", headers: jsonHeaders(), body: decision, claims: bob}); resp.StatusCode != 403 || errorsOf(t, resp)[0].Code != kaiban.ErrTaskNotClaimed {
		t.Fatalf("resolve by a non-claimer: %d %s", resp.StatusCode, resp.Body)
	}
	if len(e.exec.successes) != 0 {
		t.Fatal("a non-claimer's decision reached the workflow")
	}

	resp := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-1/resolve", headers: jsonHeaders(), body: decision, claims: alice})
	if resp.StatusCode != 200 || !strings.Contains(resp.Body, `"status":"RESOLVED"`) {
		t.Fatalf("resolve: %d %s", resp.StatusCode, resp.Body)
	}
	if len(e.exec.successes) != 1 || *e.exec.successes[0].TaskToken != taskToken {
		t.Fatalf("SendTaskSuccess calls: %+v", e.exec.successes)
	}
	var out api.ClerkDecision
	if err := json.Unmarshal([]byte(*e.exec.successes[0].Output), &out); err != nil {
		t.Fatal(err)
	}
	if out.Decision != "complete" || out.Note != "已线下刻制" || out.Clerk.Sub != "alice" || out.Clerk.Username != "clerk-alice" || !strings.Contains(string(out.Data), "2101022026000001") {
		t.Errorf("task output = %+v", out)
	}
	if again := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-1/resolve", headers: jsonHeaders(), body: decision, claims: alice}); again.StatusCode != 409 {
		t.Errorf("second resolve: %d %s", again.StatusCode, again.Body)
	}

	trail, _ := e.store.ListAudit(context.Background(), s.ID)
	var actions []string
	for _, ev := range trail {
		if strings.HasPrefix(ev.Actor, "clerk:") {
			actions = append(actions, ev.Actor+" "+ev.Action)
		}
	}
	if got := strings.Join(actions, "; "); got != "clerk:alice task.claimed; clerk:alice task.resolved" {
		t.Errorf("clerk audit = %q", got)
	}
	if err := e.store.VerifyAudit(context.Background(), s.ID); err != nil {
		t.Errorf("audit trail does not verify: %v", err)
	}

	for _, body := range []string{list.Body, claim.Body, resp.Body, e.logs.String()} {
		if strings.Contains(body, taskToken) {
			t.Fatalf("task token leaked: %s", body)
		}
	}
	if logs := e.logs.String(); strings.Contains(logs, s.AccessToken) || !strings.Contains(logs, `"applicationId":"`+s.ID+`"`) || !strings.Contains(logs, `"requestId":"req-test"`) {
		t.Errorf("logs lack IDs or contain the access token:\n%s", logs)
	}
	for _, secret := range personalData(t) {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("logs contain personal data %q", secret)
		}
	}
}

func TestResolveWhenTheWorkflowNoLongerWaits(t *testing.T) {
	tests := []struct {
		name          string
		err           error
		wantDelivered bool
	}{
		{"token timed out: recorded, nothing owed", &types.TaskTimedOut{}, true},
		{"token unknown: recorded, nothing owed", &types.TaskDoesNotExist{}, true},
		// The decision stands (a retry would only get 409); re-delivery
		// hands it over once the workflow answers again.
		{"workflow unreachable: recorded, delivery owed", errors.New("dial tcp: refused"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			escalate(t, e, "task-9")
			if r := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-9/claim", claims: clerkClaims("alice")}); r.StatusCode != 200 {
				t.Fatal(r.Body)
			}
			e.exec.successErr = tt.err
			resp := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-9/resolve", headers: jsonHeaders(), body: `{"decision":"retry","note":""}`, claims: clerkClaims("alice")})
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, resp.Body)
			}
			got, _ := e.store.GetClerkTask(context.Background(), "task-9")
			if got.Status != kaiban.TaskResolved || (got.DeliveredAt != nil) != tt.wantDelivered {
				t.Errorf("task %s delivered at %v, want RESOLVED and delivered=%v", got.Status, got.DeliveredAt, tt.wantDelivered)
			}
		})
	}
}

func TestClerkApplicationView(t *testing.T) {
	e := newEnv(t)
	s, _ := escalate(t, e, "task-2")
	resp := e.do(t, req{method: "GET", path: "/v1/clerk/applications/" + s.ID, claims: clerkClaims("carol")})
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
	var v struct {
		Application struct {
			ID   string      `json:"id"`
			Form kaiban.Form `json:"form"`
		} `json:"application"`
		OpenTasks []map[string]any    `json:"openTasks"`
		Audit     []kaiban.AuditEvent `json:"audit"`
		Check     struct {
			Intact bool `json:"intact"`
		} `json:"auditVerification"`
		TimeLeft int64 `json:"timeLeftSeconds"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatal(err)
	}
	if v.Application.ID != s.ID || v.Application.Form.LegalRepresentative.IDNumber == "" {
		t.Errorf("application without its form: %+v", v.Application)
	}
	if len(v.OpenTasks) != 1 || v.OpenTasks[0]["id"] != "task-2" || !v.Check.Intact || v.TimeLeft != 14400 {
		t.Errorf("view = %+v", v)
	}
	if n := len(v.Audit); n != 3 || v.Audit[2].Action != "application.viewed" || v.Audit[2].Actor != "clerk:carol" {
		t.Errorf("audit = %+v", v.Audit)
	}
	if strings.Contains(resp.Body, taskToken) {
		t.Error("task token in the clerk view")
	}
}

func TestTaskQueueFilters(t *testing.T) {
	e := newEnv(t)
	s, _ := escalate(t, e, "task-a")
	later := submissionTime.Add(time.Minute)
	if _, err := e.store.CreateClerkTask(context.Background(), kaiban.ClerkTask{
		ID: "task-b", ApplicationID: s.ID, Track: string(kaiban.TrackBank), Kind: kaiban.TaskTrackException,
		Reason: "r", TaskToken: "t", Deadline: s.Deadline, CreatedAt: later, Priority: 5,
	}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query map[string]string
		want  []string
	}{
		{nil, []string{"task-b", "task-a"}},
		{map[string]string{"track": "seal"}, []string{"task-a"}},
		{map[string]string{"limit": "1"}, []string{"task-b"}},
		{map[string]string{"status": "RESOLVED"}, nil},
	}
	for _, tt := range tests {
		resp := e.do(t, req{method: "GET", path: "/v1/clerk/tasks", query: tt.query, claims: clerkClaims("alice")})
		var body struct {
			Tasks []struct {
				ID string `json:"id"`
			} `json:"tasks"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%v: %d %s", tt.query, resp.StatusCode, resp.Body)
		}
		var got []string
		for _, x := range body.Tasks {
			got = append(got, x.ID)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%v: got %v, want %v", tt.query, got, tt.want)
		}
	}
}
