package stack

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/workflow/engine"
)

// The happy path: one form, seven registrations in parallel, one credit
// code shared by every agency, exactly one record at each.
func TestHappyPathCompletesAllSevenTracks(t *testing.T) {
	h := startHarness(t, false)
	id, token := h.submit(exampleForm(t, nil))
	app := h.waitStatus(id, kaiban.AppCompleted)

	if !cnid.ValidUSCC(app.CreditCode) || !strings.HasPrefix(app.CreditCode, "91210112") {
		t.Fatalf("credit code %q is not a valid code for 210112", app.CreditCode)
	}
	for _, tr := range app.Tracks {
		if tr.Status != kaiban.TrackSucceeded || tr.Attempts != 1 || len(tr.Result) == 0 {
			t.Errorf("track %s: %s after %d attempts, result %s", tr.Name, tr.Status, tr.Attempts, tr.Result)
		}
	}
	for _, kind := range []kaiban.AgencyKind{kaiban.AgencyMarket, kaiban.AgencySeal, kaiban.AgencyTax, kaiban.AgencySocial, kaiban.AgencyMedical, kaiban.AgencyFund, kaiban.AgencyBank} {
		for _, body := range h.st.Sim.Requests(kind) {
			var r struct {
				CreditCode string `json:"creditCode"`
			}
			_ = json.Unmarshal(body, &r)
			if r.CreditCode != "" && r.CreditCode != app.CreditCode {
				t.Errorf("%s received credit code %s, want %s", kind, r.CreditCode, app.CreditCode)
			}
		}
	}
	// The identity agency: the form's check, then each of the four
	// founders' own verification before signing.
	wantLive := map[string]int{"identity": 5, "market": 1, "seal": 1, "tax": 1, "social": 1, "medical": 1, "fund": 1, "bank": 1}
	if got := h.st.Sim.LiveRecords(id); !equalCounts(got, wantLive) {
		t.Errorf("live records %v, want %v", got, wantLive)
	}

	// The applicant sees it all through the API with their token.
	code, out := h.do("GET", "/v1/applications/"+id, token, nil)
	if code != http.StatusOK || out["status"] != "COMPLETED" || out["creditCode"] != app.CreditCode {
		t.Fatalf("status API: HTTP %d %v", code, out)
	}
	if err := h.st.Store.VerifyAudit(context.Background(), id); err != nil {
		t.Fatalf("audit trail: %v", err)
	}
}

// Transient failures are retried with backoff and never create a second
// record.
func TestTransientFailuresAreRetriedWithoutDuplicates(t *testing.T) {
	h := startHarness(t, true)
	h.st.Sim.FailNext(kaiban.AgencySeal, sim.Fail5xx, 2)
	h.st.Sim.FailNext(kaiban.AgencyTax, sim.FailStall, 1) // the work is done, the answer is lost
	h.st.Sim.FailNext(kaiban.AgencyBank, sim.FailDrop, 1)
	id, _ := h.submit(exampleForm(t, nil))
	app := h.waitStatus(id, kaiban.AppCompleted)
	if a := app.Track(kaiban.TrackSeal).Attempts; a != 3 {
		t.Errorf("seal attempts = %d, want 3 (two 503s, then success)", a)
	}
	if a := app.Track(kaiban.TrackTax).Attempts; a < 2 {
		t.Errorf("tax attempts = %d, want a retry after the lost answer", a)
	}
	live := h.st.Sim.LiveRecords(id)
	for _, k := range []string{"seal", "tax", "bank"} {
		if live[k] != 1 {
			t.Errorf("%s holds %d live records, want exactly 1", k, live[k])
		}
	}
}

// A rejected track goes to a clerk, who asks for a retry once the cause is
// fixed; the track then succeeds.
func TestRejectionEscalatesAndClerkRetrySucceeds(t *testing.T) {
	h := startHarness(t, false)
	h.st.Sim.SetRejecting(kaiban.AgencyTax, true)
	id, _ := h.submit(exampleForm(t, nil))
	task := h.waitTask(id)
	if task.Track != string(kaiban.TrackTax) || task.Kind != kaiban.TaskTrackException || task.ErrorName != kaiban.ErrAgencyRejected {
		t.Fatalf("task = %+v, want a tax exception for Agency.Rejected", task)
	}
	app := h.waitStatus(id, kaiban.AppActionRequired)
	if s := app.Track(kaiban.TrackTax).Status; s != kaiban.TrackWaitingClerk {
		t.Fatalf("tax track is %s, want WAITING_CLERK", s)
	}
	h.st.Sim.SetRejecting(kaiban.AgencyTax, false)
	h.resolve(task.ID, kaiban.DecisionRetry, "")
	app = h.waitStatus(id, kaiban.AppCompleted)
	if tr := app.Track(kaiban.TrackTax); tr.Status != kaiban.TrackSucceeded || tr.Attempts != 2 {
		t.Fatalf("tax track %s after %d attempts, want SUCCEEDED after 2", tr.Status, tr.Attempts)
	}
	assertAudited(t, h, id, "clerk:clerk-7")
}

// A clerk can complete a track by hand, entering the result.
func TestClerkCompletesTrackByHand(t *testing.T) {
	h := startHarness(t, false)
	id, _ := h.submit(exampleForm(t, func(f map[string]any) {
		f["company"].(map[string]any)["address"].(map[string]any)["detail"] = "沈阳市浑南区封存路1号"
	}))
	task := h.waitTask(id)
	if task.Track != string(kaiban.TrackSeal) {
		t.Fatalf("task for %s, want seal", task.Track)
	}
	h.resolve(task.ID, kaiban.DecisionComplete, `{"filingCode":"2101122026000123"}`)
	app := h.waitStatus(id, kaiban.AppCompleted)
	tr := app.Track(kaiban.TrackSeal)
	if tr.Status != kaiban.TrackSucceeded || !strings.Contains(string(tr.Result), "2101122026000123") || !strings.Contains(tr.Message, "窗口") {
		t.Fatalf("seal track = %s %s %q, want the clerk's result", tr.Status, tr.Result, tr.Message)
	}
}

// A clerk's rejection ends the application and compensation leaves no live
// record at any agency.
func TestClerkRejectCompensatesEverything(t *testing.T) {
	h := startHarness(t, false)
	h.st.Sim.SetRejecting(kaiban.AgencyBank, true)
	id, _ := h.submit(exampleForm(t, nil))
	task := h.waitTask(id)
	// Let the other six finish before the rejection, so there is
	// something to undo everywhere.
	h.waitFor(id, "six tracks done", func(a *kaiban.Application) bool {
		n := 0
		for _, tr := range a.Tracks {
			if tr.Status == kaiban.TrackSucceeded {
				n++
			}
		}
		return n == 6
	})
	h.resolve(task.ID, kaiban.DecisionReject, "")
	app := h.waitStatus(id, kaiban.AppRejected)
	for _, tr := range app.Tracks {
		want := kaiban.TrackCompensated
		if tr.Name == kaiban.TrackBank {
			want = kaiban.TrackFailed
		}
		if tr.Status != want {
			t.Errorf("track %s is %s, want %s", tr.Name, tr.Status, want)
		}
	}
	live := h.st.Sim.LiveRecords(id)
	delete(live, "identity") // a verification is a fact, not a registration
	if len(live) != 0 {
		t.Fatalf("live records after compensation: %v, want none", live)
	}
}

// An impostor stops the application before any other agency is called.
func TestIdentityFailureStopsBeforeAnyAgency(t *testing.T) {
	h := startHarness(t, false)
	id, _ := h.submit(exampleForm(t, func(f map[string]any) {
		f["liaison"].(map[string]any)["name"] = "冒用"
	}))
	app := h.waitStatus(id, kaiban.AppRejected)
	for _, k := range []kaiban.AgencyKind{kaiban.AgencyMarket, kaiban.AgencySeal, kaiban.AgencyTax, kaiban.AgencySocial, kaiban.AgencyMedical, kaiban.AgencyFund, kaiban.AgencyBank} {
		if n := h.st.Sim.Calls(k); n != 0 {
			t.Errorf("%s was called %d times after the identity check failed", k, n)
		}
	}
	if app.Message == "" {
		t.Error("a rejected application tells the applicant why")
	}
}

// A name that needs review waits for a clerk, then the application goes on.
func TestNameReviewWaitsForClerkThenContinues(t *testing.T) {
	h := startHarness(t, false)
	id, _ := h.submit(exampleForm(t, withTradeName("审核")))
	task := h.waitTask(id)
	if task.Kind != kaiban.TaskNameReview || task.Track != "name" {
		t.Fatalf("task = %+v, want a name review", task)
	}
	if n := h.st.Sim.Calls(kaiban.AgencySeal); n != 0 {
		t.Fatalf("tracks started before the name was approved (%d seal calls)", n)
	}
	h.resolve(task.ID, kaiban.DecisionComplete, "")
	h.waitStatus(id, kaiban.AppCompleted)
}

func assertAudited(t *testing.T, h *harness, id, actor string) {
	t.Helper()
	events, err := h.st.Store.ListAudit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Actor == actor {
			return
		}
	}
	t.Errorf("no audit event by %s", actor)
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// When an agency cannot be reached to undo a registration, even after
// retries, a clerk takes over instead of leaving the application stuck;
// the clerk's manual cancellation is recorded and the application ends
// REJECTED. Virtual time is held by the test and moved on in steps, so the
// clerk acts before the clerk task's timeout.
func TestCompensationThatCannotReachAnAgencyGoesToAClerk(t *testing.T) {
	clock := newVirtualClock()
	h := startHarnessOn(t, clock)
	held, release := engine.WithHold(context.Background(), clock)
	defer release()
	h.st.Sim.SetRejecting(kaiban.AgencyBank, true)
	id, _ := h.submit(exampleForm(t, nil))
	task := h.waitTask(id)
	h.waitFor(id, "six tracks done", func(a *kaiban.Application) bool {
		n := 0
		for _, tr := range a.Tracks {
			if tr.Status == kaiban.TrackSucceeded {
				n++
			}
		}
		return n == 6
	})
	h.st.Sim.SetDown(kaiban.AgencyMarket, true) // the licence cannot be cancelled
	h.resolve(task.ID, kaiban.DecisionReject, "")

	var review kaiban.ClerkTask
	for step := 0; ; step++ {
		if tk, ok := h.openTask(id); ok && tk.Track == "compensation" {
			review = tk
			break
		}
		if step > 200 {
			app, _ := h.st.Store.GetApplication(context.Background(), id)
			tasks, _ := h.st.Store.ListClerkTasks(context.Background(), kaiban.TaskFilter{})
			execs, _ := h.st.Engine.ListExecutions(context.Background(), h.st.StateMachineArn, "")
			hist, _ := h.st.Engine.GetExecutionHistory(context.Background(), execs[0].Arn)
			for _, e := range hist[max(0, len(hist)-12):] {
				t.Logf("%s %s %s", e.Timestamp.Format(time.TimeOnly), e.Type, e.Details)
			}
			t.Fatalf("no compensation task after 200 steps of 5 virtual minutes: %s %q %d tasks %s %s", app.Status, app.Message, len(tasks), execs[0].Status, clock.Now())
		}
		if err := clock.Sleep(held, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if review.ErrorName != kaiban.ErrAgencyUnavailable {
		t.Fatalf("compensation task error %q, want %s", review.ErrorName, kaiban.ErrAgencyUnavailable)
	}
	h.resolve(review.ID, kaiban.DecisionComplete, "")
	app := h.waitStatus(id, kaiban.AppRejected)
	if lic := app.Track(kaiban.TrackLicense); lic.Status != kaiban.TrackCompensated || !strings.Contains(lic.Message, "窗口") {
		t.Fatalf("licence track %s %q, want COMPENSATED by a clerk", lic.Status, lic.Message)
	}
	live := h.st.Sim.LiveRecords(id)
	if live["seal"] != 0 || live["tax"] != 0 || live["market"] != 1 {
		t.Fatalf("live records %v: every reachable agency undone, the licence left for the clerk", live)
	}
	assertAudited(t, h, id, "clerk:clerk-7")
}
