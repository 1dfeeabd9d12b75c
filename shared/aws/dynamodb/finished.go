package dynamodb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// notFinished is the condition that keeps a finished application's status
// final (kaiban.FinishedRefusal) in the write itself: the item's status is
// not terminal, or is the one u writes. It is nil when u sets no status,
// which a finished application still takes.
func notFinished(u kaiban.ApplicationUpdate) *expression.ConditionBuilder {
	if u.Status == "" {
		return nil
	}
	status := expression.Name("status")
	c := expression.Not(status.In(expression.Value(string(kaiban.AppCompleted)), expression.Value(string(kaiban.AppRejected)))).
		Or(status.Equal(expression.Value(string(u.Status))))
	return &c
}

// refusal explains a failed condition of an application update from the
// item as it was (old, or read again when the server returned none):
// ErrNotFound for a missing item, ErrApplicationFinished for a finished
// one, and nil when neither holds (only the audit head had moved).
func (s *Store) refusal(ctx context.Context, id string, u kaiban.ApplicationUpdate, old map[string]types.AttributeValue) error {
	var it appItem
	if len(old) == 0 {
		var err error
		if it, err = s.getAppItem(ctx, id); err != nil {
			return err
		}
	} else if err := unmarshal(old, &it); err != nil {
		return err
	}
	return kaiban.FinishedRefusal(id, kaiban.AppStatus(it.Status), u)
}
