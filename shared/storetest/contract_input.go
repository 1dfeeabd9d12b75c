package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func testBadInput(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	s := open(t)
	ctx := t.Context()
	MustCreate(t, s, "app-1", T0)
	MustCreateTask(t, s, Task("task-1", "app-1", "tax", T0, 0))
	before, err := s.GetApplication(ctx, "app-1")
	if err != nil {
		t.Fatal(err)
	}

	withReq := func(f func(r *kaiban.CreateRequest)) kaiban.CreateRequest {
		r := Idempotent(Request("app-new", T0), "bad-key", "body")
		f(&r)
		return r
	}
	huge := strings.Repeat("x", kaiban.MaxFormBytes+1)
	long := strings.Repeat("a", kaiban.MaxKeyLen+1)
	track := *before.Track(kaiban.TrackTax)
	withTrack := func(f func(t *kaiban.Track)) kaiban.Track {
		tr := track
		f(&tr)
		return tr
	}
	bigMsg := strings.Repeat("m", kaiban.MaxMessageBytes+1)
	tests := []struct {
		name string
		call func() error
	}{
		{"create: empty id", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.Application.ID = "" }))
			return err
		}},
		{"create: id with a control character", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.Application.ID = "app\n1" }))
			return err
		}},
		{"create: id too long", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.Application.ID = long }))
			return err
		}},
		{"create: id not UTF-8", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.Application.ID = "app\xff" }))
			return err
		}},
		{"create: oversize form", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.Application.Form.Company.Address.Detail = huge }))
			return err
		}},
		{"create: idempotency key not ASCII", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.IdempotencyKey = "键" }))
			return err
		}},
		{"create: idempotency key too long", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.IdempotencyKey = long }))
			return err
		}},
		{"create: key without body hash", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.BodyHash = "" }))
			return err
		}},
		{"create: unknown status", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.Application.Status = "DONE" }))
			return err
		}},
		{"create: no deadline", func() error {
			_, err := s.CreateApplication(ctx, withReq(func(r *kaiban.CreateRequest) { r.Application.Deadline = time.Time{} }))
			return err
		}},
		{"get: empty id", func() error { _, err := s.GetApplication(ctx, ""); return err }},
		{"get: id too long", func() error { _, err := s.GetApplication(ctx, long); return err }},
		{"token: control character", func() error { return s.CheckAccessToken(ctx, "app-1\x00", "t") }},
		{"update application: unknown status", func() error {
			_, err := s.UpdateApplication(ctx, "app-1", kaiban.ApplicationUpdate{Status: "DONE"})
			return err
		}},
		{"update application: oversize message", func() error {
			_, err := s.UpdateApplication(ctx, "app-1", kaiban.ApplicationUpdate{Status: kaiban.AppRejected, Message: &bigMsg})
			return err
		}},
		{"track: unknown name", func() error {
			_, err := s.UpdateTrack(ctx, "app-1", withTrack(func(t *kaiban.Track) { t.Name = "lottery" }))
			return err
		}},
		{"track: unknown status", func() error {
			_, err := s.UpdateTrack(ctx, "app-1", withTrack(func(t *kaiban.Track) { t.Status = "MAYBE" }))
			return err
		}},
		{"track: oversize result", func() error {
			_, err := s.UpdateTrack(ctx, "app-1", withTrack(func(t *kaiban.Track) {
				t.Status = kaiban.TrackSucceeded
				t.Result = json.RawMessage(`"` + strings.Repeat("r", kaiban.MaxTrackBytes) + `"`)
			}))
			return err
		}},
		{"track: result not JSON", func() error {
			_, err := s.UpdateTrack(ctx, "app-1", withTrack(func(t *kaiban.Track) { t.Result = json.RawMessage(`{`) }))
			return err
		}},
		{"task: empty id", func() error { _, err := s.CreateClerkTask(ctx, Task("", "app-1", "tax", T0, 0)); return err }},
		{"task: unknown track", func() error { _, err := s.CreateClerkTask(ctx, Task("t-2", "app-1", "lottery", T0, 0)); return err }},
		{"task: oversize data", func() error {
			task := Task("t-2", "app-1", "tax", T0, 0)
			task.Data = json.RawMessage(`"` + strings.Repeat("d", kaiban.MaxTaskBytes) + `"`)
			_, err := s.CreateClerkTask(ctx, task)
			return err
		}},
		{"task: priority out of range", func() error { _, err := s.CreateClerkTask(ctx, Task("t-2", "app-1", "tax", T0, 2e9)); return err }},
		{"get task: id too long", func() error { _, err := s.GetClerkTask(ctx, long); return err }},
		{"list tasks: unknown status", func() error { _, err := s.ListClerkTasks(ctx, kaiban.TaskFilter{Status: "LOST"}); return err }},
		{"claim: empty clerk", func() error { _, err := s.ClaimClerkTask(ctx, "task-1", "", T0); return err }},
		{"resolve: unknown decision", func() error {
			_, err := s.ResolveClerkTask(ctx, "task-1", "clerk-a", kaiban.Resolution{Decision: "shrug"}, T0)
			return err
		}},
		{"raise: out of range", func() error { return s.RaiseClerkTask(ctx, "task-1", -2e9) }},
		{"open tasks: empty id", func() error { _, err := s.OpenTasksFor(ctx, ""); return err }},
		{"audit: oversize event", func() error {
			e := Event("app-1", 1)
			e.After = json.RawMessage(`"` + strings.Repeat("a", kaiban.MaxAuditPayloadBytes) + `"`)
			_, err := s.AppendAudit(ctx, e)
			return err
		}},
		{"audit: no actor", func() error {
			e := Event("app-1", 1)
			e.Actor = ""
			_, err := s.AppendAudit(ctx, e)
			return err
		}},
		{"audit: before not JSON", func() error {
			e := Event("app-1", 1)
			e.Before = json.RawMessage(`nope`)
			_, err := s.AppendAudit(ctx, e)
			return err
		}},
		{"list audit: empty id", func() error { _, err := s.ListAudit(ctx, ""); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			WantName(t, tt.call(), kaiban.ErrInput)
		})
	}

	// Nothing was half-written: the store holds what it held before, and
	// the idempotency key of the rejected requests is still free.
	after, err := s.GetApplication(ctx, "app-1")
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != before.Status || after.Track(kaiban.TrackTax).Version != track.Version || after.Message != "" {
		t.Errorf("a rejected write changed app-1: %+v", after)
	}
	if events, _ := s.ListAudit(ctx, "app-1"); len(events) != 0 {
		t.Errorf("rejected audit events were stored: %d", len(events))
	}
	if _, err := s.GetClerkTask(ctx, "t-2"); !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Errorf("a rejected task was stored: %v", err)
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := total(counts.Applications); n != 1 {
		t.Errorf("%d applications after rejected creates, want 1", n)
	}
	res, err := s.CreateApplication(ctx, Idempotent(Request("app-new", T0), "bad-key", "body"))
	if err != nil || !res.Created {
		t.Errorf("the idempotency key of a rejected request is not free: %v, created=%v", err, res.Created)
	}
}

func testClosed(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	s := open(t)
	MustCreate(t, s, "app-1", T0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := map[string]func() error{
		"create": func() error { _, err := s.CreateApplication(ctx, Request("app-2", T0)); return err },
		"get":    func() error { _, err := s.GetApplication(ctx, "app-1"); return err },
		"token":  func() error { return s.CheckAccessToken(ctx, "app-1", Token("app-1")) },
		"update": func() error {
			_, err := s.UpdateApplication(ctx, "app-1", kaiban.ApplicationUpdate{Status: kaiban.AppRejected})
			return err
		},
		"track": func() error {
			_, err := s.UpdateTrack(ctx, "app-1", kaiban.Track{Name: kaiban.TrackTax, Status: kaiban.TrackRunning})
			return err
		},
		"task":   func() error { _, err := s.CreateClerkTask(ctx, Task("t", "app-1", "tax", T0, 0)); return err },
		"list":   func() error { _, err := s.ListClerkTasks(ctx, kaiban.TaskFilter{}); return err },
		"claim":  func() error { _, err := s.ClaimClerkTask(ctx, "t", "c", T0); return err },
		"risk":   func() error { _, err := s.ListAtRisk(ctx, T0, 10); return err },
		"counts": func() error { _, err := s.Counts(ctx); return err },
		"bystatus": func() error {
			_, err := s.ListByStatus(ctx, kaiban.StatusQuery{Status: kaiban.AppSubmitted, DeadlineBefore: T0})
			return err
		},
		"audit":  func() error { _, err := s.AppendAudit(ctx, Event("app-1", 1)); return err },
		"verify": func() error { return s.VerifyAudit(ctx, "app-1") },
	}
	for name, call := range calls {
		if err := call(); !kaiban.IsName(err, kaiban.ErrStoreUnavailable) {
			t.Errorf("%s on a closed store: %v, want %s", name, err, kaiban.ErrStoreUnavailable)
		}
	}
	// Closing twice is harmless.
	_ = s.Close()
}
