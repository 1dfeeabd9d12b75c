package dynamodb

import (
	"context"
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Corrections on DynamoDB: the application's correction lives on its item,
//
//	app   APP#<id>   META   correction (JSON), correctionStatus, correctionToken
//
// so opening one, and applying one with the corrected form, are each one
// conditional UpdateItem together with the audit head's move: the change
// and its event are one write.
const (
	attrCorrection       = "correction"
	attrCorrectionStatus = "correctionStatus"
	attrCorrectionToken  = "correctionToken"
)

var _ kaiban.Corrections = (*Store)(nil)

// correctionItem is the correction's part of the application item.
type correctionItem struct {
	Correction string `dynamodbav:"correction"`
	Status     string `dynamodbav:"correctionStatus"`
	Token      string `dynamodbav:"correctionToken"`
}

func (ci correctionItem) correction() (kaiban.Correction, error) {
	var c kaiban.Correction
	if err := json.Unmarshal([]byte(ci.Correction), &c); err != nil {
		return kaiban.Correction{}, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "the stored correction is unreadable")
	}
	c.TaskToken = ci.Token
	return c, nil
}

// correctionOf reads the correction from an item (old, when the server
// returned it, or read afresh): found is false when the application has
// none; ErrNotFound when the application does not exist.
func (s *Store) correctionOf(ctx context.Context, old map[string]types.AttributeValue, appID string) (c kaiban.Correction, found bool, err error) {
	var ci correctionItem
	if len(old) == 0 {
		ok, err := s.getItem(ctx, appPK(appID), skMeta, &ci)
		if err != nil {
			return c, false, err
		}
		if !ok {
			return c, false, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
		}
	} else if err := unmarshal(old, &ci); err != nil {
		return c, false, err
	}
	if ci.Status == "" {
		return c, false, nil
	}
	c, err = ci.correction()
	return c, err == nil, err
}

func setCorrection(upd expression.UpdateBuilder, c kaiban.Correction) (expression.UpdateBuilder, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return upd, kaiban.Wrap(kaiban.ErrInput, err, "correction cannot be encoded")
	}
	return upd.Set(expression.Name(attrCorrection), expression.Value(string(b))).
		Set(expression.Name(attrCorrectionStatus), expression.Value(string(c.Status))).
		Set(expression.Name(attrCorrectionToken), expression.Value(c.TaskToken)), nil
}

// notOpen is the condition that no correction is open.
func notOpen() expression.ConditionBuilder {
	return expression.AttributeNotExists(expression.Name(attrCorrectionStatus)).
		Or(expression.Name(attrCorrectionStatus).NotEqual(expression.Value(string(kaiban.CorrectionOpen))))
}

// OpenCorrection implements kaiban.Corrections.
func (s *Store) OpenCorrection(ctx context.Context, c kaiban.Correction, e kaiban.AuditEvent) (kaiban.Correction, error) {
	if err := kaiban.CheckCorrection(c); err != nil {
		return kaiban.Correction{}, err
	}
	if err := kaiban.CheckAuditEventOf(c.ApplicationID, e); err != nil {
		return kaiban.Correction{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Correction{}, err
	}
	c = c.Clone()
	c.Status, c.CorrectedAt = kaiban.CorrectionOpen, nil
	c.AskedAt, c.DueAt = c.AskedAt.UTC(), c.DueAt.UTC()
	var existing *kaiban.Correction
	build := func() (expression.UpdateBuilder, *expression.ConditionBuilder, error) {
		upd, err := setCorrection(expression.UpdateBuilder{}, c)
		cond := notOpen()
		return upd, &cond, err
	}
	conflict := func(old map[string]types.AttributeValue) error {
		cur, found, err := s.correctionOf(ctx, old, c.ApplicationID)
		if err != nil {
			return err
		}
		if found && cur.Status == kaiban.CorrectionOpen {
			existing = &cur
			return errAlreadyOpen
		}
		return nil
	}
	if _, err := s.updateAppWithAudit(ctx, e, build, conflict); err != nil {
		if err == errAlreadyOpen {
			return *existing, nil
		}
		return kaiban.Correction{}, err
	}
	return c, nil
}

// errAlreadyOpen stops OpenCorrection's write when a correction is open.
var errAlreadyOpen = kaiban.Errorf(kaiban.ErrInternal, "a correction is open")

// GetCorrection implements kaiban.Corrections.
func (s *Store) GetCorrection(ctx context.Context, applicationID string) (kaiban.Correction, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return kaiban.Correction{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Correction{}, err
	}
	c, found, err := s.correctionOf(ctx, nil, applicationID)
	if err == nil && !found {
		err = kaiban.Errorf(kaiban.ErrNotFound, "no correction")
	}
	return c, err
}

// ApplyCorrection implements kaiban.Corrections: the form (sealed as at
// creation) and the correction are set on the application item on the
// condition that the correction is open, with the audit head's move.
func (s *Store) ApplyCorrection(ctx context.Context, applicationID string, form kaiban.Form, now time.Time, e kaiban.AuditEvent) (kaiban.Correction, error) {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Correction{}, err
	}
	if _, err := kaiban.EncodeCorrectedForm(form); err != nil {
		return kaiban.Correction{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Correction{}, err
	}
	stored, err := s.formJSON(applicationID, form)
	if err != nil {
		return kaiban.Correction{}, err
	}
	cur, found, err := s.correctionOf(ctx, nil, applicationID)
	if err != nil {
		return kaiban.Correction{}, err
	}
	if !found || cur.Status != kaiban.CorrectionOpen {
		return kaiban.Correction{}, kaiban.Errorf(kaiban.ErrNotAwaitingCorrection, "no correction is awaited")
	}
	it, err := s.getAppItem(ctx, applicationID)
	if err != nil {
		return kaiban.Correction{}, err
	}
	old, err := parseTime(it.Deadline)
	if err != nil {
		return kaiban.Correction{}, err
	}
	deadline := fmtTime(old.Add(kaiban.CorrectionPause(cur, now)))
	at := now.UTC()
	cur.Status, cur.CorrectedAt = kaiban.CorrectionCorrected, &at
	build := func() (expression.UpdateBuilder, *expression.ConditionBuilder, error) {
		upd := expression.Set(expression.Name("form"), expression.Value(string(stored))).
			Set(expression.Name("deadline"), expression.Value(deadline))
		if it.GSI2PK != "" {
			upd = upd.Set(expression.Name(attrGSI2SK), expression.Value(deadline))
		}
		upd, err := setCorrection(upd, cur)
		// The deadline read above is still the stored one, and the index
		// key is where it was: the move is computed from what is written.
		cond := expression.Name(attrCorrectionStatus).Equal(expression.Value(string(kaiban.CorrectionOpen))).
			And(expression.Name(attrCorrectionToken).Equal(expression.Value(cur.TaskToken))).
			And(expression.Name("deadline").Equal(expression.Value(it.Deadline)))
		return upd, &cond, err
	}
	conflict := func(old map[string]types.AttributeValue) error {
		now, found, err := s.correctionOf(ctx, old, applicationID)
		if err != nil {
			return err
		}
		if !found || now.Status != kaiban.CorrectionOpen || now.TaskToken != cur.TaskToken {
			return kaiban.Errorf(kaiban.ErrNotAwaitingCorrection, "no correction is awaited")
		}
		var cur struct {
			Deadline string `dynamodbav:"deadline"`
		}
		if len(old) > 0 && unmarshal(old, &cur) == nil && cur.Deadline != it.Deadline {
			return kaiban.Errorf(kaiban.ErrVersionConflict, "the deadline moved meanwhile")
		}
		return nil
	}
	if _, err := s.updateAppWithAudit(ctx, e, build, conflict); err != nil {
		return kaiban.Correction{}, err
	}
	return cur, nil
}
