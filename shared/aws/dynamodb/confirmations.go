package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Confirmations = (*Store)(nil)

// A confirmation lives in its application's partition (SK CONF#<seq>); an
// identity verification in the person's own (PK PERSON#<key>), expired by
// the table's TTL once it can no longer be reused.
const (
	skConfirm    = "CONF#"
	skIdentity   = "IDENTITY"
	kindConfirm  = "CONF"
	kindIdentity = "IDENTITY"
)

func confirmSK(seq int) string   { return fmt.Sprintf("%s%05d", skConfirm, seq) }
func personPK(key string) string { return "PERSON#" + key }

// confirmItem is one confirmation.
type confirmItem struct {
	PK            string                  `dynamodbav:"PK"`
	SK            string                  `dynamodbav:"SK"`
	Kind          string                  `dynamodbav:"kind"`
	ApplicationID string                  `dynamodbav:"applicationId"`
	Seq           int                     `dynamodbav:"seq"`
	PersonKey     string                  `dynamodbav:"personKey"`
	Roles         []kaiban.PersonRole     `dynamodbav:"roles"`
	TokenHash     []byte                  `dynamodbav:"tokenHash"`
	State         string                  `dynamodbav:"state"`
	CreatedAt     string                  `dynamodbav:"createdAt"`
	ExpiresAt     string                  `dynamodbav:"confirmBy"` // not the TTL attribute: the record outlives its window
	VerifiedAt    string                  `dynamodbav:"verifiedAt,omitempty"`
	DecidedAt     string                  `dynamodbav:"decidedAt,omitempty"`
	DeclineReason string                  `dynamodbav:"declineReason,omitempty"`
	Signature     *kaiban.SignatureRecord `dynamodbav:"signature,omitempty"`
}

func newConfirmItem(c kaiban.Confirmation) confirmItem {
	return confirmItem{
		PK: appPK(c.ApplicationID), SK: confirmSK(c.Seq), Kind: kindConfirm, ApplicationID: c.ApplicationID, Seq: c.Seq,
		PersonKey: c.PersonKey, Roles: c.Roles, TokenHash: c.TokenHash[:], State: string(c.State),
		CreatedAt: fmtTime(c.CreatedAt), ExpiresAt: fmtTime(c.ExpiresAt), VerifiedAt: fmtTimePtr(c.VerifiedAt),
		DecidedAt: fmtTimePtr(c.DecidedAt), DeclineReason: c.DeclineReason, Signature: c.Signature,
	}
}

func (it confirmItem) confirmation() (kaiban.Confirmation, error) {
	c := kaiban.Confirmation{
		ApplicationID: it.ApplicationID, Seq: it.Seq, PersonKey: it.PersonKey, Roles: it.Roles,
		State: kaiban.ConfirmState(it.State), DeclineReason: it.DeclineReason, Signature: it.Signature,
	}
	if len(it.TokenHash) != len(c.TokenHash) {
		return c, kaiban.Errorf(kaiban.ErrStoreCorrupt, "a stored confirmation is unreadable")
	}
	copy(c.TokenHash[:], it.TokenHash)
	var err error
	if c.CreatedAt, err = parseTime(it.CreatedAt); err != nil {
		return c, err
	}
	if c.ExpiresAt, err = parseTime(it.ExpiresAt); err != nil {
		return c, err
	}
	if c.VerifiedAt, err = parseTimePtr(it.VerifiedAt); err != nil {
		return c, err
	}
	c.DecidedAt, err = parseTimePtr(it.DecidedAt)
	return c, err
}

// CreateConfirmations implements kaiban.Confirmations. Each confirmation is
// a conditional Put, so a retried creation (or one cut short) keeps what
// was written first and fills in only what is missing.
func (s *Store) CreateConfirmations(ctx context.Context, cs []kaiban.Confirmation) ([]kaiban.Confirmation, error) {
	if err := kaiban.CheckConfirmations(cs); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	id := cs[0].ApplicationID
	if _, err := s.getAppItem(ctx, id); err != nil {
		return nil, err
	}
	existing, err := s.ListConfirmations(ctx, id)
	if err != nil || len(existing) == len(cs) {
		return existing, err
	}
	for _, c := range cs {
		item, err := marshal(newConfirmItem(c))
		if err != nil {
			return nil, err
		}
		if err := checkSize(item); err != nil {
			return nil, err
		}
		_, err = s.db.PutItem(ctx, &ddb.PutItemInput{
			TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)"),
		})
		if err != nil && !isConditionFailed(err) {
			return nil, storeErr(err, "cannot store the confirmations")
		}
	}
	return s.ListConfirmations(ctx, id)
}

// GetConfirmation implements kaiban.Confirmations.
func (s *Store) GetConfirmation(ctx context.Context, applicationID string, seq int) (kaiban.Confirmation, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.Confirmation{}, err
	}
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return kaiban.Confirmation{}, kaiban.Errorf(kaiban.ErrNotFound, "confirmation not found")
	}
	var it confirmItem
	found, err := s.getItem(ctx, appPK(applicationID), confirmSK(seq), &it)
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	if !found {
		return kaiban.Confirmation{}, kaiban.Errorf(kaiban.ErrNotFound, "confirmation not found")
	}
	return it.confirmation()
}

// ListConfirmations implements kaiban.Confirmations.
func (s *Store) ListConfirmations(ctx context.Context, applicationID string) ([]kaiban.Confirmation, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	var out []kaiban.Confirmation
	err := s.queryPrefix(ctx, appPK(applicationID), skConfirm, "the confirmations", func(m map[string]types.AttributeValue) error {
		var it confirmItem
		if err := unmarshal(m, &it); err != nil {
			return err
		}
		c, err := it.confirmation()
		if err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// confirmUpdate is the transaction item updating one confirmation.
func (s *Store) confirmUpdate(applicationID string, seq int, expr expression.Expression) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.table), Key: key(appPK(applicationID), confirmSK(seq)),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}}
}

// VerifyConfirmation implements kaiban.Confirmations: the conditional
// update (still PENDING) and the audit head's move are one
// TransactWriteItems.
func (s *Store) VerifyConfirmation(ctx context.Context, applicationID string, seq int, at time.Time, e kaiban.AuditEvent) (kaiban.Confirmation, error) {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Confirmation{}, err
	}
	c, err := s.GetConfirmation(ctx, applicationID, seq)
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	switch c.State {
	case kaiban.ConfirmVerified:
		return c, nil
	case kaiban.ConfirmSigned, kaiban.ConfirmDeclined:
		return kaiban.Confirmation{}, kaiban.Errorf(kaiban.ErrConfirmationDecided, "this confirmation is already decided")
	}
	expr, err := expression.NewBuilder().
		WithUpdate(expression.Set(expression.Name("state"), expression.Value(string(kaiban.ConfirmVerified))).
			Set(expression.Name("verifiedAt"), expression.Value(fmtTime(at)))).
		WithCondition(expression.Name("state").Equal(expression.Value(string(kaiban.ConfirmPending)))).Build()
	if err != nil {
		return kaiban.Confirmation{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	err = s.txWithAudit(ctx, e, s.confirmUpdate(applicationID, seq, expr))
	if errors.Is(err, errRefused) {
		return s.VerifyConfirmation(ctx, applicationID, seq, at, e) // changed meanwhile: answer from what it is now
	}
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	at = at.UTC()
	c.State, c.VerifiedAt = kaiban.ConfirmVerified, &at
	return c, nil
}

// DecideConfirmation implements kaiban.Confirmations: the conditional
// update (still VERIFIED) and the audit head's move are one
// TransactWriteItems, so of two decisions exactly one commits.
func (s *Store) DecideConfirmation(ctx context.Context, applicationID string, seq int, d kaiban.ConfirmDecision, e kaiban.AuditEvent) (kaiban.Confirmation, error) {
	if err := kaiban.CheckConfirmDecision(d); err != nil {
		return kaiban.Confirmation{}, err
	}
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Confirmation{}, err
	}
	c, err := s.GetConfirmation(ctx, applicationID, seq)
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	next, err := kaiban.ApplyDecision(c, d)
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	upd := expression.Set(expression.Name("state"), expression.Value(string(next.State))).
		Set(expression.Name("decidedAt"), expression.Value(fmtTimePtr(next.DecidedAt)))
	if next.Signature != nil {
		upd = upd.Set(expression.Name("signature"), expression.Value(next.Signature))
	} else {
		upd = upd.Set(expression.Name("declineReason"), expression.Value(next.DeclineReason))
	}
	expr, err := expression.NewBuilder().WithUpdate(upd).
		WithCondition(expression.Name("state").Equal(expression.Value(string(kaiban.ConfirmVerified)))).Build()
	if err != nil {
		return kaiban.Confirmation{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	err = s.txWithAudit(ctx, e, s.confirmUpdate(applicationID, seq, expr))
	if errors.Is(err, errRefused) {
		return kaiban.Confirmation{}, kaiban.Errorf(kaiban.ErrConfirmationDecided, "this confirmation is already decided")
	}
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	return next, nil
}

// identityItem is a person's newest identity verification.
type identityItem struct {
	PK         string `dynamodbav:"PK"`
	SK         string `dynamodbav:"SK"`
	Kind       string `dynamodbav:"kind"`
	VerifiedAt string `dynamodbav:"verifiedAt"`
	ExpiresAt  int64  `dynamodbav:"expiresAt"` // epoch seconds, the table's TTL attribute
}

// RememberIdentity implements kaiban.Confirmations: a Put that only
// replaces an older verification.
func (s *Store) RememberIdentity(ctx context.Context, v kaiban.IdentityVerification) error {
	if v.PersonKey == "" || len(v.PersonKey) > 128 || v.VerifiedAt.IsZero() {
		return kaiban.Errorf(kaiban.ErrInput, "a verification has a person and a time")
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	it := identityItem{PK: personPK(v.PersonKey), SK: skIdentity, Kind: kindIdentity, VerifiedAt: fmtTime(v.VerifiedAt),
		ExpiresAt: v.VerifiedAt.Add(kaiban.IdentityReuse).Unix()}
	item, err := marshal(it)
	if err != nil {
		return err
	}
	cond := expression.AttributeNotExists(expression.Name(attrPK)).
		Or(expression.Name("verifiedAt").LessThan(expression.Value(it.VerifiedAt)))
	expr, err := expression.NewBuilder().WithCondition(cond).Build()
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the condition")
	}
	_, err = s.db.PutItem(ctx, &ddb.PutItemInput{
		TableName: aws.String(s.table), Item: item, ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil && !isConditionFailed(err) {
		return storeErr(err, "cannot record the verification")
	}
	return nil
}

// RecentIdentity implements kaiban.Confirmations. The TTL deletes an
// expired item only eventually, so the age is checked here.
func (s *Store) RecentIdentity(ctx context.Context, personKey string, now time.Time) (kaiban.IdentityVerification, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.IdentityVerification{}, err
	}
	none := kaiban.Errorf(kaiban.ErrNotFound, "no recent verification")
	if personKey == "" || len(personKey) > 128 {
		return kaiban.IdentityVerification{}, none
	}
	var it identityItem
	found, err := s.getItem(ctx, personPK(personKey), skIdentity, &it)
	if err != nil {
		return kaiban.IdentityVerification{}, err
	}
	if !found {
		return kaiban.IdentityVerification{}, none
	}
	at, err := parseTime(it.VerifiedAt)
	if err != nil {
		return kaiban.IdentityVerification{}, err
	}
	if !now.Before(at.Add(kaiban.IdentityReuse)) {
		return kaiban.IdentityVerification{}, none
	}
	return kaiban.IdentityVerification{PersonKey: personKey, VerifiedAt: at}, nil
}

const skWaiter = "CONFWAIT"

// SetConfirmationWaiter implements kaiban.Confirmations: an item in the
// application's partition, written only while the application exists.
func (s *Store) SetConfirmationWaiter(ctx context.Context, applicationID, taskToken string) error {
	if taskToken == "" || len(taskToken) > 2048 {
		return kaiban.Errorf(kaiban.ErrInput, "a task token is 1 to 2048 characters")
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	if _, err := s.getAppItem(ctx, applicationID); err != nil {
		return err
	}
	_, err := s.db.PutItem(ctx, &ddb.PutItemInput{TableName: aws.String(s.table), Item: map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: appPK(applicationID)}, attrSK: &types.AttributeValueMemberS{Value: skWaiter},
		"kind": &types.AttributeValueMemberS{Value: skWaiter}, "taskToken": &types.AttributeValueMemberS{Value: taskToken},
	}})
	return storeErr(err, "cannot store the task token")
}

// ConfirmationWaiter implements kaiban.Confirmations.
func (s *Store) ConfirmationWaiter(ctx context.Context, applicationID string) (string, error) {
	if err := s.check(ctx); err != nil {
		return "", err
	}
	var it struct {
		TaskToken string `dynamodbav:"taskToken"`
	}
	found, err := s.getItem(ctx, appPK(applicationID), skWaiter, &it)
	if err != nil {
		return "", err
	}
	if !found {
		return "", kaiban.Errorf(kaiban.ErrNotFound, "no waiting workflow")
	}
	return it.TaskToken, nil
}

// AcceptApplication implements kaiban.Confirmations: the deadline (and the
// watchdog index's sort key) and the audit head move in one conditional
// UpdateItem of the application item.
func (s *Store) AcceptApplication(ctx context.Context, applicationID string, at time.Time, e kaiban.AuditEvent) error {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	deadline := fmtTime(at.Add(kaiban.DeadlineAfterSubmission))
	finished := []string{string(kaiban.AppCompleted), string(kaiban.AppRejected)}
	_, err := s.updateAppWithAudit(ctx, e, func() (expression.UpdateBuilder, *expression.ConditionBuilder, error) {
		upd := expression.Set(expression.Name("deadline"), expression.Value(deadline)).
			Set(expression.Name("GSI2SK"), expression.Value(deadline))
		cond := expression.Name("status").NotEqual(expression.Value(finished[0])).
			And(expression.Name("status").NotEqual(expression.Value(finished[1])))
		return upd, &cond, nil
	}, func(old map[string]types.AttributeValue) error {
		if old == nil {
			return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
		}
		var it appItem
		if err := unmarshal(old, &it); err != nil {
			return err
		}
		if kaiban.AppStatus(it.Status).Terminal() {
			return kaiban.Errorf(kaiban.ErrInput, "the application is finished")
		}
		return nil
	})
	return err
}
