package stack

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/shared/tracks"
	"github.com/kaiban/kaiban/workflow/engine"
)

// The founders of the example form: the legal representative (also the
// liaison), the second shareholder, the supervisor and the finance officer.
const exampleFounders = 4

// registrations are the agencies that register something; the identity
// agency only checks.
var registrations = []kaiban.AgencyKind{kaiban.AgencyMarket, kaiban.AgencySeal, kaiban.AgencyTax, kaiban.AgencySocial,
	kaiban.AgencyMedical, kaiban.AgencyFund, kaiban.AgencyBank}

// outboxOf returns the outbox's messages of one application and kind.
func (h *harness) outboxOf(id, kind string) []kaiban.Message {
	h.t.Helper()
	all, err := h.st.Outbox.Messages(h.t.Context(), kaiban.MaxOutboxList)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []kaiban.Message
	for _, m := range all {
		if m.ApplicationID == id && m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// waitOutbox waits for a message of the kind to the application's people:
// a message follows the status it tells of (the workflow's next step), so
// a test that saw the status polls for the message.
func (h *harness) waitOutbox(id, kind string) []kaiban.Message {
	h.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		if ms := h.outboxOf(id, kind); len(ms) > 0 {
			return ms
		}
		if time.Now().After(deadline) {
			return nil
		}
		time.Sleep(10 * time.Millisecond) // polling the outbox
	}
}

// links waits for the founders' links in the outbox, as the SMS carry
// them, and returns their tokens.
func (h *harness) links(id string) []string {
	h.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		var toks []string
		for _, m := range h.outboxOf(id, "confirm") {
			if m.Channel == kaiban.ChannelSMS {
				toks = append(toks, confirmtest.TokenOf(m.Link))
			}
		}
		if len(toks) == exampleFounders {
			return toks
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%d confirmation links in the outbox, want %d", len(toks), exampleFounders)
		}
		time.Sleep(5 * time.Millisecond) // polling the outbox
	}
}

// verify passes the founder's identity check through the API.
func (h *harness) verify(tok string) {
	h.t.Helper()
	code, out := h.do("POST", "/v1/confirmations/"+tok+"/identity", "", []byte(`{"liveness":{"passed":true}}`))
	if code != http.StatusOK || out["verified"] != true {
		h.t.Fatalf("identity: HTTP %d %v", code, out)
	}
}

// decide posts the founder's decision through the API.
func (h *harness) decide(tok, body string) {
	h.t.Helper()
	if code, out := h.do("POST", "/v1/confirmations/"+tok+"/decision", "", []byte(body)); code != http.StatusOK {
		h.t.Fatalf("decision %s: HTTP %d %v", body, code, out)
	}
}

// noRegistration fails the test if any agency registered anything.
func noRegistration(t *testing.T, h *harness, id string) {
	t.Helper()
	for _, k := range registrations {
		if n := h.st.Sim.Calls(k); n != 0 {
			t.Errorf("%s was called %d times", k, n)
		}
	}
	live := h.st.Sim.LiveRecords(id)
	delete(live, "identity") // a verification is a fact, not a registration
	if len(live) != 0 {
		t.Errorf("live agency records %v, want none", live)
	}
}

// Registration waits for every founder: with three of four signed no
// agency has registered anything; the last signature accepts the
// application (the applicant is told), the half-day deadline runs from
// it, and the application completes.
func TestRegistrationWaitsForEverySignature(t *testing.T) {
	h := startHarnessSigning(t, engine.RealClock{}, false)
	id, token := h.submit(exampleForm(t, nil))
	toks := h.links(id)
	for _, tok := range toks[:len(toks)-1] {
		h.verify(tok)
		h.decide(tok, `{"sign":true}`)
	}
	last := toks[len(toks)-1]
	h.verify(last)
	noRegistration(t, h, id)
	if app, _ := h.st.Store.GetApplication(t.Context(), id); app.Status.Terminal() {
		t.Fatalf("application %s before the last signature", app.Status)
	}
	h.decide(last, `{"sign":true}`)
	app := h.waitStatus(id, kaiban.AppCompleted)

	code, out := h.do("GET", "/v1/applications/"+id, token, nil)
	accepted, _ := time.Parse(time.RFC3339Nano, strings.TrimSpace(str(out["acceptedAt"])))
	if code != http.StatusOK || accepted.IsZero() {
		t.Fatalf("status %d: acceptedAt %v", code, out["acceptedAt"])
	}
	if want := accepted.Add(kaiban.DeadlineAfterSubmission); !app.Deadline.Equal(want) {
		t.Errorf("deadline %s, want the acceptance + 4 h (%s)", app.Deadline, want)
	}
	if n := len(h.waitOutbox(id, "accepted")); n == 0 {
		t.Error("the applicant was not told the application is accepted")
	}
}

// One founder declines: the application is REJECTED before any agency
// registered anything, and its message names the person (masked) and the
// reason.
func TestOneDeclineRejectsBeforeAnyRegistration(t *testing.T) {
	h := startHarnessSigning(t, engine.RealClock{}, false)
	id, token := h.submit(exampleForm(t, nil))
	toks := h.links(id)
	h.verify(toks[0])
	h.decide(toks[0], `{"sign":true}`)
	h.verify(toks[1])
	h.decide(toks[1], `{"sign":false,"reason":"出资额与约定不符"}`)
	app := h.waitStatus(id, kaiban.AppRejected)
	noRegistration(t, h, id)
	if !strings.Contains(app.Message, "*，理由：出资额与约定不符") {
		t.Errorf("message %q, want the role, the masked name and the reason", app.Message)
	}
	if _, out := h.do("GET", "/v1/applications/"+id, token, nil); !strings.Contains(str(out["message"]), "出资额与约定不符") {
		t.Errorf("the status shows %q, want the reason", out["message"])
	}
	if len(h.waitOutbox(id, "rejected")) == 0 {
		t.Error("the applicant was not told of the rejection")
	}
}

// Nobody signs: after 30 minutes every founder is reminded and the
// applicant told the application waits for signatures; when the 3-day
// window closes the application is REJECTED with a message naming the
// expiry, and there is nothing to undo.
func TestNobodySignsRemindsThenExpires(t *testing.T) {
	clock := newVirtualClock()
	h := startHarnessSigning(t, clock, false)
	start := clock.Now()
	id, _ := h.submit(exampleForm(t, nil))
	app := h.waitStatus(id, kaiban.AppRejected)
	if want := kaiban.NoticeTextZH(kaiban.NoticeConfirmationExpired); app.Message != want {
		t.Errorf("message %q, want %q", app.Message, want)
	}
	if took := app.UpdatedAt.Sub(start); took < kaiban.ConfirmWindow || took > kaiban.ConfirmWindow+time.Hour {
		t.Errorf("rejected %s after the submission, want when the %s window closes", took, kaiban.ConfirmWindow)
	}
	noRegistration(t, h, id)
	sent := h.outboxOf(id, "confirm")
	reminders := h.outboxOf(id, "remind")
	if len(reminders) != len(sent) || len(reminders) < exampleFounders {
		t.Fatalf("%d reminders for %d links, want one each", len(reminders), len(sent))
	}
	for _, r := range reminders {
		if after := r.SentAt.Sub(start); after < 30*time.Minute || after > time.Hour {
			t.Errorf("reminder to %s sent %s after the submission, want after 30 minutes", r.Channel, after)
		}
	}
	if len(h.outboxOf(id, "awaiting_signatures")) == 0 {
		t.Error("the applicant was not told the application waits for signatures")
	}
	if len(h.waitOutbox(id, "rejected")) == 0 {
		t.Error("the applicant was not told of the rejection")
	}
}

// A founder who verified yesterday, on another application, is not sent
// to the identity agency again: their confirmation opens VERIFIED and
// they only sign. The identity agency sees the second application's form
// check and nothing else.
func TestFounderVerifiedYesterdayIsNotAskedAgain(t *testing.T) {
	clock := newVirtualClock()
	h := startHarnessSigning(t, clock, false)
	signAll := func(id string, wantReused bool) {
		release := clock.Hold() // nobody's wait times out while they sign
		defer release()
		for _, tok := range h.links(id) {
			code, view := h.do("GET", "/v1/confirmations/"+tok, "", nil)
			if code != http.StatusOK {
				t.Fatalf("confirmation view: HTTP %d", code)
			}
			if verified := view["state"] == string(kaiban.ConfirmVerified); verified != wantReused {
				t.Errorf("confirmation opens %v, want verified %v", view["state"], wantReused)
			}
			h.verify(tok) // answers verified at once for the one verified yesterday
			h.decide(tok, `{"sign":true}`)
		}
	}
	first, _ := h.submit(exampleForm(t, nil))
	signAll(first, false)
	h.waitStatus(first, kaiban.AppCompleted)

	// A day later (the virtual clock jumps to the next timer when idle).
	dayLater := clock.Now().Add(24 * time.Hour)
	clock.AfterFunc(24*time.Hour, func() {})
	for clock.Now().Before(dayLater) {
		time.Sleep(time.Millisecond) // polling the clock
	}
	before := h.st.Sim.Calls(kaiban.AgencyIdentity)
	second, _ := h.submit(exampleForm(t, withTradeName("云帆")))
	signAll(second, true)
	h.waitStatus(second, kaiban.AppCompleted)
	if n := h.st.Sim.Calls(kaiban.AgencyIdentity) - before; n != 1 {
		t.Errorf("the identity agency was called %d times for the second application, want 1 (the form's check only)", n)
	}
}

// While the founders have not signed, the half-day promise has not
// started: five hours after the submission the watchdog finds nothing to
// chase and opens no deadline task; the status says when it would end at
// the latest.
func TestWatchdogDoesNotChaseAnApplicationWaitingForItsFounders(t *testing.T) {
	clock := newVirtualClock()
	h := startHarnessSigning(t, clock, false)
	type found struct {
		rep  tracks.WatchdogReport
		open []kaiban.ClerkTask
		err  error
	}
	got := make(chan found, 1)
	hold := clock.Hold() // the five hours count from the submission
	start := clock.Now()
	id, token := h.submit(exampleForm(t, nil))
	clock.AfterFunc(5*time.Hour, func() {
		// Timer callbacks run while the clock stands still.
		var f found
		if f.rep, f.err = h.st.Tracks.Watchdog(t.Context()); f.err == nil {
			f.open, f.err = h.st.Store.OpenTasksFor(t.Context(), id)
		}
		got <- f
	})
	hold()
	f := <-got
	if f.err != nil {
		t.Fatal(f.err)
	}
	if f.rep.AtRisk != 0 || f.rep.Opened != 0 || len(f.open) != 0 {
		t.Errorf("5 h after the submission, unsigned: watchdog %+v, open tasks %+v; want nothing to chase", f.rep, f.open)
	}
	code, out := h.do("GET", "/v1/applications/"+id, token, nil)
	deadline, _ := time.Parse(time.RFC3339Nano, str(out["deadline"]))
	if want := start.Add(kaiban.ConfirmWindow + kaiban.DeadlineAfterSubmission); code != http.StatusOK || !deadline.Equal(want) || out["acceptedAt"] != nil {
		t.Errorf("status %d: deadline %v acceptedAt %v, want %s (the window's end + 4 h) and not accepted", code, out["deadline"], out["acceptedAt"], want)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
