package dynamodb

import (
	"testing"

	"github.com/kaiban/kaiban/shared/storetest"
)

// BenchmarkCreateAnd10TrackUpdates is the stores' common workload
// against the local DynamoDB-API server: an idempotent create and ten
// versioned track updates. It measures the store plus the local server
// (moto is Python, and its client sends one request at a time), not
// DynamoDB itself. applications/s is 1e9 / ns/op.
func BenchmarkCreateAnd10TrackUpdates(b *testing.B) {
	storetest.BenchCreateAnd10TrackUpdates(b, MustOpen(b))
}
