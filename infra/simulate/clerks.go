package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/infra/stack/apigw"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/workflow/engine"
)

// TaskRecord is one clerk task as the clerks lived it.
type TaskRecord struct {
	Application int // index of the application
	Track       string
	Kind        kaiban.TaskKind
	Error       string
	Clerk       int
	Decision    kaiban.Decision
	Created     time.Time
	Claimed     time.Time
	Resolved    time.Time
}

// clerkTokenLife is how long the clerks' tokens last: longer than the
// day, which runs on while corrections wait for the applicants (horizon).
const clerkTokenLife = 31 * 24 * time.Hour

// clerkRoom is the clerks' shared state: the service they act through and
// the record of what they did.
type clerkRoom struct {
	svc   *stack.Stack
	clock engine.Clock
	seed  uint64
	start time.Time
	index map[string]int // application ID → index, fixed before the day starts
	rates CorrectionRates

	mu       sync.Mutex
	attempts map[string]int // tasks seen per application and track
	records  []TaskRecord
}

// work is clerk i's day: poll, claim, work, resolve, until ctx ends. ctx
// carries the clerk's hold on the virtual clock (see day.run): the clerk
// holds it while acting and releases it only while
// working a task or waiting for the next look at the queue, so virtual time
// never passes under a clerk who is busy "now".
func (r *clerkRoom) work(ctx context.Context, i int) error {
	tok, err := apigw.IssueDevToken(r.svc.ClerkKey, fmt.Sprintf("clerk-%02d", i), fmt.Sprintf("窗口%02d", i), []string{api.DefaultClerkGroup}, clerkTokenLife, r.clock.Now())
	if err != nil {
		return err
	}
	for {
		t, ok, err := r.claimNext(ctx, tok)
		if err != nil || ctx.Err() != nil {
			return ignoreCancel(ctx, err)
		}
		if !ok {
			if err := r.clock.Sleep(ctx, r.untilNextPoll(i)); err != nil {
				return nil
			}
			continue
		}
		claimed := r.clock.Now()
		decision, took := r.decide(t)
		if err := r.clock.Sleep(ctx, took); err != nil {
			return nil
		}
		body, _ := json.Marshal(resolution(t, decision))
		if code, out, err := r.call(ctx, http.MethodPost, "/v1/clerk/tasks/"+t.ID+"/resolve", tok, body); err != nil || code != http.StatusOK {
			return ignoreCancel(ctx, fmt.Errorf("clerk %d resolving task %s (%s %s %q at %s): HTTP %d %s: %v", i, t.ID, t.Track, t.ErrorName, t.Reason, r.clock.Now().In(chinaTime), code, out, err))
		}
		r.record(TaskRecord{
			Application: r.index[t.ApplicationID], Track: t.Track, Kind: t.Kind, Error: t.ErrorName,
			Clerk: i, Decision: decision, Created: t.CreatedAt, Claimed: claimed, Resolved: r.clock.Now(),
		})
		if err := r.clock.Sleep(ctx, wrapUp); err != nil {
			return nil
		}
	}
}

// untilNextPoll is the wait to clerk i's next look at the queue. Clerks
// look on a shared 30-second grid, each offset by its index in
// nanoseconds, so no two clerks ever act at the same virtual instant: who
// gets which task never depends on goroutine scheduling.
//
// At night (20:00–07:30 in Shenyang) the clerks are on call and look
// every nightPollEvery: a day whose founders sign the next morning runs
// through the night, when little happens.
func (r *clerkRoom) untilNextPoll(i int) time.Duration {
	now := r.clock.Now()
	since := now.Sub(r.start)
	every := pollEvery
	if l := now.In(chinaTime); l.Hour() >= 20 || l.Hour()*60+l.Minute() < morningFrom {
		every = nightPollEvery
	}
	next := (since/every+1)*every + time.Duration(i+1)
	return next - since
}

// claimNext claims the first open task in queue order that this clerk can
// get; ok is false when the queue is empty.
func (r *clerkRoom) claimNext(ctx context.Context, tok string) (kaiban.ClerkTask, bool, error) {
	code, out, err := r.call(ctx, http.MethodGet, "/v1/clerk/tasks?status=OPEN&limit="+strconv.Itoa(kaiban.MaxListLimit), tok, nil)
	if err != nil || code != http.StatusOK {
		return kaiban.ClerkTask{}, false, fmt.Errorf("listing the queue: HTTP %d %s: %v", code, out, err)
	}
	var q struct{ Tasks []kaiban.ClerkTask }
	if err := json.Unmarshal(out, &q); err != nil {
		return kaiban.ClerkTask{}, false, fmt.Errorf("reading the queue: %w", err)
	}
	for _, t := range q.Tasks {
		code, out, err := r.call(ctx, http.MethodPost, "/v1/clerk/tasks/"+t.ID+"/claim", tok, nil)
		switch {
		case err != nil:
			return kaiban.ClerkTask{}, false, err
		case code == http.StatusOK:
			return t, true, nil
		case code != http.StatusConflict:
			return kaiban.ClerkTask{}, false, fmt.Errorf("claiming task %s: HTTP %d %s", t.ID, code, out)
		}
	}
	return kaiban.ClerkTask{}, false, nil
}

// decide draws the clerk's decision and working time for t from the
// generator of (application, track, how many tasks that track has had).
func (r *clerkRoom) decide(t kaiban.ClerkTask) (kaiban.Decision, time.Duration) {
	app := r.index[t.ApplicationID]
	key := t.ApplicationID + "/" + t.Track + "/" + string(t.Kind)
	r.mu.Lock()
	n := r.attempts[key]
	r.attempts[key] = n + 1
	r.mu.Unlock()
	g := rng(r.seed, app, "clerk/"+key[len(t.ApplicationID)+1:]+"/"+strconv.Itoa(n))
	share := 0.0
	if _, asks := clerkAsks[kaiban.TrackName(t.Track)]; asks && !r.rates.Disabled {
		share = r.rates.Clerk[kaiban.TrackName(t.Track)]
	}
	d, took := decide(t.Kind, t.ErrorName, n, share, func(l sim.Latency) time.Duration { return l.Sample(g) }, g.Float64)
	if _, ok := kaiban.RuleFor(t.Class(), d); !ok {
		switch {
		case t.Class() == kaiban.ClassCompensation:
			// Compensation cannot be refused: a clerk who gives up on
			// the agencies cancels the registrations by hand.
			d = kaiban.DecisionComplete
		case d == kaiban.DecisionCorrect:
			d = kaiban.DecisionRetry
		}
	}
	return d, took
}

// resolution is the body of the clerk's resolve request: a correct
// decision names the field and reason of the task's track (clerkAsks),
// as the console's send-back form does.
func resolution(t kaiban.ClerkTask, d kaiban.Decision) onestop.Resolution {
	q := onestop.Resolution{Decision: d, Note: "模拟窗口人员处理"}
	if d == kaiban.DecisionCorrect {
		a := clerkAsks[kaiban.TrackName(t.Track)]
		q.Fields, q.ReasonCode, q.Note = []string{a.field}, a.reason, a.note
	}
	return q
}

func (r *clerkRoom) record(t TaskRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, t)
}

// call sends one request to the API in-process, with the clerk's context
// (and so the clerk's hold on the clock).
func (r *clerkRoom) call(ctx context.Context, method, path, tok string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://kaiban.local"+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	r.svc.Handler.ServeHTTP(w, req)
	return w.Code, w.Body.Bytes(), nil
}

// ignoreCancel reports err unless the day is over.
func ignoreCancel(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}
