package drills

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/infra/stack/apigw"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/workflow/engine"
)

// agencyTimeout is the drill's client timeout: short, so an agency slowed
// past it costs little real time.
const agencyTimeout = 300 * time.Millisecond

// faultStack is an in-process stack on a virtual clock whose agencies are a
// separate simulator on the real clock (so SetSlow really outlasts the
// client's timeout). The drill holds the virtual clock and moves it in
// small steps: retries and backoff take no real time, and a clerk acts
// long before a clerk task's 8-hour timeout.
type faultStack struct {
	t     *testing.T
	st    *stack.Stack
	sim   *sim.Server
	http  *client
	clock *engine.VirtualClock
	held  context.Context // carries the drill's hold on the clock
	clerk string
}

func startFaultStack(t *testing.T, opts ...func(*stack.Config)) *faultStack {
	t.Helper()
	simSrv, err := sim.Start(t.Context(), sim.Instant())
	if err != nil {
		t.Fatalf("starting the simulators: %v", err)
	}
	t.Cleanup(func() { simSrv.Close() })
	clock := engine.NewVirtualClock(time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)) // 09:00 in Shenyang
	held, release := engine.WithHold(context.Background(), clock)
	// The founders sign the moment their links are sent: on the held
	// virtual clock every message has the same time, so the outbox's
	// newest-first listing cannot find one application's links among
	// hundreds.
	auto := &confirmtest.AutoSign{}
	cfg := stack.Config{
		DataDir: t.TempDir(), AgenciesURL: simSrv.URL(), AgencyTimeout: agencyTimeout, Clock: clock, WatchdogEvery: -1,
		Notifier: auto,
	}
	for _, o := range opts {
		o(&cfg)
	}
	st, err := stack.Start(t.Context(), cfg)
	if err != nil {
		release()
		t.Fatalf("starting the stack: %v", err)
	}
	auto.Use(st.API.Service(), st.Outbox)
	srv := httptest.NewServer(st.Handler)
	t.Cleanup(func() {
		srv.Close()
		release()
		if err := st.Close(); err != nil {
			t.Errorf("closing the stack: %v", err)
		}
	})
	tok, err := apigw.IssueDevToken(st.ClerkKey, "clerk-drill", "演练窗口", []string{api.DefaultClerkGroup}, 12*time.Hour, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv.URL)
	c.foundersSign = true
	return &faultStack{t: t, st: st, sim: simSrv, http: c, clock: clock, held: held, clerk: tok}
}

// until moves virtual time in steps of step until cond holds for every
// application, failing after limit of virtual time (or a minute of real
// time, should the engine stall).
func (f *faultStack) until(what string, ids []string, step, limit time.Duration, cond func(*kaiban.Application) bool) {
	f.t.Helper()
	// The real-time bound only stops a hung drill: a loaded machine can
	// take well over a minute to run 50 applications' steps.
	start, realDeadline := f.clock.Now(), time.Now().Add(3*time.Minute)
	for {
		pending := ""
		for _, id := range ids {
			app, err := f.st.Store.GetApplication(context.Background(), id)
			if err != nil {
				f.t.Fatal(err)
			}
			if !cond(app) {
				b, _ := json.Marshal(app.Tracks)
				pending = fmt.Sprintf("application %s is %s (%s), tracks %s", id, app.Status, app.Message, b)
				break
			}
		}
		if pending == "" {
			return
		}
		if f.clock.Now().Sub(start) > limit || time.Now().After(realDeadline) {
			f.t.Fatalf("waited %s of virtual time for %s: %s", f.clock.Now().Sub(start), what, pending)
		}
		if err := f.clock.Sleep(f.held, step); err != nil {
			f.t.Fatal(err)
		}
	}
}

// openTask returns the open clerk task of an application, if any.
func (f *faultStack) openTask(id string) (kaiban.ClerkTask, bool) {
	ts, err := f.st.Store.OpenTasksFor(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, task := range ts {
		if task.Status == kaiban.TaskOpen {
			return task, true
		}
	}
	return kaiban.ClerkTask{}, false
}

// resolve claims and resolves a task through the clerk API.
func (f *faultStack) resolve(task kaiban.ClerkTask, d kaiban.Decision) {
	f.t.Helper()
	for _, step := range []request{
		{method: http.MethodPost, path: "/v1/clerk/tasks/" + task.ID + "/claim", bearer: f.clerk},
		{method: http.MethodPost, path: "/v1/clerk/tasks/" + task.ID + "/resolve", bearer: f.clerk,
			body: []byte(`{"decision":"` + string(d) + `","note":"演练: 机构已恢复"}`)},
	} {
		if r := f.http.do(step); r.code != http.StatusOK {
			f.t.Fatalf("%s: HTTP %d %s", step.path, r.code, r.body)
		}
	}
}

// retriedWith reports whether the audit trail shows the track retried
// after an error named name.
func (f *faultStack) retriedWith(id string, track kaiban.TrackName, name string) bool {
	events, err := f.st.Store.ListAudit(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range events {
		var after struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(e.After, &after)
		if e.Actor == "track:"+string(track) && e.Action == "track.retrying" && after.Error == name {
			return true
		}
	}
	return false
}

// faultCase is one way an agency misbehaves and what the service must do
// about it.
type faultCase struct {
	name   string
	track  kaiban.TrackName
	agency kaiban.AgencyKind
	inject func(*sim.Server)
	heal   func(*sim.Server)
	// escalates: retries run out and a clerk decides; otherwise the
	// agency heals while the track is still retrying.
	escalates bool
	decision  kaiban.Decision
	// healLate heals the agency only after the clerk's decision, while
	// compensation is retrying against it.
	healLate bool
	want     kaiban.AppStatus
}

func faultCases() []faultCase {
	return []faultCase{{
		name: "agency down for a while, then back", track: kaiban.TrackSeal, agency: kaiban.AgencySeal,
		inject: func(s *sim.Server) { s.SetDown(kaiban.AgencySeal, true) },
		heal:   func(s *sim.Server) { s.SetDown(kaiban.AgencySeal, false) },
		want:   kaiban.AppCompleted,
	}, {
		name: "agency slower than the client timeout, then fast", track: kaiban.TrackTax, agency: kaiban.AgencyTax,
		inject: func(s *sim.Server) { s.SetSlow(kaiban.AgencyTax, 10*agencyTimeout) },
		heal:   func(s *sim.Server) { s.SetSlow(kaiban.AgencyTax, 0) },
		want:   kaiban.AppCompleted,
	}, {
		name: "malformed answers until retries run out; clerk retries after repair", track: kaiban.TrackHousingFund, agency: kaiban.AgencyFund,
		inject:    func(s *sim.Server) { s.SetMalformed(kaiban.AgencyFund, true) },
		heal:      func(s *sim.Server) { s.SetMalformed(kaiban.AgencyFund, false) },
		escalates: true, decision: kaiban.DecisionRetry,
		want: kaiban.AppCompleted,
	}, {
		name: "agency down past the retries; clerk rejects; undone once it is back", track: kaiban.TrackBank, agency: kaiban.AgencyBank,
		inject:    func(s *sim.Server) { s.SetDown(kaiban.AgencyBank, true) },
		heal:      func(s *sim.Server) { s.SetDown(kaiban.AgencyBank, false) },
		escalates: true, decision: kaiban.DecisionReject, healLate: true,
		want: kaiban.AppRejected,
	}}
}

// maxAttempts is one attempt plus the definition's five retries.
const maxAttempts = 6

// TestFaultDrill: applications survive agencies that are down, slow or
// garbled — nothing lost (every application COMPLETED or deliberately
// REJECTED) and nothing duplicated (exactly one live record per track of
// a completed application, none after compensation, no record ever
// created twice).
func TestFaultDrill(t *testing.T) {
	const apps = 3
	for _, tc := range faultCases() {
		t.Run(tc.name, func(t *testing.T) {
			f := startFaultStack(t)
			tc.inject(f.sim)
			var ids []string
			subs := map[string]submission{}
			for i := range apps {
				s := f.http.submit(exampleForm(t), fmt.Sprintf("fault-%s-%d", tc.agency, i))
				ids = append(ids, s.ID)
				subs[s.ID] = s
			}
			attempts := func(a *kaiban.Application) int { return a.Track(tc.track).Attempts }

			if !tc.escalates {
				f.until("a failed retry", ids, 100*time.Millisecond, time.Minute, func(a *kaiban.Application) bool {
					return attempts(a) >= 2 && a.Track(tc.track).Status == kaiban.TrackRetrying
				})
				tc.heal(f.sim)
			} else {
				f.until("retries to run out", ids, time.Second, 10*time.Minute, func(a *kaiban.Application) bool {
					_, open := f.openTask(a.ID)
					return open
				})
				if tc.want == kaiban.AppRejected {
					// Let the six other tracks finish first, so there is
					// something at every other agency to undo.
					f.until("six tracks done", ids, time.Second, time.Minute, func(a *kaiban.Application) bool {
						n := 0
						for _, tr := range a.Tracks {
							if tr.Status == kaiban.TrackSucceeded {
								n++
							}
						}
						return n == 6
					})
				}
				for _, id := range ids {
					task, _ := f.openTask(id)
					if task.Track != string(tc.track) || task.ErrorName != kaiban.ErrAgencyUnavailable {
						t.Errorf("application %s: task for %s after %s, want %s after %s", id, task.Track, task.ErrorName, tc.track, kaiban.ErrAgencyUnavailable)
					}
					app, _ := f.st.Store.GetApplication(context.Background(), id)
					if n := attempts(app); n != maxAttempts {
						t.Errorf("application %s: escalated after %d attempts, want %d", id, n, maxAttempts)
					}
					if st := f.http.status(subs[id]); st != string(kaiban.AppActionRequired) {
						t.Errorf("application %s: applicant sees %s while a clerk decides, want ACTION_REQUIRED", id, st)
					}
				}
				if !tc.healLate {
					tc.heal(f.sim)
				}
				for _, id := range ids {
					task, _ := f.openTask(id)
					f.resolve(task, tc.decision)
				}
				if tc.healLate {
					// Compensation cancels at every agency, the one still
					// down included (a lost answer may have left a record
					// there); it retries until the agency is back.
					if err := f.clock.Sleep(f.held, 30*time.Second); err != nil {
						t.Fatal(err)
					}
					tc.heal(f.sim)
				}
			}
			f.until(string(tc.want), ids, time.Second, 30*time.Minute, func(a *kaiban.Application) bool { return a.Status == tc.want })

			lives := map[string]map[string]int{}
			for _, id := range ids {
				app, _ := f.st.Store.GetApplication(context.Background(), id)
				if !f.retriedWith(id, tc.track, kaiban.ErrAgencyUnavailable) {
					t.Errorf("application %s: no retry after %s recorded for %s", id, kaiban.ErrAgencyUnavailable, tc.track)
				}
				if st := f.http.status(subs[id]); st != string(tc.want) {
					t.Errorf("application %s: applicant sees %s, want %s", id, st, tc.want)
				}
				live := f.sim.LiveRecords(id)
				lives[id] = maps.Clone(live)
				switch tc.want {
				case kaiban.AppCompleted:
					if !liveMatches(live) {
						t.Errorf("application %s: live records %v, want exactly %v", id, live, wantLive)
					}
					if tr := app.Track(tc.track); tr.Status != kaiban.TrackSucceeded || tr.Attempts < 2 {
						t.Errorf("application %s: %s %s after %d attempts, want SUCCEEDED after retries", id, tc.track, tr.Status, tr.Attempts)
					}
				case kaiban.AppRejected:
					delete(live, "identity") // a verification is a fact, not a registration
					if len(live) != 0 {
						t.Errorf("application %s: live records after compensation %v, want none", id, live)
					}
					for _, tr := range app.Tracks {
						if want := kaiban.TrackCompensated; tr.Name != tc.track && tr.Status != want {
							t.Errorf("application %s: track %s is %s, want %s", id, tr.Name, tr.Status, want)
						}
					}
				}
				if err := f.st.Store.VerifyAudit(context.Background(), id); err != nil {
					t.Errorf("application %s: audit trail: %v", id, err)
				}
				// Every change the retries, the clerk and compensation made is
				// in the trail: replaying it gives the stored state.
				if v, err := kaiban.VerifyApplication(context.Background(), f.st.Store, app); err != nil || !v.Intact() {
					t.Errorf("application %s: stored state against the trail: %+v, %v", id, v.Problems, err)
				}
			}
			// No record was ever created twice, even one later cancelled.
			want := apps*recordsPerApp + founderChecks(lives)
			if tc.want == kaiban.AppRejected {
				want = apps*(recordsPerApp-1) + founderChecks(lives) // the bank never registered
			}
			if got := f.sim.TotalRecords(); got != want {
				t.Errorf("agencies created %d records in all, want %d (one per track per application)", got, want)
			}
		})
	}
}
