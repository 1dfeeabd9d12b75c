package dynamodb

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// storeErr turns an error from the SDK into a *kaiban.Error, keeping the
// cause for logs; msg is what a client may see. *kaiban.Error values pass
// through.
func storeErr(err error, msg string) error {
	if err == nil {
		return nil
	}
	var ke *kaiban.Error
	if errors.As(err, &ke) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "request cancelled")
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		code := api.ErrorCode()
		switch {
		case code == "ValidationException" && strings.Contains(strings.ToLower(api.ErrorMessage()), "size"):
			return kaiban.Wrap(kaiban.ErrInput, err, "the item is larger than the store accepts")
		case code == "ResourceNotFoundException":
			return kaiban.Wrap(kaiban.ErrConfig, err, "the DynamoDB table does not exist")
		case strings.Contains(code, "Throughput"), strings.Contains(code, "Throttl"), code == "RequestLimitExceeded",
			code == "InternalServerError", code == "ServiceUnavailable", code == "TransactionConflictException":
			return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, msg)
		case api.ErrorFault() == smithy.FaultServer:
			return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, msg)
		}
		return kaiban.Wrap(kaiban.ErrInternal, err, msg)
	}
	// Anything else failed before DynamoDB answered: the network, the
	// endpoint, credentials.
	return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, msg)
}

// isConditionFailed reports whether a conditional write was refused.
func isConditionFailed(err error) bool {
	var cf *types.ConditionalCheckFailedException
	return errors.As(err, &cf) || isAPIError(err, "ConditionalCheckFailedException")
}

// conditionFailure reports whether err is a refused condition, with the
// item as it was when the write asked for it (ReturnValuesOnConditionCheckFailure).
func conditionFailure(err error) (map[string]types.AttributeValue, bool) {
	var cf *types.ConditionalCheckFailedException
	if errors.As(err, &cf) {
		return cf.Item, true
	}
	return nil, isAPIError(err, "ConditionalCheckFailedException")
}

func isAPIError(err error, code string) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == code
}
