package stack

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/workflow/engine"
)

// sealedAddress is refused by the seal system's simulator.
const sealedAddress = "沈阳市浑南区封存路1号"

func withAddress(detail string) func(map[string]any) {
	return func(f map[string]any) {
		f["company"].(map[string]any)["address"].(map[string]any)["detail"] = detail
	}
}

// sendBack claims the task and sends it back for correction of fields.
func (h *harness) sendBack(taskID string, fields ...string) {
	h.t.Helper()
	if code, out := h.do("POST", "/v1/clerk/tasks/"+taskID+"/claim", h.clerk, nil); code != http.StatusOK {
		h.t.Fatalf("claim: HTTP %d %v", code, out)
	}
	body := `{"decision":"correct","fields":["` + strings.Join(fields, `","`) + `"],"reasonCode":"ADDRESS_UNUSABLE","note":"该地址已被查封，请更换住所"}`
	if code, out := h.do("POST", "/v1/clerk/tasks/"+taskID+"/resolve", h.clerk, []byte(body)); code != http.StatusOK {
		h.t.Fatalf("resolve correct: HTTP %d %v", code, out)
	}
}

func errorFields(out map[string]any) []string {
	var fs []string
	errs, _ := out["errors"].([]any)
	for _, e := range errs {
		fs = append(fs, e.(map[string]any)["field"].(string)+"/"+e.(map[string]any)["code"].(string))
	}
	return fs
}

// A clerk sends the seal refusal back for correction of the address; the
// applicant corrects it in place; only the seal track runs again (the
// other tracks keep their attempts) and the application completes.
func TestCorrectionReRunsOnlyTheWaitingTrack(t *testing.T) {
	h := startHarness(t, false)
	id, token := h.submit(exampleForm(t, withAddress(sealedAddress)))
	task := h.waitTask(id)
	if task.Track != string(kaiban.TrackSeal) {
		t.Fatalf("task for %s, want seal", task.Track)
	}
	h.sendBack(task.ID, "company.address.detail", "bank.branchCode")
	h.waitStatus(id, kaiban.AppNeedsCorrection)

	code, st := h.do("GET", "/v1/applications/"+id, token, nil)
	corr, _ := st["correction"].(map[string]any)
	if code != http.StatusOK || st["status"] != "NEEDS_CORRECTION" || corr == nil {
		t.Fatalf("status: HTTP %d %v, want NEEDS_CORRECTION with the correction", code, st)
	}
	if st["pausedSince"] == nil {
		t.Errorf("status %v, want the clock paused (pausedSince)", st)
	}
	if corr["reasonCode"] != "ADDRESS_UNUSABLE" || corr["dueAt"] == nil || corr["message"] == "" ||
		len(corr["fields"].([]any)) != 2 || corr["current"].(map[string]any)["company.address.detail"] != sealedAddress {
		t.Fatalf("correction = %v", corr)
	}

	// Every other track finishes meanwhile; their attempts must not move.
	before := h.waitFor(id, "six tracks done", func(a *kaiban.Application) bool {
		n := 0
		for _, tr := range a.Tracks {
			if tr.Status == kaiban.TrackSucceeded {
				n++
			}
		}
		return n == 6
	})

	// Refused: no token, a field not asked, a form that breaks two rules.
	if code, _ := h.do("POST", "/v1/applications/"+id+"/corrections", "", []byte(`{"changes":{}}`)); code != http.StatusUnauthorized {
		t.Errorf("no token: HTTP %d, want 401", code)
	}
	if code, _ := h.do("POST", "/v1/applications/"+id+"/corrections", "wrong", []byte(`{"changes":{"company.address.detail":"x"}}`)); code != http.StatusNotFound {
		t.Errorf("wrong token: HTTP %d, want 404", code)
	}
	code, out := h.do("POST", "/v1/applications/"+id+"/corrections", token, []byte(`{"changes":{"company.address.detail":"新地址1号","liaison.mobile":"13900000000"}}`))
	if code != http.StatusBadRequest || strings.Join(errorFields(out), ",") != "liaison.mobile/not_asked" {
		t.Errorf("a field not asked: HTTP %d %v, want 400 liaison.mobile/not_asked", code, out)
	}
	code, out = h.do("POST", "/v1/applications/"+id+"/corrections", token, []byte(`{"changes":{"company.address.detail":"","bank.branchCode":"12"}}`))
	if got := strings.Join(errorFields(out), ","); code != http.StatusBadRequest || !strings.Contains(got, "company.address.detail/") || !strings.Contains(got, "bank.branchCode/") {
		t.Errorf("a correction breaking two rules: HTTP %d %v, want 400 with both fields", code, out)
	}
	if code, out := h.do("POST", "/v1/applications/"+id+"/corrections", token, []byte(`{"changes":`)); code != http.StatusBadRequest {
		t.Errorf("bad JSON: HTTP %d %v, want 400", code, out)
	}

	code, out = h.do("POST", "/v1/applications/"+id+"/corrections", token, []byte(`{"changes":{"company.address.detail":"沈阳市浑南区创新路200号"}}`))
	if code != http.StatusOK || out["resumed"] != "seal" {
		t.Fatalf("correction: HTTP %d %v", code, out)
	}
	if stale := out["staleTracks"].([]any); len(stale) == 0 {
		t.Errorf("staleTracks = %v, want the finished tracks that carry the address", stale)
	}
	app := h.waitStatus(id, kaiban.AppCompleted)
	if !app.Deadline.After(before.Deadline) {
		t.Errorf("deadline %v, want it moved past %v by the wait", app.Deadline, before.Deadline)
	}
	if app.Form.Company.Address.Detail != "沈阳市浑南区创新路200号" {
		t.Errorf("stored address %q", app.Form.Company.Address.Detail)
	}
	for _, tr := range app.Tracks {
		want := before.Track(tr.Name).Attempts
		if tr.Name == kaiban.TrackSeal {
			want = 2
		}
		if tr.Status != kaiban.TrackSucceeded || tr.Attempts != want {
			t.Errorf("track %s: %s after %d attempts, want SUCCEEDED after %d", tr.Name, tr.Status, tr.Attempts, want)
		}
	}
	// Corrected once: the same request again is 409.
	if code, _ := h.do("POST", "/v1/applications/"+id+"/corrections", token, []byte(`{"changes":{"company.address.detail":"沈阳市浑南区创新路201号"}}`)); code != http.StatusConflict {
		t.Errorf("a correction not awaited: HTTP %d, want 409", code)
	}
	events, err := h.st.Store.ListAudit(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var applied string
	for _, e := range events {
		if e.Action == "correction.applied" {
			applied = string(e.After)
		}
	}
	if !strings.Contains(applied, "创新路200号") || !strings.Contains(applied, "封存路") {
		t.Errorf("audit of the correction = %s, want the diff", applied)
	}
	if v, err := kaiban.VerifyApplication(t.Context(), h.st.Store, app); err != nil || !v.Intact() {
		t.Errorf("trail after the correction: %+v %v", v.Problems, err)
	}
}

// The seal system refuses a seized address naming the field to correct:
// the application asks the applicant directly, with no clerk task, and
// completes once the address is corrected.
func TestAgencyAsksForCorrectionWithoutAClerk(t *testing.T) {
	h := startHarness(t, false)
	id, token := h.submit(exampleForm(t, withAddress("沈阳市浑南区查封路1号")))
	app := h.waitStatus(id, kaiban.AppNeedsCorrection)
	if open, err := h.st.Store.OpenTasksFor(t.Context(), id); err != nil || len(open) != 0 {
		t.Fatalf("open clerk tasks %v (%v), want none", open, err)
	}
	if tr := app.Track(kaiban.TrackSeal); strings.Contains(tr.Message, "[correct:") || !strings.Contains(tr.Message, "查封") {
		t.Errorf("seal track message %q, want the agency's reason without the ask", tr.Message)
	}
	code, st := h.do("GET", "/v1/applications/"+id, token, nil)
	corr, _ := st["correction"].(map[string]any)
	if code != http.StatusOK || corr == nil || corr["reasonCode"] != "ADDRESS_UNUSABLE" || corr["track"] != "seal" ||
		len(corr["fields"].([]any)) != 1 || corr["fields"].([]any)[0] != "company.address.detail" {
		t.Fatalf("status: HTTP %d %v", code, st)
	}
	code, out := h.do("POST", "/v1/applications/"+id+"/corrections", token, []byte(`{"changes":{"company.address.detail":"沈阳市浑南区创新路200号"}}`))
	if code != http.StatusOK {
		t.Fatalf("correction: HTTP %d %v", code, out)
	}
	app = h.waitStatus(id, kaiban.AppCompleted)
	if tr := app.Track(kaiban.TrackSeal); tr.Attempts != 2 {
		t.Errorf("seal attempts = %d, want 2", tr.Attempts)
	}
}

// No correction within the wait: the application is rejected and every
// registration made meanwhile is cancelled, as a clerk's rejection does.
// The wait ends exactly at the dueAt the applicant is shown (5 working days
// on the holiday calendar), not before and not much after: over an
// ordinary weekend, and from the Friday before the Spring Festival, whose
// five working days (the adjusted Saturday 02-14, then 02-24..02-27) take
// two weeks. On the virtual clock the wait passes as soon as all else
// waits.
func TestCorrectionNotMadeInTimeRejects(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		name    string
		start   time.Time
		dueDate string // the dueAt's China date
		bankDay string // a working day within the bank's 60-day window
	}{
		{"Friday over a weekend", time.Date(2026, 11, 27, 9, 0, 0, 0, cst), "2026-12-04", "2027-01-06"},
		{"Friday before the Spring Festival", time.Date(2026, 2, 13, 9, 0, 0, 0, cst), "2026-02-27", "2026-03-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarnessOn(t, engine.NewVirtualClock(tc.start.UTC()))
			id, _ := h.submit(exampleForm(t, func(f map[string]any) {
				withAddress("沈阳市浑南区查封路1号")(f)
				f["bank"].(map[string]any)["appointmentDate"] = tc.bankDay
			}))
			app := h.waitStatus(id, kaiban.AppRejected)
			c, err := h.st.Store.(kaiban.Corrections).GetCorrection(t.Context(), id)
			if err != nil || c.Status != kaiban.CorrectionOpen {
				t.Fatalf("correction %+v (%v), want the one never answered", c, err)
			}
			if got := c.DueAt.In(cst).Format(time.DateOnly); got != tc.dueDate || !c.DueAt.Equal(kaiban.CorrectionDueAt(c.AskedAt)) {
				t.Errorf("asked %v, due %v, want due on %s, 5 working days later", c.AskedAt.In(cst), c.DueAt.In(cst), tc.dueDate)
			}
			if zh, code := kaiban.LocalizeNotice(app.Message, false); code != kaiban.NoticeCorrectionExpired || !strings.Contains(zh, "补正") {
				t.Errorf("message %q (%s), want the correction's expiry", zh, code)
			}
			for _, tr := range app.Tracks {
				want := kaiban.TrackCompensated
				if tr.Name == kaiban.TrackSeal {
					want = kaiban.TrackFailed
				}
				if tr.Status != want {
					t.Errorf("track %s is %s, want %s", tr.Name, tr.Status, want)
				}
			}
			live := h.st.Sim.LiveRecords(id)
			delete(live, "identity")
			if len(live) != 0 {
				t.Errorf("live records after the expiry: %v, want none", live)
			}
			if late := app.UpdatedAt.Sub(c.DueAt); late < 0 || late > time.Minute {
				t.Errorf("rejected at %v, %v after the dueAt %v; want at the dueAt, within a minute after it",
					app.UpdatedAt.In(cst), late, c.DueAt.In(cst))
			}
		})
	}
}
