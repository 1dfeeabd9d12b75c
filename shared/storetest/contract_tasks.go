package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func taskIDs(ts []kaiban.ClerkTask) []string {
	var ids []string
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	return ids
}

func testClerkTasks(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	t.Run("CreateGetAndRetry", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		task := Task("task-1", "app-1", "tax", T0.Add(4*time.Hour), 0)
		got := MustCreateTask(t, s, task)
		if got.Status != kaiban.TaskOpen || got.TaskToken != task.TaskToken || !got.Deadline.Equal(task.Deadline) {
			t.Errorf("created %+v", got)
		}
		// A retried handler creates the same task again: the stored one
		// comes back unchanged.
		retry := task
		retry.Reason, retry.Priority = "something else", 9
		if _, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-a", T0); err != nil {
			t.Fatal(err)
		}
		again := MustCreateTask(t, s, retry)
		if again.Reason != task.Reason || again.Priority != 0 || again.Status != kaiban.TaskClaimed {
			t.Errorf("re-creating changed the task: %+v", again)
		}
		stored, err := s.GetClerkTask(t.Context(), "task-1")
		if err != nil {
			t.Fatal(err)
		}
		if stored.ApplicationID != "app-1" || stored.Kind != kaiban.TaskTrackException || stored.ErrorName != kaiban.ErrAgencyRejected ||
			string(stored.Data) != `{"agency":"tax"}` || !stored.CreatedAt.Equal(T0) || stored.ClaimedBy != "clerk-a" {
			t.Errorf("stored %+v", stored)
		}
		_, err = s.GetClerkTask(t.Context(), "nope")
		WantName(t, err, kaiban.ErrNotFound)
		_, err = s.CreateClerkTask(t.Context(), Task("task-2", "no-such-app", "tax", T0, 0))
		WantName(t, err, kaiban.ErrNotFound)
	})

	t.Run("ClaimAndResolveLifecycle", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		MustCreateTask(t, s, Task("task-1", "app-1", "seal", T0, 0))
		MustCreateTask(t, s, Task("task-2", "app-1", "seal", T0, 0))
		claimedAt, resolvedAt := T0.Add(time.Minute), T0.Add(2*time.Minute)
		resolution := kaiban.Resolution{Decision: kaiban.DecisionComplete, Note: "盖章已线下完成", Data: json.RawMessage(`{"sealNo":"210102-1"}`)}
		steps := []struct {
			name    string
			do      func() (kaiban.ClerkTask, error)
			wantErr string
			check   func(kaiban.ClerkTask) bool
		}{
			{"resolve before claim", func() (kaiban.ClerkTask, error) {
				return s.ResolveClerkTask(t.Context(), "task-1", "clerk-a", resolution, resolvedAt)
			}, kaiban.ErrTaskNotClaimed, nil},
			{"claim", func() (kaiban.ClerkTask, error) {
				c, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-a", claimedAt)
				if err == nil && c.Token != "sfn-token-task-1" {
					return c.ClerkTask, fmt.Errorf("claim returned token %q", c.Token)
				}
				return c.ClerkTask, err
			}, "", func(c kaiban.ClerkTask) bool {
				return c.Status == kaiban.TaskClaimed && c.ClaimedBy == "clerk-a" && c.ClaimedAt.Equal(claimedAt)
			}},
			{"claim again by the claimer", func() (kaiban.ClerkTask, error) {
				c, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-a", resolvedAt)
				return c.ClerkTask, err
			}, "", func(c kaiban.ClerkTask) bool { return c.ClaimedBy == "clerk-a" && c.ClaimedAt.Equal(claimedAt) }},
			{"claim by another clerk", func() (kaiban.ClerkTask, error) {
				c, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-b", claimedAt)
				return c.ClerkTask, err
			}, kaiban.ErrTaskClaimed, nil},
			{"resolve by another clerk", func() (kaiban.ClerkTask, error) {
				return s.ResolveClerkTask(t.Context(), "task-1", "clerk-b", resolution, resolvedAt)
			}, kaiban.ErrTaskNotClaimed, nil},
			{"resolve by the claimer", func() (kaiban.ClerkTask, error) {
				return s.ResolveClerkTask(t.Context(), "task-1", "clerk-a", resolution, resolvedAt)
			}, "", func(c kaiban.ClerkTask) bool {
				return c.Status == kaiban.TaskResolved && c.ResolvedBy == "clerk-a" && c.ResolvedAt.Equal(resolvedAt) &&
					c.Decision == kaiban.DecisionComplete && c.Note == resolution.Note && string(c.Data) == string(resolution.Data)
			}},
			{"resolve twice", func() (kaiban.ClerkTask, error) {
				return s.ResolveClerkTask(t.Context(), "task-1", "clerk-a", resolution, resolvedAt)
			}, kaiban.ErrTaskResolved, nil},
			{"claim a resolved task", func() (kaiban.ClerkTask, error) {
				c, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-b", resolvedAt)
				return c.ClerkTask, err
			}, kaiban.ErrTaskResolved, nil},
			{"claim unknown", func() (kaiban.ClerkTask, error) {
				c, err := s.ClaimClerkTask(t.Context(), "nope", "clerk-a", resolvedAt)
				return c.ClerkTask, err
			}, kaiban.ErrNotFound, nil},
			{"resolve unknown", func() (kaiban.ClerkTask, error) {
				return s.ResolveClerkTask(t.Context(), "nope", "clerk-a", resolution, resolvedAt)
			}, kaiban.ErrNotFound, nil},
		}
		for _, st := range steps {
			got, err := st.do()
			if st.wantErr != "" {
				if !kaiban.IsName(err, st.wantErr) {
					t.Errorf("%s: got %v, want %s", st.name, err, st.wantErr)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			stored, err := s.GetClerkTask(t.Context(), "task-1")
			if err != nil {
				t.Fatal(err)
			}
			if !st.check(got) || !st.check(stored) {
				t.Errorf("%s: returned %+v, stored %+v", st.name, got, stored)
			}
		}
		other, _ := s.GetClerkTask(t.Context(), "task-2")
		if other.Status != kaiban.TaskOpen {
			t.Errorf("the other task changed: %+v", other)
		}
	})

	t.Run("ConcurrentClaimsHaveOneWinner", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		MustCreateTask(t, s, Task("task-1", "app-1", "bank", T0, 0))
		const clerks = 10
		errs := make([]error, clerks)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range clerks {
			wg.Go(func() {
				<-start
				_, errs[i] = s.ClaimClerkTask(t.Context(), "task-1", fmt.Sprintf("clerk-%d", i), T0)
			})
		}
		close(start)
		wg.Wait()
		winners := 0
		for i, err := range errs {
			switch {
			case err == nil:
				winners++
				stored, _ := s.GetClerkTask(t.Context(), "task-1")
				if stored.ClaimedBy != fmt.Sprintf("clerk-%d", i) {
					t.Errorf("clerk-%d won but the task is claimed by %q", i, stored.ClaimedBy)
				}
			case !kaiban.IsName(err, kaiban.ErrTaskClaimed):
				t.Errorf("clerk-%d: %v, want nil or %s", i, err, kaiban.ErrTaskClaimed)
			}
		}
		if winners != 1 {
			t.Errorf("%d clerks won the claim, want exactly 1", winners)
		}
	})

	t.Run("QueueOrderFiltersAndRaise", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		MustCreate(t, s, "app-2", T0)
		h := func(n int) time.Time { return T0.Add(time.Duration(n) * time.Hour) }
		tasks := []kaiban.ClerkTask{
			Task("t-late", "app-1", "tax", h(5), 0),
			Task("t-soon", "app-1", "tax", h(1), 0),
			Task("t-urgent", "app-2", "bank", h(9), 10),
			Task("t-name", "app-2", "name", h(3), 0),
			Task("t-soon-later-created", "app-2", "tax", h(1), 0),
		}
		tasks[3].Kind = kaiban.TaskNameReview
		tasks[4].CreatedAt = T0.Add(time.Second)
		for _, task := range tasks {
			MustCreateTask(t, s, task)
		}
		if _, err := s.ClaimClerkTask(t.Context(), "t-late", "clerk-a", T0); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			f    kaiban.TaskFilter
			want []string
		}{
			{"all", kaiban.TaskFilter{}, []string{"t-urgent", "t-soon", "t-soon-later-created", "t-name", "t-late"}},
			{"open", kaiban.TaskFilter{Status: kaiban.TaskOpen}, []string{"t-urgent", "t-soon", "t-soon-later-created", "t-name"}},
			{"claimed", kaiban.TaskFilter{Status: kaiban.TaskClaimed}, []string{"t-late"}},
			{"resolved", kaiban.TaskFilter{Status: kaiban.TaskResolved}, nil},
			{"track", kaiban.TaskFilter{Track: "tax"}, []string{"t-soon", "t-soon-later-created", "t-late"}},
			{"status and track", kaiban.TaskFilter{Status: kaiban.TaskOpen, Track: "tax"}, []string{"t-soon", "t-soon-later-created"}},
			{"name review", kaiban.TaskFilter{Track: "name"}, []string{"t-name"}},
			{"limit", kaiban.TaskFilter{Status: kaiban.TaskOpen, Limit: 2}, []string{"t-urgent", "t-soon"}},
		}
		for _, tt := range tests {
			got, err := s.ListClerkTasks(t.Context(), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if ids := taskIDs(got); !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, ids, tt.want)
			}
		}

		// The watchdog raises the latest task above all others.
		if err := s.RaiseClerkTask(t.Context(), "t-name", 20); err != nil {
			t.Fatal(err)
		}
		got, err := s.ListClerkTasks(t.Context(), kaiban.TaskFilter{Status: kaiban.TaskOpen})
		if err != nil {
			t.Fatal(err)
		}
		if ids := taskIDs(got); !reflect.DeepEqual(ids, []string{"t-name", "t-urgent", "t-soon", "t-soon-later-created"}) {
			t.Errorf("after raise: %v", ids)
		}
		WantName(t, s.RaiseClerkTask(t.Context(), "nope", 1), kaiban.ErrNotFound)

		open1, err := s.OpenTasksFor(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		if ids := taskIDs(open1); !reflect.DeepEqual(ids, []string{"t-late", "t-soon"}) {
			t.Errorf("open tasks of app-1: %v", ids)
		}
		if _, err := s.ResolveClerkTask(t.Context(), "t-late", "clerk-a", kaiban.Resolution{Decision: kaiban.DecisionRetry}, T0); err != nil {
			t.Fatal(err)
		}
		open1, _ = s.OpenTasksFor(t.Context(), "app-1")
		if ids := taskIDs(open1); !reflect.DeepEqual(ids, []string{"t-soon"}) {
			t.Errorf("open tasks of app-1 after resolving t-late: %v", ids)
		}
		none, err := s.OpenTasksFor(t.Context(), "app-9")
		if err != nil || len(none) != 0 {
			t.Errorf("open tasks of an application without tasks: %v, %v", none, err)
		}
	})

	t.Run("LimitIsClamped", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		const n = kaiban.MaxListLimit + 5
		var wg sync.WaitGroup
		errs := make(chan error, n)
		sem := make(chan struct{}, 8)
		for i := range n {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				_, err := s.CreateClerkTask(t.Context(), Task(fmt.Sprintf("t-%03d", i), "app-1", "tax", T0.Add(time.Duration(i)*time.Minute), 0))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct{ limit, want int }{{0, kaiban.DefaultListLimit}, {-1, kaiban.DefaultListLimit}, {7, 7}, {10_000, kaiban.MaxListLimit}} {
			got, err := s.ListClerkTasks(t.Context(), kaiban.TaskFilter{Limit: tt.limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("limit %d: %d tasks, want %d", tt.limit, len(got), tt.want)
			}
			for i := range got {
				if got[i].ID != fmt.Sprintf("t-%03d", i) {
					t.Fatalf("limit %d: position %d is %s", tt.limit, i, got[i].ID)
				}
			}
		}
	})
}
