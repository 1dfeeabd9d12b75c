// Package dynamodb is the kaiban.Store on Amazon DynamoDB: one table,
// conditional writes, and TransactWriteItems wherever a change and its
// audit event touch more than one item, so an audited change is never
// stored without its event. It runs on DynamoDB, DynamoDB Local and moto
// (not on dynalite, which has no transactions).
//
// # Single-table design
//
//	item                PK               SK                    GSI1 (queue)                 GSI2 (deadlines, sparse)
//	application         APP#<id>         META                  -                            DUE#<shard>  / <deadline>  while not COMPLETED/REJECTED
//	audit event         APP#<id>         AUDIT#<seq, 20 digits> -                           -
//	idempotency record  IDEM#<key>       IDEM                  -                            -
//	clerk task          TASK#<id>        TASK                  TASKS#<status> / <order>     APPTASKS#<app> / <created>#<id>  while unresolved
//
// The application item holds the form (JSON; ID numbers and mobiles sealed
// client-side when the Store has a pii.Sealer), the access token's SHA-256,
// the seven tracks as a map (each with its own version, so writers of
// different tracks never conflict), and the head of the audit chain
// (auditSeq, auditHash, auditMac: the head's signature under the audit
// key, and auditPending: the event being appended).
// Idempotency records expire through the table's TTL attribute expiresAt.
//
// GSI1 (projection ALL) is the clerk queue: partition TASKS#<status>, sort
// key <MaxPriority-priority, 10 digits>#<deadline>#<created>#<id>, so one
// ascending Query returns a status in queue order and several statuses
// merge by comparing sort keys. GSI2 (KEYS_ONLY, overloaded) has two sparse
// uses: the SLA watchdog's scan of open applications by deadline, spread
// over dueShards partitions so no one partition takes every write, and the
// unresolved tasks of one application. Readers fetch the items behind GSI2
// keys with consistent reads, so a stale index entry never returns stale
// data.
//
// Times are stored as fixed-width UTC strings (nanoseconds), so they sort
// as strings and round-trip exactly.
//
// # Writes
//
//   - Idempotent creation: one TransactWriteItems puts the idempotency
//     record (attribute_not_exists, or expired), the application item
//     (attribute_not_exists) with its audit head, and the first audit
//     event; a replaying caller finds the record refused and reads the
//     application the record names.
//   - Tracks: UpdateItem with the condition tracks.<name>.version = :read.
//   - Clerk tasks: conditional UpdateItem on status (and claimedBy).
//   - Audit: the head on the application item is the point of commit. An
//     append advances auditSeq from N to N+1 conditionally and stores the
//     event in auditPending in the same write; it then puts the event item
//     and clears auditPending. An append or read that finds auditPending
//     settles it first, so a crash between the two writes loses nothing and
//     a reader never sees a fork. An audited change of the application item
//     (a track, the status) is part of that same UpdateItem; an audited
//     change of a task is a TransactWriteItems of the task's write and the
//     head's move.
//
// # Personal data
//
// On AWS the table is encrypted at rest with KMS (template.yaml). New also
// accepts a pii.Sealer to seal ID numbers and mobiles before they leave the
// process, as the SQLite store does; we recommend it, because KMS at rest
// does not keep the numbers from anyone who can read the table, its
// backups or its exports.
package dynamodb

import (
	"context"
	"sync/atomic"
	"time"

	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/pii"
)

// API is the part of the DynamoDB client the store's reads and writes use;
// *dynamodb.Client implements it. The table operations are a separate
// interface, TableAPI, which only CreateTable needs: the Go linker keeps
// the serializers of every type reachable from an interface's method set,
// and the table descriptions CreateTable and DescribeTable return are among
// the largest in the SDK, so leaving them out of API keeps them out of the
// Lambda bootstraps, which never create tables.
type API interface {
	GetItem(ctx context.Context, in *ddb.GetItemInput, opts ...func(*ddb.Options)) (*ddb.GetItemOutput, error)
	PutItem(ctx context.Context, in *ddb.PutItemInput, opts ...func(*ddb.Options)) (*ddb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *ddb.UpdateItemInput, opts ...func(*ddb.Options)) (*ddb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *ddb.DeleteItemInput, opts ...func(*ddb.Options)) (*ddb.DeleteItemOutput, error)
	Query(ctx context.Context, in *ddb.QueryInput, opts ...func(*ddb.Options)) (*ddb.QueryOutput, error)
	Scan(ctx context.Context, in *ddb.ScanInput, opts ...func(*ddb.Options)) (*ddb.ScanOutput, error)
	// TransactWriteItems commits an audited change and its event together.
	TransactWriteItems(ctx context.Context, in *ddb.TransactWriteItemsInput, opts ...func(*ddb.Options)) (*ddb.TransactWriteItemsOutput, error)
}

// TableAPI is the part of the DynamoDB client CreateTable uses, on top of
// API; *dynamodb.Client implements it.
type TableAPI interface {
	API
	CreateTable(ctx context.Context, in *ddb.CreateTableInput, opts ...func(*ddb.Options)) (*ddb.CreateTableOutput, error)
	DescribeTable(ctx context.Context, in *ddb.DescribeTableInput, opts ...func(*ddb.Options)) (*ddb.DescribeTableOutput, error)
	UpdateTimeToLive(ctx context.Context, in *ddb.UpdateTimeToLiveInput, opts ...func(*ddb.Options)) (*ddb.UpdateTimeToLiveOutput, error)
}

var _ TableAPI = (*ddb.Client)(nil)

// IdempotencyTTL is how long an idempotency key is remembered.
const IdempotencyTTL = 24 * time.Hour

// Store is a kaiban.Store on one DynamoDB table. It is safe for concurrent
// use; build it once per process (the client is reused by every call).
type Store struct {
	db    API
	table string
	seal  *pii.Sealer // nil: personal data is protected by KMS at rest only
	// auditKey chains and verifies the audit trail (UseAuditKey).
	auditKey kaiban.AuditKey
	now      func() time.Time
	closed   atomic.Bool

	// auditAttempts bounds the tries of a write that keeps losing the race
	// for the audit head (maxAuditAttempts; tests that make every write
	// lose it lower it).
	auditAttempts int
}

var _ kaiban.Store = (*Store)(nil)

// New returns a store on table. sealer may be nil (see the package
// comment).
func New(client API, table string, sealer *pii.Sealer) *Store {
	return &Store{db: client, table: table, seal: sealer, now: time.Now, auditAttempts: maxAuditAttempts}
}

// Close makes later calls fail with ErrStoreUnavailable. The client is the
// caller's and stays open.
func (s *Store) Close() error {
	s.closed.Store(true)
	return nil
}

func (s *Store) check(ctx context.Context) error {
	if s.closed.Load() {
		return kaiban.Errorf(kaiban.ErrStoreUnavailable, "the store is closed")
	}
	if err := ctx.Err(); err != nil {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "request cancelled")
	}
	return nil
}
