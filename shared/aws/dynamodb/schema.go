package dynamodb

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Attribute and index names of the single-table design.
const (
	attrPK      = "PK"
	attrSK      = "SK"
	attrGSI1PK  = "GSI1PK"
	attrGSI1SK  = "GSI1SK"
	attrGSI2PK  = "GSI2PK"
	attrGSI2SK  = "GSI2SK"
	attrGSI3PK  = "GSI3PK"
	attrGSI3SK  = "GSI3SK"
	attrExpires = "expiresAt"
	indexQueue  = "GSI1"
	indexDue    = "GSI2"
	// indexResolved is sparse: resolved tasks by day and resolution time
	// (kaiban.TaskActivity).
	indexResolved = "GSI3"
)

// Schema is the table definition: the keys, the indexes and the TTL
// attribute. template.yaml must declare the same (a test compares them).
type Schema struct {
	AttributeDefinitions   []types.AttributeDefinition
	KeySchema              []types.KeySchemaElement
	GlobalSecondaryIndexes []types.GlobalSecondaryIndex
	TTLAttribute           string
	BillingMode            types.BillingMode
}

// TableSchema returns the table definition.
func TableSchema() Schema {
	key := func(pk, sk string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(pk), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange},
		}
	}
	str := func(name string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS}
	}
	return Schema{
		AttributeDefinitions: []types.AttributeDefinition{
			str(attrPK), str(attrSK), str(attrGSI1PK), str(attrGSI1SK), str(attrGSI2PK), str(attrGSI2SK),
			str(attrGSI3PK), str(attrGSI3SK),
		},
		KeySchema: key(attrPK, attrSK),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String(indexQueue), KeySchema: key(attrGSI1PK, attrGSI1SK),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}},
			{IndexName: aws.String(indexDue), KeySchema: key(attrGSI2PK, attrGSI2SK),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}},
			{IndexName: aws.String(indexResolved), KeySchema: key(attrGSI3PK, attrGSI3SK),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}},
		},
		TTLAttribute: attrExpires,
		BillingMode:  types.BillingModePayPerRequest,
	}
}

// CreateTable creates the store's table with TableSchema, waits until it is
// active and turns on TTL. For tests and local set-ups; on AWS the table
// comes from template.yaml. An existing table is left as it is. The
// store's client must implement TableAPI (a *dynamodb.Client does);
// otherwise CreateTable fails with ErrConfig.
func (s *Store) CreateTable(ctx context.Context) error {
	db, ok := s.db.(TableAPI)
	if !ok {
		return kaiban.Errorf(kaiban.ErrConfig, "the store's DynamoDB client cannot create tables (it does not implement TableAPI)")
	}
	sc := TableSchema()
	_, err := db.CreateTable(ctx, &ddb.CreateTableInput{
		TableName:              aws.String(s.table),
		AttributeDefinitions:   sc.AttributeDefinitions,
		KeySchema:              sc.KeySchema,
		GlobalSecondaryIndexes: sc.GlobalSecondaryIndexes,
		BillingMode:            sc.BillingMode,
	})
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return storeErr(err, "cannot create the table")
	}
	for {
		out, err := db.DescribeTable(ctx, &ddb.DescribeTableInput{TableName: aws.String(s.table)})
		if err != nil {
			return storeErr(err, "cannot describe the table")
		}
		if out.Table != nil && out.Table.TableStatus == types.TableStatusActive {
			break
		}
		select {
		case <-ctx.Done():
			return kaiban.Wrap(kaiban.ErrStoreUnavailable, ctx.Err(), "the table did not become active")
		case <-time.After(100 * time.Millisecond):
		}
	}
	_, err = db.UpdateTimeToLive(ctx, &ddb.UpdateTimeToLiveInput{
		TableName: aws.String(s.table),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(sc.TTLAttribute), Enabled: aws.Bool(true),
		},
	})
	// ValidationException: TTL is already on. UnknownOperationException:
	// a test server without TTL; expired idempotency records are then
	// ignored by CreateApplication rather than deleted, which is all a test
	// needs.
	if err != nil && !isAPIError(err, "ValidationException") && !isAPIError(err, "UnknownOperationException") {
		return storeErr(err, "cannot enable TTL")
	}
	return nil
}
