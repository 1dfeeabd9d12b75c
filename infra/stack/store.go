package stack

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/kaiban/kaiban/infra/stack/sqlite"
	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamoserver"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/pii"
)

// The stores the stack can keep its applications in (Config.Store).
const (
	// StoreSQLite is kaiban.db in the data directory.
	StoreSQLite = "sqlite"
	// StoreDynamoDB is a table on a DynamoDB-API server, the store the
	// functions use on AWS.
	StoreDynamoDB = "dynamodb"
)

// DefaultDynamoDBTable is the table the stack uses when Config names none.
const DefaultDynamoDBTable = "kaiban"

// openedStore is the store Start opened. sqlite is set for the SQLite
// store, which alone defers its checkpoints under load.
type openedStore struct {
	kaiban.Store
	sqlite *sqlite.Store
}

// openStore opens the store cfg names, with the PII key and the audit key
// as the functions use them on AWS, and checks it is paired with the
// engine's history in the data directory.
func openStore(ctx context.Context, cfg Config, piiKey []byte, auditKey kaiban.AuditKey) (openedStore, error) {
	switch cfg.Store {
	case "", StoreSQLite:
		if !cfg.InProcess { // InProcess keeps the engine in memory: no engine.db to pair with
			if err := checkPairing(ctx, cfg.DataDir); err != nil {
				return openedStore{}, err
			}
		}
		st, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "kaiban.db"), piiKey)
		if err != nil {
			return openedStore{}, fmt.Errorf("opening the store: %w", err)
		}
		st.UseAuditKey(auditKey)
		return openedStore{Store: st, sqlite: st}, nil
	case StoreDynamoDB:
		return openDynamoDB(ctx, cfg, piiKey, auditKey)
	default:
		return openedStore{}, kaiban.Errorf(kaiban.ErrConfig, "unknown store %q: want %s or %s", cfg.Store, StoreSQLite, StoreDynamoDB)
	}
}

// openDynamoDB opens the table on the server at cfg.DynamoDBEndpoint,
// creating it (keys, indexes, TTL as template.yaml declares them) if it is
// missing.
func openDynamoDB(ctx context.Context, cfg Config, piiKey []byte, auditKey kaiban.AuditKey) (openedStore, error) {
	if cfg.DynamoDBEndpoint == "" {
		return openedStore{}, kaiban.Errorf(kaiban.ErrConfig, "the DynamoDB store needs an endpoint (Config.DynamoDBEndpoint)")
	}
	table := cfg.DynamoDBTable
	if table == "" {
		table = DefaultDynamoDBTable
	}
	srv, err := dynamoserver.Connect(ctx, cfg.DynamoDBEndpoint)
	if err != nil {
		return openedStore{}, kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot reach the DynamoDB store")
	}
	sealer, err := pii.New(piiKey)
	if err != nil {
		return openedStore{}, err
	}
	st := dynamodb.New(srv.Client(), table, sealer).UseAuditKey(auditKey)
	if err := st.CreateTable(ctx); err != nil {
		return openedStore{}, fmt.Errorf("preparing the table %s at %s: %w", table, cfg.DynamoDBEndpoint, err)
	}
	if !cfg.InProcess {
		where := fmt.Sprintf("the table %s at %s", table, cfg.DynamoDBEndpoint)
		if err := checkStorePairing(ctx, st, where, cfg.DataDir); err != nil {
			st.Close()
			return openedStore{}, err
		}
	}
	return openedStore{Store: st}, nil
}
