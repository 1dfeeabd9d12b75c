package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func testAudit(t *testing.T, open func(t *testing.T) kaiban.Store, c config) {
	t.Run("CreateWithItsEventOnceAndNotOnReplay", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		req := Idempotent(Request("app-1", T0), "key-1", "body-1")
		ev := kaiban.AuditEvent{ApplicationID: "app-1", Time: T0, Actor: "applicant", Action: "application.submitted"}
		for i, wantCreated := range []bool{true, false} {
			res, err := kaiban.CreateApplicationAudited(t.Context(), s, req, ev)
			if err != nil {
				t.Fatalf("call %d: %v", i+1, err)
			}
			if res.Created != wantCreated || res.Application.ID != "app-1" {
				t.Fatalf("call %d: created %v id %q, want created %v", i+1, res.Created, res.Application.ID, wantCreated)
			}
		}
		trail, err := s.ListAudit(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(trail) != 1 || trail[0].Action != "application.submitted" || trail[0].Seq != 1 {
			t.Fatalf("audit trail after a create and its replay: %+v, want the one submitted event", trail)
		}
		if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("AppendChainsAndListReturnsInOrder", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		MustCreate(t, s, "app-2", T0)
		appended := MustAppend(t, s, "app-1", 4)
		MustAppend(t, s, "app-2", 2)
		prev := ""
		for i, e := range appended {
			if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash == "" || e.Hash != e.ComputeHash(AuditKey) {
				t.Errorf("event %d: seq %d prev %q hash %q", i, e.Seq, e.PrevHash, e.Hash)
			}
			prev = e.Hash
		}
		listed, err := s.ListAudit(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != len(appended) {
			t.Fatalf("listed %d events, appended %d", len(listed), len(appended))
		}
		for i := range listed {
			a, b := listed[i], appended[i]
			if a.Seq != b.Seq || a.Hash != b.Hash || a.PrevHash != b.PrevHash || !a.Time.Equal(b.Time) ||
				a.Actor != b.Actor || a.Action != b.Action || string(a.After) != string(b.After) || a.ComputeHash(AuditKey) != a.Hash {
				t.Errorf("event %d listed as %+v, appended as %+v", i+1, a, b)
			}
		}
		for _, id := range []string{"app-1", "app-2"} {
			if err := s.VerifyAudit(t.Context(), id); err != nil {
				t.Errorf("intact trail of %s: %v", id, err)
			}
		}
		if err := s.VerifyAudit(t.Context(), "app-3"); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("verify unknown application: %v", err)
		}
		_, err = s.AppendAudit(t.Context(), Event("app-9", 1))
		WantName(t, err, kaiban.ErrNotFound)
	})

	t.Run("EmptyTrailVerifies", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
			t.Error(err)
		}
		events, err := s.ListAudit(t.Context(), "app-1")
		if err != nil || len(events) != 0 {
			t.Errorf("empty trail: %v, %v", events, err)
		}
	})

	t.Run("ConcurrentAppendsNeverFork", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		const writers, each = 10, 3
		errs := make(chan error, writers*each)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				<-start
				for i := range each {
					e := Event("app-1", w*each+i)
					e.Actor = fmt.Sprintf("clerk:%d", w)
					_, err := s.AppendAudit(t.Context(), e)
					errs <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		events, err := s.ListAudit(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != writers*each {
			t.Fatalf("%d events, want %d", len(events), writers*each)
		}
		for i, e := range events {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d", i+1, e.Seq)
			}
		}
		if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
			t.Errorf("trail forked: %v", err)
		}
	})

	t.Run("TamperingIsDetected", func(t *testing.T) {
		t.Parallel()
		if c.tamper == nil {
			t.Skip("SKIPPED: no Tamper hook given, cannot write to the store's storage directly")
		}
		// Each case takes the intact five-event trail and returns what an
		// attacker leaves in the database.
		tests := []struct {
			name       string
			tamper     func(ev []kaiban.AuditEvent) []kaiban.AuditEvent
			wantSeq    int64
			wantReason string // "" when several reasons describe it equally well
		}{
			{"edit a middle event", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				ev[2].Actor = "clerk:mallory"
				return ev
			}, 3, "edited"},
			{"edit a middle event and re-chain the rest without the key", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				ev[2].After = []byte(`{"status":"SUCCEEDED"}`)
				return rechain(ev, 2)
			}, 3, "edited"},
			{"edit the last event and rehash it without the key", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				ev[4].Action = "task.resolved"
				ev[4].Hash = ev[4].ComputeHash(forgerKey)
				return ev
			}, 5, "edited"},
			{"re-chain the whole trail with another key", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				ev[0].Actor = "clerk:mallory"
				return rechain(ev, 0)
			}, 1, "edited"},
			{"delete the first event", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				return ev[1:]
			}, 1, "deleted"},
			{"delete a middle event", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				return slices.Delete(ev, 2, 3)
			}, 3, "deleted"},
			{"delete the last event", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				return ev[:4]
			}, 5, "deleted"},
			{"insert an event and renumber the rest", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				forged := Event(ev[0].ApplicationID, 99)
				forged.Seq, forged.PrevHash, forged.Hash = 3, "forged", "forged"
				for i := 2; i < len(ev); i++ {
					ev[i].Seq++
				}
				return slices.Insert(ev, 2, forged)
			}, 3, "inserted"},
			{"insert a correctly chained event", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				forged := Event(ev[0].ApplicationID, 99)
				forged.Chain(forgerKey, kaiban.AuditHead{Seq: 2, Hash: ev[1].Hash})
				for i := 2; i < len(ev); i++ {
					ev[i].Seq++
				}
				return slices.Insert(ev, 2, forged)
			}, 3, ""},
			{"append an event at the end", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				forged := Event(ev[0].ApplicationID, 99)
				forged.Chain(forgerKey, kaiban.AuditHead{Seq: 5, Hash: ev[4].Hash})
				return append(ev, forged)
			}, 6, ""},
			{"swap two events", func(ev []kaiban.AuditEvent) []kaiban.AuditEvent {
				ev[2], ev[3] = ev[3], ev[2]
				ev[2].Seq, ev[3].Seq = 3, 4
				return ev
			}, 3, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				s := open(t)
				MustCreate(t, s, "app-1", T0)
				MustCreate(t, s, "app-2", T0)
				intact := MustAppend(t, s, "app-1", 5)
				MustAppend(t, s, "app-2", 5)
				c.tamper.RewriteAudit(t, s, "app-1", tt.tamper(slices.Clone(intact)))
				err := s.VerifyAudit(t.Context(), "app-1")
				var br *kaiban.AuditBreak
				if !errors.As(err, &br) {
					t.Fatalf("VerifyAudit = %v, want an *AuditBreak", err)
				}
				if br.Seq != tt.wantSeq || (tt.wantReason != "" && br.Reason != tt.wantReason) {
					t.Errorf("break at %d (%s), want %d (%s)", br.Seq, br.Reason, tt.wantSeq, tt.wantReason)
				}
				if err := s.VerifyAudit(t.Context(), "app-2"); err != nil {
					t.Errorf("the untouched trail of app-2 fails: %v", err)
				}
			})
		}
	})

	t.Run("TruncationWithARewrittenHeadIsDetected", func(t *testing.T) {
		t.Parallel()
		if c.tamper == nil {
			t.Skip("SKIPPED: no Tamper hook given, cannot write to the store's storage directly")
		}
		for _, drop := range []int{1, 2} {
			t.Run(fmt.Sprintf("drop %d", drop), func(t *testing.T) {
				t.Parallel()
				s := open(t)
				MustCreate(t, s, "app-1", T0)
				intact := MustAppend(t, s, "app-1", 5)
				kept := intact[:len(intact)-drop]
				c.tamper.RewriteAudit(t, s, "app-1", kept)
				last := kept[len(kept)-1]
				c.tamper.RewriteHead(t, s, "app-1", last.Seq, last.Hash)
				err := s.VerifyAudit(t.Context(), "app-1")
				var br *kaiban.AuditBreak
				if !errors.As(err, &br) || br.Seq != last.Seq+1 || br.Reason != kaiban.AuditTruncated {
					t.Fatalf("VerifyAudit after dropping the newest %d = %v, want truncated at %d", drop, err, last.Seq+1)
				}
				// Chaining a new event after the rewritten head would
				// cover the truncation up: the store refuses.
				_, err = s.AppendAudit(t.Context(), Event("app-1", 9))
				WantName(t, err, kaiban.ErrStoreCorrupt)
				if err := s.VerifyAudit(t.Context(), "app-1"); !errors.As(err, &br) {
					t.Errorf("after the refused append the trail verifies: %v", err)
				}
			})
		}
	})
}

// forgerKey is a key other than the stores': what someone without the
// audit key chains with.
var forgerKey = mustAuditKey([]byte("someone-else-s-key-0123456789abcd"))

// rechain recomputes the chain from event i on with forgerKey, as someone
// who edits an event and has no key would.
func rechain(ev []kaiban.AuditEvent, i int) []kaiban.AuditEvent {
	head := kaiban.AuditHead{}
	if i > 0 {
		head = kaiban.AuditHead{Seq: ev[i-1].Seq, Hash: ev[i-1].Hash}
	}
	for ; i < len(ev); i++ {
		head = ev[i].Chain(forgerKey, head)
	}
	return ev
}
