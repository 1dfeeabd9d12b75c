package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
)

// openTask submits the example and opens a task of the given kind and
// subject (with a token unless token is empty), claimed by alice.
func openTask(t *testing.T, e *env, id string, kind kaiban.TaskKind, subject, token string) submittedApp {
	t.Helper()
	s := e.submit(t, nil, string(validForm(t)))
	if _, err := e.store.CreateClerkTask(context.Background(), kaiban.ClerkTask{
		ID: id, ApplicationID: s.ID, Track: subject, Kind: kind, Reason: "r", TaskToken: token,
		Deadline: s.Deadline, CreatedAt: submissionTime,
	}); err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/" + id + "/claim", claims: clerkClaims("alice")}); r.StatusCode != 200 {
		t.Fatalf("claim: %d %s", r.StatusCode, r.Body)
	}
	return s
}

func resolve(t *testing.T, e *env, id, body string, headers map[string]string) (int, string) {
	t.Helper()
	h := jsonHeaders()
	for k, v := range headers {
		h[k] = v
	}
	r := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/" + id + "/resolve", headers: h, body: body, claims: clerkClaims("alice")})
	return r.StatusCode, r.Body
}

func TestDecisionsFollowTheTaskKind(t *testing.T) {
	tests := []struct {
		name     string
		kind     kaiban.TaskKind
		subject  string
		decision kaiban.Decision
		want     int
	}{
		{"retry on a name review would approve the name", kaiban.TaskNameReview, "name", kaiban.DecisionRetry, 400},
		{"approve a name", kaiban.TaskNameReview, "name", kaiban.DecisionComplete, 200},
		{"reject on compensation would compensate again", kaiban.TaskTrackException, kaiban.TaskSubjectCompensation, kaiban.DecisionReject, 400},
		{"cancelled by hand", kaiban.TaskTrackException, kaiban.TaskSubjectCompensation, kaiban.DecisionComplete, 200},
		{"acknowledge a track exception", kaiban.TaskTrackException, "seal", kaiban.DecisionAcknowledge, 400},
		{"retry a track", kaiban.TaskTrackException, "seal", kaiban.DecisionRetry, 200},
		{"complete a watchdog task", kaiban.TaskDeadlineRisk, kaiban.TaskSubjectDeadline, kaiban.DecisionComplete, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			token := "tok-" + tt.subject
			if tt.kind == kaiban.TaskDeadlineRisk {
				token = ""
			}
			openTask(t, e, "task-1", tt.kind, tt.subject, token)
			code, body := resolve(t, e, "task-1", fmt.Sprintf(`{"decision":%q}`, tt.decision), map[string]string{"Accept-Language": "en"})
			if code != tt.want {
				t.Fatalf("%d %s, want %d", code, body, tt.want)
			}
			got, _ := e.store.GetClerkTask(context.Background(), "task-1")
			if tt.want == 400 {
				if !strings.Contains(body, `"field":"decision"`) || !strings.Contains(body, "takes only these decisions") {
					t.Errorf("error = %s", body)
				}
				if got.Status != kaiban.TaskClaimed || len(e.exec.successes) != 0 {
					t.Errorf("a refused decision changed the task (%s) or reached the workflow (%d)", got.Status, len(e.exec.successes))
				}
			}
		})
	}
}

func TestTaskViewListsItsDecisions(t *testing.T) {
	e := newEnv(t)
	openTask(t, e, "task-1", kaiban.TaskNameReview, "name", "tok")
	for lang, want := range map[string]string{"zh": `[{"decision":"complete","label":"核准名称（继续办理）"},{"decision":"reject","label":"不予核准（驳回申请）"}]`,
		"en": `[{"decision":"complete","label":"Approve the name"},{"decision":"reject","label":"Reject the name"}]`} {
		h := map[string]string{}
		if lang == "en" {
			h["Accept-Language"] = "en"
		}
		resp := e.do(t, req{method: "GET", path: "/v1/clerk/tasks", headers: h, claims: clerkClaims("alice")})
		var body struct {
			Tasks []struct {
				Decisions json.RawMessage `json:"decisions"`
			} `json:"tasks"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil || len(body.Tasks) != 1 {
			t.Fatalf("%s: %v %s", lang, err, resp.Body)
		}
		if got := string(body.Tasks[0].Decisions); got != want {
			t.Errorf("%s decisions = %s, want %s", lang, got, want)
		}
	}
}

func TestWatchdogTaskCanBeClosed(t *testing.T) {
	e := newEnv(t)
	s := openTask(t, e, "W1", kaiban.TaskDeadlineRisk, kaiban.TaskSubjectDeadline, "")
	code, body := resolve(t, e, "W1", `{"decision":"acknowledge","note":"已电话督办"}`, nil)
	if code != 200 || !strings.Contains(body, `"status":"RESOLVED"`) || !strings.Contains(body, `"deliveredAt"`) {
		t.Fatalf("%d %s", code, body)
	}
	if len(e.exec.successes) != 0 {
		t.Error("a watchdog task's decision was sent to a workflow")
	}
	owed, _ := e.store.UndeliveredClerkTasks(context.Background(), 10)
	if len(owed) != 0 {
		t.Errorf("watchdog task left owing a delivery: %v", owed)
	}
	trail, _ := e.store.ListAudit(context.Background(), s.ID)
	if last := trail[len(trail)-1]; last.Action != "task.resolved" || !strings.Contains(string(last.After), `"acknowledge"`) {
		t.Errorf("last audit event = %s %s", last.Action, last.After)
	}
}

func TestCompletionTheWorkflowCannotCarryIsRefused(t *testing.T) {
	blob := func(n int) string { return `{"x":"` + strings.Repeat("a", n) + `"}` }
	tests := []struct {
		name string
		data string
		note string
		want int
	}{
		{"16 KB of data", blob(16 << 10), "", 400},
		{"16 KB of data and a note", blob(16 << 10), "已核对", 400},
		// The note is internal (task and audit trail), never part of the
		// track's stored result, so it does not count against the limit.
		{"10.5 KB of data and a 2,000-character note", blob(10752), strings.Repeat("办", 2000), 200},
		{"what fits", blob(10 << 10), "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			openTask(t, e, "task-1", kaiban.TaskTrackException, "seal", "tok")
			body, _ := json.Marshal(map[string]any{"decision": "complete", "data": json.RawMessage(tt.data), "note": tt.note})
			code, resp := resolve(t, e, "task-1", string(body), nil)
			if code != tt.want {
				t.Fatalf("%d %s, want %d", code, resp, tt.want)
			}
			// The limit is the store's: what the API accepts, the Complete
			// step can store.
			fits := kaiban.CheckClerkCompletion(json.RawMessage(tt.data)) == nil
			if fits != (tt.want == 200) {
				t.Errorf("API answered %d but the track write fits=%v", code, fits)
			}
			if tt.want == 400 && (!strings.Contains(resp, `"field":"data","code":"max"`) || len(e.exec.successes) != 0) {
				t.Errorf("refusal = %s, deliveries %d", resp, len(e.exec.successes))
			}
		})
	}
}

// oneShotWorkflow is a waiting execution: the first SendTaskSuccess on a
// token is taken (and held until release is closed, so a crossing request
// can overtake it); later ones get TaskDoesNotExist, as from Step Functions.
type oneShotWorkflow struct {
	fakeExecutions
	mu      sync.Mutex
	taken   map[string]string // token → decision the workflow received
	release chan struct{}
}

func (w *oneShotWorkflow) SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, _ ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	var out kaiban.ClerkOutcome
	_ = json.Unmarshal([]byte(*in.Output), &out)
	w.mu.Lock()
	if _, ok := w.taken[*in.TaskToken]; ok {
		w.mu.Unlock()
		return nil, &types.TaskDoesNotExist{}
	}
	w.taken[*in.TaskToken] = string(out.Decision)
	w.mu.Unlock()
	<-w.release
	return &sfn.SendTaskSuccessOutput{}, nil
}

func TestCrossingDecisionsHaveOneWinner(t *testing.T) {
	for round := range 8 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			e := newEnv(t)
			wf := &oneShotWorkflow{taken: map[string]string{}, release: make(chan struct{})}
			e.deps.Workflow = sfnworkflow.New(wf, testMachine)
			e.srv = api.NewServer(e.deps)
			s := openTask(t, e, "task-x", kaiban.TaskTrackException, "seal", "tok-x")
			type answer struct {
				decision string
				code     int
			}
			answers := make(chan answer, 2)
			for _, d := range []string{"complete", "reject"} {
				go func() {
					code, _ := resolve(t, e, "task-x", `{"decision":"`+d+`"}`, nil)
					answers <- answer{d, code}
				}()
			}
			first := <-answers
			close(wf.release)
			second := <-answers
			var won []string
			for _, a := range []answer{first, second} {
				switch a.code {
				case 200:
					won = append(won, a.decision)
				case 409:
				default:
					t.Fatalf("%s answered %d", a.decision, a.code)
				}
			}
			got, _ := e.store.GetClerkTask(context.Background(), "task-x")
			var audited []string
			trail, _ := e.store.ListAudit(context.Background(), s.ID)
			for _, ev := range trail {
				var a struct {
					Decision string `json:"decision"`
				}
				if ev.Action == "task.resolved" && json.Unmarshal(ev.After, &a) == nil {
					audited = append(audited, a.Decision)
				}
			}
			if len(won) != 1 || string(got.Decision) != won[0] || wf.taken["tok-x"] != won[0] || len(audited) != 1 || audited[0] != won[0] {
				t.Errorf("answered 200: %v; stored %q; workflow took %q; audited %v — want one winner everywhere", won, got.Decision, wf.taken["tok-x"], audited)
			}
		})
	}
}

func TestUndeliveredDecisionIsDeliveredLater(t *testing.T) {
	e := newEnv(t)
	openTask(t, e, "task-1", kaiban.TaskTrackException, "seal", "tok-1")
	e.exec.successErr = fmt.Errorf("engine restarting")
	if code, body := resolve(t, e, "task-1", `{"decision":"retry"}`, nil); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	e.exec.successErr = nil
	ctx := context.Background()
	rep, err := delivery.Redeliver(ctx, e.store, sfnworkflow.New(e.exec, testMachine), submissionTime.Add(delivery.Grace))
	if err != nil || rep.Delivered != 1 || len(e.exec.successes) != 1 || *e.exec.successes[0].TaskToken != "tok-1" {
		t.Fatalf("redeliver: %+v %v, calls %d", rep, err, len(e.exec.successes))
	}
	var out kaiban.ClerkOutcome
	_ = json.Unmarshal([]byte(*e.exec.successes[0].Output), &out)
	if out.Decision != kaiban.DecisionRetry || out.Clerk.Sub != "alice" {
		t.Errorf("delivered %+v", out)
	}
	if rep, _ := delivery.Redeliver(ctx, e.store, sfnworkflow.New(e.exec, testMachine), submissionTime.Add(time.Hour)); rep != (delivery.Report{}) || len(e.exec.successes) != 1 {
		t.Errorf("second pass delivered again: %+v", rep)
	}
}

func TestClaimsReleaseAndLease(t *testing.T) {
	e := newEnv(t)
	now := submissionTime
	var mu sync.Mutex
	e.deps.Clock = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e.srv = api.NewServer(e.deps)
	s, _ := escalate(t, e, "task-1")
	do := func(path, who string) int {
		return e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-1/" + path, claims: clerkClaims(who)}).StatusCode
	}
	steps := []struct {
		what, path, who string
		advance         time.Duration
		want            int
	}{
		{"claim", "claim", "alice", 0, 200},
		{"re-claim is a no-op", "claim", "alice", time.Minute, 200},
		{"someone else cannot release", "release", "bob", 0, 403},
		{"release", "release", "alice", 0, 200},
		{"another clerk claims the released task", "claim", "bob", 0, 200},
		{"alice cannot take it within the lease", "claim", "alice", kaiban.ClaimLease - time.Minute, 409},
		{"after the lease she can", "claim", "alice", time.Minute, 200},
	}
	for _, st := range steps {
		mu.Lock()
		now = now.Add(st.advance)
		mu.Unlock()
		if got := do(st.path, st.who); got != st.want {
			t.Fatalf("%s: %d, want %d", st.what, got, st.want)
		}
	}
	trail, _ := e.store.ListAudit(context.Background(), s.ID)
	var actions []string
	for _, ev := range trail {
		if strings.HasPrefix(ev.Actor, "clerk:") {
			actions = append(actions, ev.Actor+" "+ev.Action)
		}
	}
	want := "clerk:alice task.claimed; clerk:alice task.released; clerk:bob task.claimed; clerk:alice task.claimed"
	if got := strings.Join(actions, "; "); got != want {
		t.Errorf("clerk audit = %q\n want %q", got, want)
	}
	if last := trail[len(trail)-1]; !strings.Contains(string(last.After), `"takenFrom":"bob"`) {
		t.Errorf("lapsed claim taken over without naming the previous clerk: %s", last.After)
	}
}

// A task about an application whose execution is gone (the reconciler's)
// carries no token; its decisions set the application's status
// themselves, audited, and nothing is sent to a workflow.
func TestStrandedApplicationIsEndedByTheClerk(t *testing.T) {
	tests := []struct {
		decision kaiban.Decision
		want     kaiban.AppStatus
	}{
		{kaiban.DecisionComplete, kaiban.AppCompleted},
		{kaiban.DecisionReject, kaiban.AppRejected},
	}
	for _, tt := range tests {
		t.Run(string(tt.decision), func(t *testing.T) {
			e := newEnv(t)
			s := openTask(t, e, "X1", kaiban.TaskTrackException, kaiban.TaskSubjectExecution, "")
			if code, body := resolve(t, e, "X1", `{"decision":"retry"}`, nil); code != 400 {
				t.Fatalf("retry on a stranded application: %d %s, want 400", code, body)
			}
			code, body := resolve(t, e, "X1", fmt.Sprintf(`{"decision":%q,"note":"已电话联系申请人"}`, tt.decision), nil)
			if code != 200 || !strings.Contains(body, `"deliveredAt"`) {
				t.Fatalf("%d %s", code, body)
			}
			app, err := e.store.GetApplication(context.Background(), s.ID)
			if err != nil || app.Status != tt.want {
				t.Fatalf("application status = %v (%v), want %s", app.Status, err, tt.want)
			}
			if len(e.exec.successes) != 0 {
				t.Errorf("a decision about a stranded application was sent to a workflow")
			}
			if err := e.store.VerifyAudit(context.Background(), s.ID); err != nil {
				t.Errorf("audit trail: %v", err)
			}
			trail, _ := e.store.ListAudit(context.Background(), s.ID)
			if last := trail[len(trail)-1]; last.Action != "application."+strings.ToLower(string(tt.want)) || last.Actor != "clerk:alice" {
				t.Errorf("last audit event = %s by %s", last.Action, last.Actor)
			}
		})
	}
}
