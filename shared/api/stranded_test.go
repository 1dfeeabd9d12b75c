package api_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
	"github.com/kaiban/kaiban/shared/tracks"
)

// A submission stored while Step Functions refuses to start its execution
// is accepted (its applicant has an ID and a token, and no reason to submit
// a second one), and the reconciler starts it after the grace period.
func TestSubmissionAcceptedWhileWorkflowDownIsStartedByTheReconciler(t *testing.T) {
	e := newEnv(t)
	e.exec.startErr = errors.New("connection refused")
	s := e.submit(t, nil, string(validForm(t))) // asserts the 202
	if len(e.exec.starts) != 0 {
		t.Fatalf("started %+v while Step Functions refused", e.exec.starts)
	}
	e.exec.startErr = nil

	later := submissionTime.Add(tracks.ReconcileGrace + time.Second)
	svc := tracks.New(tracks.Deps{Store: e.store, Agencies: &agency.Clients{}, Now: func() time.Time { return later },
		Executions: sfnworkflow.New(e.exec, testMachine)})
	rep, err := svc.Reconcile(t.Context(), tracks.ReconcileScope{Submitted: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Started != 1 || len(e.exec.starts) != 1 || aws.ToString(e.exec.starts[0].Name) != s.ID {
		t.Fatalf("reconciler report %+v, starts %+v; want %s started", rep, e.exec.starts, s.ID)
	}
	if in := aws.ToString(e.exec.starts[0].Input); !strings.Contains(in, s.ID) {
		t.Errorf("execution input %s, want the application ID", in)
	}
	app, err := e.store.GetApplication(t.Context(), s.ID)
	if err != nil || app.Status != kaiban.AppSubmitted {
		t.Fatalf("application %v %v", app, err)
	}
}
