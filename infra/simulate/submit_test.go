package simulate

import (
	"context"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/workflow/engine"
)

// The day submits through the application service, as the API does: the
// application and its audit record verify, its execution is named by the
// day's ID, and the applicant's credential is a random access token, not
// the ID.
func TestSubmissionIsTheServices(t *testing.T) {
	ctx := context.Background()
	clock := engine.NewVirtualClock(DayStart)
	d := &day{cfg: Config{Seed: 1, Applications: 1}, clock: clock, ids: []string{applicationID(1, 0, DayStart)}}
	st, err := stack.Start(ctx, stack.Config{DataDir: t.TempDir(), Profile: sim.Instant(), Clock: clock, WatchdogEvery: -1,
		InProcess: true, NewApplicationID: func(time.Time) string { return d.ids[d.next] }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	d.svc = st
	hold, release := engine.WithHold(ctx, clock)
	arn, err := d.submit(hold, 0)
	release()
	if err != nil {
		t.Fatal(err)
	}
	id := d.ids[0]
	if _, err := st.Engine.DescribeExecution(ctx, arn); err != nil {
		t.Errorf("execution %s: %v", arn, err)
	}
	if err := st.Store.CheckAccessToken(ctx, id, id); err == nil {
		t.Error("the application ID opens the application: it is its access token")
	}
	app, err := st.Store.GetApplication(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ver, err := kaiban.VerifyApplication(ctx, st.Store, app); err != nil || !ver.Intact() {
		t.Errorf("audit trail: %+v %v", ver.Problems, err)
	}
}
