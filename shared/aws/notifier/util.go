package notifier

import (
	"errors"
	"strconv"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// conditionFailed reports whether a conditional put found the item there.
func conditionFailed(err error) bool {
	var cf *ddbtypes.ConditionalCheckFailedException
	var api smithy.APIError
	return errors.As(err, &cf) || (errors.As(err, &api) && api.ErrorCode() == "ConditionalCheckFailedException")
}
