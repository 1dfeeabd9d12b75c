// Package dynamotest gives tests a DynamoDB-API server: the one named by
// DYNAMODB_ENDPOINT, or one package dynamoserver starts on 127.0.0.1; and
// a table name of their own on it.
package dynamotest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamoserver"
)

// EnvEndpoint names an already running server to use instead of starting
// one.
const EnvEndpoint = "DYNAMODB_ENDPOINT"

// Server is a running DynamoDB-API server.
type Server = dynamoserver.Server

// Start returns the server named by DYNAMODB_ENDPOINT, or starts one (see
// dynamoserver.Start). The error says why no server could be had.
func Start(ctx context.Context) (*Server, error) {
	if ep := os.Getenv(EnvEndpoint); ep != "" {
		return dynamoserver.Connect(ctx, ep)
	}
	return dynamoserver.Start(ctx)
}

var tableSeq atomic.Int64

// TableName returns a table name no other test in this process uses.
func TableName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), tableSeq.Add(1))
}
