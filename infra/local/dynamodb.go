package main

import (
	"context"
	"fmt"

	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamoserver"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// dynamoDB is the DynamoDB-API server of `--store dynamodb`: the one at
// --dynamodb-endpoint, or a moto_server this process started (started set)
// and stops when the stack has closed.
type dynamoDB struct {
	endpoint string
	started  *dynamoserver.Server
}

// dynamoDBFor connects to or starts the server the flags ask for; for
// SQLite there is none.
func dynamoDBFor(ctx context.Context, store, endpoint string) (*dynamoDB, error) {
	switch store {
	case stack.StoreSQLite:
		if endpoint != "" {
			return nil, fmt.Errorf("--dynamodb-endpoint is for --store %s", stack.StoreDynamoDB)
		}
		return &dynamoDB{}, nil
	case stack.StoreDynamoDB:
	default:
		return nil, fmt.Errorf("--store %q: want %s or %s", store, stack.StoreSQLite, stack.StoreDynamoDB)
	}
	if endpoint != "" {
		return &dynamoDB{endpoint: endpoint}, nil // the stack checks it answers
	}
	srv, err := dynamoserver.Start(ctx)
	if err != nil {
		return nil, fmt.Errorf("--store dynamodb without --dynamodb-endpoint starts moto_server (pip install 'moto[server]'), which failed: %w", err)
	}
	return &dynamoDB{endpoint: srv.Endpoint, started: srv}, nil
}

// stop ends the server this process started, if any.
func (d *dynamoDB) stop() {
	if d != nil && d.started != nil {
		d.started.Stop()
	}
}

// explain adds to a refused start on a server this process started that
// its tables began empty: the data directory's engine history belongs to a
// table that ended with an earlier server.
func (d *dynamoDB) explain(err error) error {
	if d.started == nil || !kaiban.IsName(err, kaiban.ErrStoreCorrupt) {
		return err
	}
	return fmt.Errorf("%w\n(the moto_server this stack started at %s has an empty table: moto keeps its tables in memory, so nothing of an earlier run is there. "+
		"Use a fresh --data directory, or run moto_server yourself and pass --dynamodb-endpoint to resume across restarts)", err, d.endpoint)
}

// label describes the store for the start banner.
func (d *dynamoDB) label(store string) string {
	switch {
	case store != stack.StoreDynamoDB:
		return "SQLite in the data directory"
	case d.started != nil:
		return fmt.Sprintf("DynamoDB on %s at %s, started for this run: its tables end with it", d.started.Name, d.endpoint)
	default:
		return "DynamoDB at " + d.endpoint
	}
}
