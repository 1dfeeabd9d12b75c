package onestop

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// AssistRequest is an application a clerk files for an applicant (帮办):
// the body of an applicant's submission, plus an optional "channel"
// ("counter" or "phone") saying how the applicant came.
type AssistRequest struct {
	Body           []byte
	IdempotencyKey string
	Lang           validate.Lang
}

// FileForApplicant is Submit made by a clerk: the same validation, name
// check, confirmations and notifications, with the clerk recorded as the
// filer (the application.submitted event's actor is the clerk, its After
// names them and the channel). Nothing is registered on the clerk's word:
// the workflow waits for every founder to sign through their own link,
// so the application stays the founders' act. The answer carries the
// access token once, for the clerk to hand to the applicant.
func (s *Service) FileForApplicant(ctx context.Context, clerk ClerkIdentity, q AssistRequest) (Submitted, error) {
	body, channel, chErr := splitChannel(q.Body, q.Lang)
	if chErr != nil {
		// Report the channel with every failing field of the form, as
		// a submission reports all its faults at once.
		verr := s.Validate(ctx, body, q.Lang)
		var ke *kaiban.Error
		if errors.As(verr, &ke) && ke.Name == kaiban.ErrValidation {
			chErr.Fields = append(chErr.Fields, ke.Fields...)
		}
		return Submitted{}, chErr
	}
	return s.Submit(ctx, SubmitRequest{
		Body:           body,
		IdempotencyKey: q.IdempotencyKey,
		Lang:           q.Lang,
		FiledBy:        &kaiban.FiledBy{Clerk: clerk.Sub, Username: clerk.Username, Channel: channel},
	})
}

// splitChannel takes the optional "channel" member out of a submission's
// body, leaving the form as the validator expects it. A body that is not
// a JSON object is returned as it is, for the validator to report.
func splitChannel(body []byte, lang validate.Lang) ([]byte, kaiban.FilingChannel, *kaiban.Error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || m == nil {
		return body, "", nil
	}
	raw, ok := m["channel"]
	if !ok {
		return body, "", nil
	}
	delete(m, "channel")
	rest, err := json.Marshal(m)
	if err != nil {
		return body, "", nil
	}
	var ch kaiban.FilingChannel
	if json.Unmarshal(raw, &ch) != nil || !ch.Valid() {
		return rest, "", &kaiban.Error{Name: kaiban.ErrValidation, Message: "invalid channel",
			Fields: []kaiban.FieldError{{Field: "channel", Code: "oneof",
				Message: pickLang(lang, "办理渠道须为 counter（窗口）或 phone（电话）", `channel must be "counter" or "phone"`)}}}
	}
	return rest, ch, nil
}

// FiledByView is the filer as the applicant's status page shows it:
// "filed for you by clerk X at the counter".
type FiledByView struct {
	Clerk   string               `json:"clerk"`         // the clerk's sign-in name, else their subject
	Sub     string               `json:"sub,omitempty"` // the clerk's subject, in the clerks' view only
	Channel kaiban.FilingChannel `json:"channel,omitempty"`
	At      time.Time            `json:"at"`
	Text    string               `json:"text"`
}

// filedByView finds the filer of app in its trail; nil when the applicant
// filed themselves.
func filedByView(trail []kaiban.AuditEvent, lang validate.Lang) *FiledByView {
	by, e := kaiban.FiledByOf(trail)
	if by == nil {
		return nil
	}
	v := &FiledByView{Clerk: by.Username, Sub: by.Clerk, Channel: by.Channel, At: e.Time}
	if v.Clerk == "" {
		v.Clerk = by.Clerk
	}
	en := lang == validate.LangEN
	switch by.Channel {
	case kaiban.ChannelCounter:
		v.Text = pick(en, "由工作人员 "+v.Clerk+" 在窗口为您代办", "Filed for you by clerk "+v.Clerk+" at the counter")
	case kaiban.ChannelPhone:
		v.Text = pick(en, "由工作人员 "+v.Clerk+" 通过电话为您代办", "Filed for you by clerk "+v.Clerk+" by phone")
	default:
		v.Text = pick(en, "由工作人员 "+v.Clerk+" 为您代办", "Filed for you by clerk "+v.Clerk)
	}
	return v
}
