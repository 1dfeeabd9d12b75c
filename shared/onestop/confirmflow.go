package onestop

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/signing"
	"github.com/kaiban/kaiban/shared/validate"
)

// ConfirmationView is what a person sees on their confirmation page: the
// company, their roles (with their contribution as a shareholder), the
// documents they sign and where they stand.
type ConfirmationView struct {
	ApplicationID string                  `json:"applicationId"`
	Company       ConfirmCompany          `json:"company"`
	Person        ConfirmPerson           `json:"person"`
	Roles         []ConfirmRoleView       `json:"roles"`
	Documents     []kaiban.DocumentDigest `json:"documents"`
	State         kaiban.ConfirmState     `json:"state"`
	VerifiedAt    *time.Time              `json:"verifiedAt"`
	DecidedAt     *time.Time              `json:"decidedAt"`
	ExpiresAt     time.Time               `json:"expiresAt"`
}

// ConfirmCompany is the company part of a ConfirmationView.
type ConfirmCompany struct {
	Name              string             `json:"name"`
	Type              kaiban.CompanyType `json:"type"`
	RegisteredCapital int64              `json:"registeredCapital"`
	Address           string             `json:"address"`
}

// ConfirmPerson names the person; the ID number is masked.
type ConfirmPerson struct {
	Name     string `json:"name"`
	IDNumber string `json:"idNumber"`
}

// ConfirmRoleView is one role, labelled in the request's language.
type ConfirmRoleView struct {
	Role         kaiban.ConfirmRole   `json:"role"`
	Label        string               `json:"label"`
	Holder       string               `json:"holder,omitempty"` // the enterprise a representative confirms for
	Contribution *kaiban.Contribution `json:"contribution,omitempty"`
}

// Confirmation answers GET /v1/confirmations/{token}.
func (s *Service) Confirmation(ctx context.Context, token string, lang validate.Lang) (ConfirmationView, error) {
	c, app, p, err := s.locateConfirmation(ctx, token)
	if err != nil {
		return ConfirmationView{}, err
	}
	docs, err := s.applicationDocuments(ctx, app)
	if err != nil {
		return ConfirmationView{}, err
	}
	f := app.Form
	v := ConfirmationView{
		ApplicationID: app.ID,
		Company: ConfirmCompany{Name: f.Company.Name, Type: f.Company.Type, RegisteredCapital: f.Company.RegisteredCapital,
			Address: f.Company.Address.Detail},
		Person:    ConfirmPerson{Name: p.Name, IDNumber: mask(p.IDNumber)},
		Documents: docs, State: c.State, VerifiedAt: c.VerifiedAt, DecidedAt: c.DecidedAt, ExpiresAt: c.ExpiresAt,
	}
	for _, r := range c.Roles {
		rv := ConfirmRoleView{Role: r.Role, Label: roleLabel(r.Role, lang == validate.LangEN)}
		if r.Holder >= 0 && r.Holder < len(f.Shareholders) {
			h := f.Shareholders[r.Holder]
			contribution := h.Contribution
			rv.Contribution = &contribution
			if r.Role == kaiban.RoleHolderRepresentative {
				rv.Holder = h.Name
			}
		}
		v.Roles = append(v.Roles, rv)
	}
	return v, nil
}

// IdentityInput is the body of POST /v1/confirmations/{token}/identity:
// the result of the page's liveness check (simulated locally).
type IdentityInput struct {
	Liveness *Liveness `json:"liveness"`
}

// Liveness is a liveness check's result as the page reports it.
type Liveness struct {
	Passed bool `json:"passed"`
}

// IdentityResult answers the identity check.
type IdentityResult struct {
	Verified bool `json:"verified"`
	// Reused is true when a verification of the last 30 days stood in.
	Reused bool   `json:"reused,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// VerifyIdentity answers POST /v1/confirmations/{token}/identity: the
// person's name and ID number, with the liveness result, go to the
// identity agency, unless the same person verified on Kaiban within
// kaiban.IdentityReuse. A failed check is an answer (verified false, with
// the reason), not an error; the person may try again.
func (s *Service) VerifyIdentity(ctx context.Context, token string, in IdentityInput, lang validate.Lang) (IdentityResult, error) {
	c, app, p, err := s.locateConfirmation(ctx, token)
	if err != nil {
		return IdentityResult{}, err
	}
	switch c.State {
	case kaiban.ConfirmVerified, kaiban.ConfirmSigned:
		return IdentityResult{Verified: true}, nil
	case kaiban.ConfirmDeclined:
		return IdentityResult{}, kaiban.Errorf(kaiban.ErrConfirmationDecided, "this confirmation is already decided")
	}
	now := s.now().UTC()
	if v, err := s.confirm.Store.RecentIdentity(ctx, c.PersonKey, now); err == nil {
		_, err := s.markVerified(ctx, c, now, "reused", v.VerifiedAt)
		return IdentityResult{Verified: err == nil, Reused: true}, err
	} else if !kaiban.IsName(err, kaiban.ErrNotFound) {
		return IdentityResult{}, err
	}
	en := lang == validate.LangEN
	if in.Liveness == nil || !in.Liveness.Passed {
		return IdentityResult{Reason: pick(en, "活体检测未通过，请在光线充足处正对镜头重试", "The liveness check did not pass; face the camera in good light and try again")}, nil
	}
	req := kaiban.IdentityRequest{
		AgencyCall: kaiban.AgencyCall{
			// Every attempt is a new check: a retry after a failed one must
			// reach the agency, not its answer to the first.
			IdempotencyKey: kaiban.AgencyKey(app.ID, "confirm-identity-"+strconv.Itoa(c.Seq)+"-"+strconv.FormatInt(now.UnixNano(), 36)),
			ApplicationID:  app.ID, RegionCode: app.Form.Company.Address.RegionCode,
		},
		Persons: []kaiban.Person{{Role: string(c.Roles[0].Role), Name: p.Name, IDNumber: p.IDNumber}},
	}
	if _, err := s.confirm.Identity.VerifyIdentity(ctx, req); err != nil {
		if kaiban.IsName(err, kaiban.ErrIdentityFailed) || kaiban.IsName(err, kaiban.ErrAgencyRejected) {
			return IdentityResult{Reason: pick(en, "身份核验未通过：姓名、身份证号码与人脸信息不一致", "Identity not verified: the name, ID number and face do not match")}, nil
		}
		return IdentityResult{}, err
	}
	if _, err := s.markVerified(ctx, c, now, "agency+liveness", now); err != nil {
		return IdentityResult{}, err
	}
	if err := s.confirm.Store.RememberIdentity(ctx, kaiban.IdentityVerification{PersonKey: c.PersonKey, VerifiedAt: now}); err != nil {
		s.logFor(ctx, app.ID).WithError(err).Warn("identity verification not remembered for reuse")
	}
	return IdentityResult{Verified: true}, nil
}

// DecisionInput is the body of POST /v1/confirmations/{token}/decision.
type DecisionInput struct {
	Sign   *bool  `json:"sign"`
	Reason string `json:"reason"`
}

// DecisionResult answers a decision.
type DecisionResult struct {
	State     kaiban.ConfirmState `json:"state"`
	DecidedAt *time.Time          `json:"decidedAt"`
}

// Decide answers POST /v1/confirmations/{token}/decision: sign (a
// signature record binding the person, the application, the documents'
// SHA-256, the time and the method, signed with the platform's key) or
// decline with a reason. The decision and its audit event are one write;
// a second decision is ErrConfirmationDecided (409).
func (s *Service) Decide(ctx context.Context, token string, in DecisionInput, lang validate.Lang) (DecisionResult, error) {
	en := lang == validate.LangEN
	var fields []kaiban.FieldError
	reason := strings.TrimSpace(in.Reason)
	switch {
	case in.Sign == nil:
		fields = append(fields, kaiban.FieldError{Field: "sign", Code: "required", Message: pick(en, "请选择签署或拒绝", "Choose to sign or to decline")})
	case !*in.Sign && reason == "":
		fields = append(fields, kaiban.FieldError{Field: "reason", Code: "required", Message: pick(en, "拒绝签署时请填写理由", "Give a reason for declining")})
	case !*in.Sign && utf8.RuneCountInString(reason) > kaiban.MaxDeclineReason:
		fields = append(fields, kaiban.FieldError{Field: "reason", Code: "max", Message: pick(en, "理由不能超过500个字", "The reason is at most 500 characters")})
	}
	if fields != nil {
		return DecisionResult{}, &kaiban.Error{Name: kaiban.ErrValidation, Message: "invalid decision", Fields: fields}
	}
	c, app, _, err := s.locateConfirmation(ctx, token)
	if err != nil {
		return DecisionResult{}, err
	}
	if c.State.Decided() {
		return DecisionResult{}, kaiban.Errorf(kaiban.ErrConfirmationDecided, "this confirmation is already decided")
	}
	if c.State != kaiban.ConfirmVerified {
		return DecisionResult{}, kaiban.Errorf(kaiban.ErrConfirmationUnverified, "verify identity first")
	}
	now := s.now().UTC()
	d := kaiban.ConfirmDecision{Sign: *in.Sign, At: now}
	var set map[string]any
	if d.Sign {
		docs, err := s.applicationDocuments(ctx, app)
		if err != nil {
			return DecisionResult{}, err
		}
		roles := make([]kaiban.ConfirmRole, len(c.Roles))
		for i, r := range c.Roles {
			roles[i] = r.Role
		}
		statement, err := json.Marshal(kaiban.SignedStatement{
			Version: "kaiban.signature.v1", ApplicationID: app.ID, Person: c.PersonKey, Roles: roles,
			Documents: docs, SignedAt: now, Method: "identity-verified link, liveness, click to sign",
		})
		if err != nil {
			return DecisionResult{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the statement")
		}
		rec, err := signing.Sign(ctx, s.confirm.Signer, statement)
		if err != nil {
			return DecisionResult{}, err
		}
		d.Signature = &rec
		set = map[string]any{"seq": c.Seq, "state": kaiban.ConfirmSigned, "documents": docs,
			"keyId": rec.KeyID, "statementSha256": sha256Hex(rec.Statement)}
	} else {
		d.Reason = reason
		set = map[string]any{"seq": c.Seq, "state": kaiban.ConfirmDeclined, "reason": logging.Mask(reason)}
	}
	after, err := encodeAudit(map[string]any{"confirmation": set})
	if err != nil {
		return DecisionResult{}, err
	}
	action := "confirmation.signed"
	if !d.Sign {
		action = "confirmation.declined"
	}
	got, err := s.confirm.Store.DecideConfirmation(ctx, app.ID, c.Seq, d, kaiban.AuditEvent{
		ApplicationID: app.ID, Time: now, Actor: personActor(c.Seq), Action: action, After: after,
	})
	if err != nil {
		return DecisionResult{}, err
	}
	s.settle(ctx, app.ID)
	return DecisionResult{State: got.State, DecidedAt: got.DecidedAt}, nil
}

func pick(en bool, zh, english string) string {
	if en {
		return english
	}
	return zh
}
