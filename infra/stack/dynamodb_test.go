package stack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// needDynamoDB starts a DynamoDB-API server for the test (moto_server, or
// DYNAMODB_ENDPOINT); without one the test is skipped, and fails under CI.
func needDynamoDB(t *testing.T) string {
	t.Helper()
	srv, err := dynamotest.Start(t.Context())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and there is no DynamoDB-API server (install moto): %v", err)
		}
		t.Skipf("SKIPPED: no DynamoDB-API server (install moto): %v", err)
	}
	t.Cleanup(srv.Stop)
	return srv.Endpoint
}

// startDynamo starts a stack with instant simulators on the DynamoDB store.
func startDynamo(dir, endpoint, table string) (*Stack, error) {
	return startSigning(Config{
		DataDir: dir, Store: StoreDynamoDB, DynamoDBEndpoint: endpoint, DynamoDBTable: table,
		Profile: sim.Instant(), WatchdogEvery: -1, AgencyTimeout: 2 * time.Second,
	})
}

// The stack on the DynamoDB store: the table is created on first start,
// the example completes with all seven tracks and a trail that verifies,
// nothing of the store lands in the data directory, a restart on the same
// table finds the application, and a start on a blank table beside the
// engine's executions is refused, naming the table and what to restore.
func TestStackOnDynamoDB(t *testing.T) {
	endpoint := needDynamoDB(t)
	dir, table := t.TempDir(), dynamotest.TableName("stack")

	st, err := startDynamo(dir, endpoint, table)
	if err != nil {
		t.Fatalf("starting on DynamoDB: %v", err)
	}
	id := submitTo(t, st)
	deadline := time.Now().Add(60 * time.Second)
	var app *kaiban.Application
	for {
		app, err = st.Store.GetApplication(context.Background(), id)
		if err == nil && app.Status == kaiban.AppCompleted {
			break
		}
		if time.Now().After(deadline) {
			st.Close()
			t.Fatalf("the application did not complete on DynamoDB: %+v %v", app, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, tr := range app.Tracks {
		if tr.Status != kaiban.TrackSucceeded {
			t.Errorf("track %s: %s", tr.Name, tr.Status)
		}
	}
	if len(app.Tracks) != len(kaiban.Tracks) {
		t.Errorf("%d tracks, want %d", len(app.Tracks), len(kaiban.Tracks))
	}
	if err := st.Store.VerifyAudit(context.Background(), id); err != nil {
		t.Errorf("audit trail: %v", err)
	}
	if code, body := clerkView(t, st, id); code != 200 || !strings.Contains(body, id) {
		t.Errorf("clerk view: HTTP %d %.200s", code, body)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "kaiban.db")); !os.IsNotExist(err) {
		t.Errorf("kaiban.db in the data directory of a DynamoDB stack (%v)", err)
	}

	st, err = startDynamo(dir, endpoint, table)
	if err != nil {
		t.Fatalf("restarting on the same table: %v", err)
	}
	if got, err := st.Store.GetApplication(context.Background(), id); err != nil || got.Status != kaiban.AppCompleted {
		t.Errorf("after the restart: %+v %v", got, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	blank := dynamotest.TableName("blank")
	if st, err := startDynamo(dir, endpoint, blank); err == nil {
		st.Close()
		t.Fatal("the stack started on a blank table beside the engine's executions")
	} else if !kaiban.IsName(err, kaiban.ErrStoreCorrupt) || !strings.Contains(err.Error(), "holds no applications") ||
		!strings.Contains(err.Error(), blank) || !strings.Contains(err.Error(), "Restore the table") {
		t.Errorf("error %q: want ErrStoreCorrupt naming the table and what to restore", err)
	}
}

// A store the stack does not know, or DynamoDB without an endpoint, is a
// configuration error before anything is opened.
func TestStoreChoiceIsChecked(t *testing.T) {
	cases := []struct{ store, endpoint, want string }{
		{"postgres", "", "unknown store"},
		{StoreDynamoDB, "", "needs an endpoint"},
	}
	for _, c := range cases {
		t.Run(c.store, func(t *testing.T) {
			st, err := Start(context.Background(), Config{DataDir: t.TempDir(), Store: c.store, DynamoDBEndpoint: c.endpoint, Profile: sim.Instant(), WatchdogEvery: -1})
			if err == nil {
				st.Close()
				t.Fatal("started")
			}
			if !kaiban.IsName(err, kaiban.ErrConfig) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q: want ErrConfig saying %q", err, c.want)
			}
		})
	}
}
