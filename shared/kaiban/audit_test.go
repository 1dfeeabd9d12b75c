package kaiban_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)

func mustKey(t testing.TB, s string) kaiban.AuditKey {
	k, err := kaiban.NewAuditKey([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// trail builds a typical application's trail and its state: submitted,
// identity, name reserved, the seven tracks run and succeed, one clerk task
// opened, claimed and resolved, and clerk views in between.
func trail(tb testing.TB, k kaiban.AuditKey) ([]kaiban.AuditEvent, kaiban.AuditHead, *kaiban.Application, []kaiban.ClerkTask) {
	app := &kaiban.Application{ID: "KB1", Status: kaiban.AppCompleted, CreditCode: "91210102MA0P4G3X1T", Tracks: kaiban.NewTracks()}
	app.Form.Company.Name = "沈阳市云帆信息技术有限公司"
	app.Form.Company.RegisteredCapital = 1_000_000
	var (
		events []kaiban.AuditEvent
		head   kaiban.AuditHead
	)
	add := func(action string, after any, set *kaiban.AuditSet) {
		b, _ := json.Marshal(after)
		e := kaiban.AuditEvent{ApplicationID: app.ID, Time: t0.Add(time.Duration(len(events)) * time.Second), Actor: "system", Action: action, After: b}
		if set != nil {
			if err := e.Record(*set); err != nil {
				tb.Fatal(err)
			}
		}
		next, err := kaiban.ChainAfter(k, head, &e)
		if err != nil {
			tb.Fatal(err)
		}
		head = next
		events = append(events, e)
	}
	add("application.submitted", map[string]any{"deadline": t0}, &kaiban.AuditSet{Status: kaiban.AppSubmitted, Form: kaiban.FormDigest(app.Form)})
	add("identity.verified", map[string]any{"attestationId": "A1"}, &kaiban.AuditSet{Status: kaiban.AppInProgress})
	add("name.reserved", map[string]any{}, &kaiban.AuditSet{Status: kaiban.AppInProgress, CreditCode: app.CreditCode})
	for i := range app.Tracks {
		tr := &app.Tracks[i]
		tr.Status = kaiban.TrackRunning
		add("track.running", nil, &kaiban.AuditSet{Track: kaiban.SetOf(*tr)})
		add("application.viewed", map[string]any{"clerk": "carol"}, nil)
		tr.Status, tr.Result = kaiban.TrackSucceeded, json.RawMessage(`{"number": "N-`+string(tr.Name)+`", "issued": true}`)
		add("track.succeeded", map[string]any{"track": tr.Name}, &kaiban.AuditSet{Track: kaiban.SetOf(*tr)})
	}
	task := kaiban.ClerkTask{ID: "T1", ApplicationID: app.ID, Status: kaiban.TaskOpen}
	add("task.opened", nil, &kaiban.AuditSet{Task: kaiban.TaskSetOf(task)})
	task.Status = kaiban.TaskClaimed
	add("task.claimed", nil, &kaiban.AuditSet{Task: kaiban.TaskSetOf(task)})
	task.Status, task.Decision = kaiban.TaskResolved, kaiban.DecisionRetry
	add("task.resolved", nil, &kaiban.AuditSet{Task: kaiban.TaskSetOf(task)})
	add("application.completed", nil, &kaiban.AuditSet{Status: kaiban.AppCompleted})
	return events, head, app, []kaiban.ClerkTask{task}
}

func TestKeyedChainAndSignedHead(t *testing.T) {
	k, other := mustKey(t, "the-audit-key-0123456789abcdefgh"), mustKey(t, "another-key-0123456789abcdefghij")
	events, head, _, _ := trail(t, k)
	if err := kaiban.VerifyAudit(k, events, head); err != nil {
		t.Fatalf("intact trail: %v", err)
	}
	tests := []struct {
		name    string
		tamper  func(ev []kaiban.AuditEvent, h kaiban.AuditHead) ([]kaiban.AuditEvent, kaiban.AuditHead)
		wantSeq int64
		want    string
	}{
		{"verified under another key", func(ev []kaiban.AuditEvent, h kaiban.AuditHead) ([]kaiban.AuditEvent, kaiban.AuditHead) {
			return ev, h
		}, 1, kaiban.AuditEdited},
		{"newest event deleted and the head moved back", func(ev []kaiban.AuditEvent, h kaiban.AuditHead) ([]kaiban.AuditEvent, kaiban.AuditHead) {
			ev = ev[:len(ev)-1]
			last := ev[len(ev)-1]
			return ev, kaiban.AuditHead{Seq: last.Seq, Hash: last.Hash, MAC: h.MAC}
		}, int64(len(events)), kaiban.AuditTruncated},
		{"newest event deleted and the head re-signed without the key", func(ev []kaiban.AuditEvent, h kaiban.AuditHead) ([]kaiban.AuditEvent, kaiban.AuditHead) {
			ev = ev[:len(ev)-1]
			last := ev[len(ev)-1]
			return ev, kaiban.AuditHead{Seq: last.Seq, Hash: last.Hash, MAC: kaiban.HeadMAC(other, last.ApplicationID, last.Seq, last.Hash)}
		}, int64(len(events)), kaiban.AuditTruncated},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, h := tt.tamper(append([]kaiban.AuditEvent(nil), events...), head)
			key := k
			if i == 0 {
				key = other
			}
			var br *kaiban.AuditBreak
			if err := kaiban.VerifyAudit(key, ev, h); !errors.As(err, &br) || br.Seq != tt.wantSeq || br.Reason != tt.want {
				t.Fatalf("VerifyAudit = %v, want %s at %d", err, tt.want, tt.wantSeq)
			}
		})
	}
	// A head that does not verify takes no new event: chaining after it
	// would hide the truncation.
	last := events[len(events)-2]
	e := kaiban.AuditEvent{ApplicationID: "KB1", Time: t0, Actor: "system", Action: "x"}
	_, err := kaiban.ChainAfter(k, kaiban.AuditHead{Seq: last.Seq, Hash: last.Hash, MAC: head.MAC}, &e)
	if !kaiban.IsName(err, kaiban.ErrStoreCorrupt) {
		t.Errorf("chain after a moved-back head: %v, want %s", err, kaiban.ErrStoreCorrupt)
	}
	if _, err := kaiban.ChainAfter(nil, kaiban.AuditHead{}, &e); !kaiban.IsName(err, kaiban.ErrConfig) {
		t.Errorf("chain without a key: %v, want %s", err, kaiban.ErrConfig)
	}
}

// Replaying the trail against the stored state names each field that was
// changed behind it, and only those.
func TestCompareStateNamesWhatChanged(t *testing.T) {
	k := mustKey(t, "the-audit-key-0123456789abcdefgh")
	tests := []struct {
		name   string
		tamper func(a *kaiban.Application, tasks []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent
		want   []kaiban.AuditProblem
	}{
		{"nothing", nil, nil},
		{"registered capital in the form", func(a *kaiban.Application, _ []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent {
			a.Form.Company.RegisteredCapital = 100_000_000
			return ev
		}, []kaiban.AuditProblem{{Seq: 1, Field: "form", Reason: kaiban.AuditStateDiffers}}},
		{"licence number in a track result", func(a *kaiban.Application, _ []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent {
			a.Track(kaiban.TrackLicense).Result = json.RawMessage(`{"number":"FORGED","issued":true}`)
			return ev
		}, []kaiban.AuditProblem{{Seq: 6, Field: "tracks.license.result", Reason: kaiban.AuditStateDiffers}}},
		{"a track's result reformatted (whitespace only)", func(a *kaiban.Application, _ []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent {
			a.Track(kaiban.TrackTax).Result = json.RawMessage("{\n  \"number\" : \"N-tax\",\n  \"issued\" : true\n}")
			return ev
		}, nil},
		{"a track's status", func(a *kaiban.Application, _ []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent {
			a.Track(kaiban.TrackBank).Status = kaiban.TrackFailed
			return ev
		}, []kaiban.AuditProblem{{Seq: 24, Field: "tracks.bank.status", Reason: kaiban.AuditStateDiffers}}},
		{"application status and credit code", func(a *kaiban.Application, _ []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent {
			a.Status, a.CreditCode = kaiban.AppRejected, "91210102MA0P4G3X2X"
			return ev
		}, []kaiban.AuditProblem{{Seq: 28, Field: "status", Reason: kaiban.AuditStateDiffers}, {Seq: 3, Field: "creditCode", Reason: kaiban.AuditStateDiffers}}},
		{"a clerk's decision", func(_ *kaiban.Application, tasks []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent {
			tasks[0].Decision = kaiban.DecisionReject
			return ev
		}, []kaiban.AuditProblem{{Seq: 27, Field: "tasks.T1.decision", Reason: kaiban.AuditStateDiffers}}},
		{"a task the trail never saw", func(a *kaiban.Application, tasks []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent {
			tasks[0].ID = "T2"
			return ev
		}, []kaiban.AuditProblem{{Field: "tasks.T2", Reason: kaiban.AuditNotCovered}, {Seq: 27, Field: "tasks.T1", Reason: kaiban.AuditDeleted}}},
		{"a trail without its submission", func(_ *kaiban.Application, _ []kaiban.ClerkTask, ev []kaiban.AuditEvent) []kaiban.AuditEvent {
			return ev[1:]
		}, []kaiban.AuditProblem{{Field: "form", Reason: kaiban.AuditNotCovered}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, _, app, tasks := trail(t, k)
			if tt.tamper != nil {
				events = tt.tamper(app, tasks, events)
			}
			got := kaiban.CompareState(events, app, tasks)
			if len(got) != len(tt.want) {
				t.Fatalf("problems %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("problem %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// Whitespace in a stored event's JSON is not a change.
func TestReformattedEventStillVerifies(t *testing.T) {
	k := mustKey(t, "the-audit-key-0123456789abcdefgh")
	events, head, _, _ := trail(t, k)
	var pretty json.RawMessage
	b, _ := json.MarshalIndent(json.RawMessage(events[5].After), "", "    ")
	pretty = b
	events[5].After = pretty
	if err := kaiban.VerifyAudit(k, events, head); err != nil {
		t.Fatalf("a reformatted event: %v", err)
	}
}

// BenchmarkVerifyApplication is the cost of verifying one application as
// the clerk view does, without the reads: the keyed chain and signed head
// of a 30-event trail, and the replay against the stored state.
func BenchmarkVerifyApplication(b *testing.B) {
	k := mustKey(b, "the-audit-key-0123456789abcdefgh")
	events, head, app, tasks := trail(b, k)
	b.ReportAllocs()
	b.ReportMetric(float64(len(events)), "events/op")
	for b.Loop() {
		if err := kaiban.VerifyAudit(k, events, head); err != nil {
			b.Fatal(err)
		}
		if p := kaiban.CompareState(events, app, tasks); len(p) != 0 {
			b.Fatal(p)
		}
	}
}
