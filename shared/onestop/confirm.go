package onestop

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"strconv"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ConfirmDeps is what the founders' confirmations need. Deps.Confirm nil
// turns them off: the confirmation routes answer 404 and the status has no
// confirmations.
type ConfirmDeps struct {
	// Store keeps the confirmations (the same store as Deps.Store, seen
	// through its confirmations part).
	Store kaiban.Confirmations
	// Notifier sends each person their link (SMS, and e-mail where given).
	Notifier kaiban.Notifier
	// Signer signs with the platform's key.
	Signer kaiban.Signer
	// Identity is the identity agency (实名核验) that checks one person
	// with the liveness result of their page.
	Identity kaiban.IdentityVerifier
	// LinkBase is put before "/confirm#<token>" in the link people get
	// (the portal's origin, e.g. https://kaiban.example.cn); "" takes
	// Deps.PublicBaseURL, the base of the status links, so the link opens
	// from an SMS.
	LinkBase string
}

func (c *ConfirmDeps) check() error {
	switch {
	case c.Store == nil:
		return kaiban.Errorf(kaiban.ErrConfig, "onestop: Confirm.Store is required")
	case c.Notifier == nil:
		return kaiban.Errorf(kaiban.ErrConfig, "onestop: Confirm.Notifier is required")
	case c.Signer == nil:
		return kaiban.Errorf(kaiban.ErrConfig, "onestop: Confirm.Signer is required")
	case c.Identity == nil:
		return kaiban.Errorf(kaiban.ErrConfig, "onestop: Confirm.Identity is required")
	}
	return nil
}

// personKeySecret derives the key of kaiban.PersonKey from the token
// secret, so one secret configures both and neither reveals the other.
func personKeySecret(tokenSecret []byte) []byte {
	k, err := hkdf.Key(sha256.New, tokenSecret, nil, "kaiban person key v1", 32)
	if err != nil {
		panic(err) // only for lengths hkdf refuses; 32 is not one
	}
	return k
}

// confirmLink is the link a person opens: the token is in the fragment,
// which browsers never send to a server nor log.
func (s *Service) confirmLink(token string) string {
	base := s.confirm.LinkBase
	if base == "" {
		base = s.baseURL
	}
	return strings.TrimRight(base, "/") + "/confirm#" + token
}

// OpenConfirmations creates the application's confirmations (one per
// person, kaiban.Confirmers) and sends each person their link by SMS, and
// by e-mail where given. A person who verified their identity on Kaiban
// within kaiban.IdentityReuse is marked VERIFIED at once and only signs.
// Calling it again (a retried step) creates and sends nothing new: tokens
// and message keys depend only on the application and the person.
func (s *Service) OpenConfirmations(ctx context.Context, applicationID string) ([]kaiban.Confirmation, error) {
	if s.confirm == nil {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "confirmations are not configured")
	}
	app, err := s.store.GetApplication(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	people := kaiban.Confirmers(app.Form)
	want := make([]kaiban.Confirmation, len(people))
	for i, p := range people {
		want[i] = kaiban.Confirmation{
			ApplicationID: app.ID, Seq: p.Seq, PersonKey: kaiban.PersonKey(s.personKey, p.IDNumber), Roles: p.Roles,
			TokenHash: kaiban.HashToken(kaiban.ConfirmToken(s.secret, app.ID, p.Seq)), State: kaiban.ConfirmPending,
			CreatedAt: now, ExpiresAt: now.Add(kaiban.ConfirmWindow),
		}
	}
	cs, err := s.confirm.Store.CreateConfirmations(ctx, want)
	if err != nil {
		return nil, err
	}
	for i, c := range cs {
		if c.State != kaiban.ConfirmPending {
			continue
		}
		if v, err := s.confirm.Store.RecentIdentity(ctx, c.PersonKey, now); err == nil {
			if cs[i], err = s.markVerified(ctx, c, now, "reused", v.VerifiedAt); err != nil {
				if !kaiban.IsName(err, kaiban.ErrConfirmationDecided) {
					return nil, err
				}
				// The person signed (or declined) since the list was
				// read: their decision stands, and they need no link.
				if cs[i], err = s.confirm.Store.GetConfirmation(ctx, c.ApplicationID, c.Seq); err != nil {
					return nil, err
				}
			}
		} else if !kaiban.IsName(err, kaiban.ErrNotFound) {
			return nil, err
		}
	}
	for _, c := range cs {
		if c.Seq >= len(people) || c.State.Decided() {
			continue
		}
		if err := s.sendLink(ctx, app, people[c.Seq], "confirm", confirmText(app, people[c.Seq], c.ExpiresAt)); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// RemindConfirmations sends each person who has not decided yet a
// reminder with their link (once per application: the message keys say
// "remind").
func (s *Service) RemindConfirmations(ctx context.Context, applicationID string) error {
	if s.confirm == nil {
		return kaiban.Errorf(kaiban.ErrConfig, "confirmations are not configured")
	}
	app, err := s.store.GetApplication(ctx, applicationID)
	if err != nil {
		return err
	}
	cs, err := s.confirm.Store.ListConfirmations(ctx, applicationID)
	if err != nil {
		return err
	}
	people := kaiban.Confirmers(app.Form)
	for _, c := range cs {
		if c.Seq >= len(people) || c.State.Decided() {
			continue
		}
		if err := s.sendLink(ctx, app, people[c.Seq], "remind", remindText(app, people[c.Seq])); err != nil {
			return err
		}
	}
	return nil
}

// sendLink sends p their link by SMS and, where given, by e-mail.
func (s *Service) sendLink(ctx context.Context, app *kaiban.Application, p kaiban.Confirmer, kind, text string) error {
	link := s.confirmLink(kaiban.ConfirmToken(s.secret, app.ID, p.Seq))
	send := func(ch kaiban.Channel, to string) error {
		return s.confirm.Notifier.Send(ctx, kaiban.Message{
			Key: app.ID + ":" + kind + ":" + strconv.Itoa(p.Seq) + ":" + string(ch), ApplicationID: app.ID,
			To: to, Channel: ch, Kind: kind, Text: text, Link: link, SentAt: s.now().UTC(),
		})
	}
	if err := send(kaiban.ChannelSMS, p.Mobile); err != nil {
		return err
	}
	if p.Email != "" {
		return send(kaiban.ChannelEmail, p.Email)
	}
	return nil
}

func confirmText(app *kaiban.Application, p kaiban.Confirmer, until time.Time) string {
	return "【开办】" + p.Name + "，您是" + app.Form.Company.Name + "（" + rolesZH(p.Roles) + "）的设立人员之一，请于" +
		until.In(chinaTime).Format("1月2日15:04") + "前打开链接核验身份并签署申请。"
}

func remindText(app *kaiban.Application, p kaiban.Confirmer) string {
	return "【开办】提醒：" + p.Name + "，" + app.Form.Company.Name + "的设立申请还在等您核验身份并签署，打开链接即可办理。"
}

// roleNames are the roles' labels, {zh, en}.
var roleNames = map[kaiban.ConfirmRole][2]string{
	kaiban.RoleLegalRepresentative:  {"法定代表人", "legal representative"},
	kaiban.RoleShareholder:          {"股东", "shareholder"},
	kaiban.RoleHolderRepresentative: {"法人股东的法定代表人", "representative of a corporate shareholder"},
	kaiban.RoleDirector:             {"董事", "director"},
	kaiban.RoleSupervisor:           {"监事", "supervisor"},
	kaiban.RoleManager:              {"经理", "manager"},
	kaiban.RoleFinanceOfficer:       {"财务负责人", "finance officer"},
	kaiban.RoleTaxHandler:           {"办税人", "tax handler"},
	kaiban.RoleLiaison:              {"联络员", "liaison"},
}

func roleLabel(r kaiban.ConfirmRole, en bool) string {
	if en {
		return roleNames[r][1]
	}
	return roleNames[r][0]
}

func rolesZH(rs []kaiban.PersonRole) string {
	var out []string
	for _, r := range rs {
		out = append(out, roleLabel(r.Role, false))
	}
	return strings.Join(out, "、")
}

// locateConfirmation finds the confirmation a token names and checks the
// token against its stored hash in constant time. A malformed, unknown,
// wrong or expired token is the same ErrNotFound.
func (s *Service) locateConfirmation(ctx context.Context, token string) (kaiban.Confirmation, *kaiban.Application, kaiban.Confirmer, error) {
	notFound := kaiban.Errorf(kaiban.ErrNotFound, "confirmation not found")
	if s.confirm == nil {
		return kaiban.Confirmation{}, nil, kaiban.Confirmer{}, notFound
	}
	id, seq, ok := kaiban.ParseConfirmToken(token)
	if !ok || !validApplicationID(id) {
		return kaiban.Confirmation{}, nil, kaiban.Confirmer{}, notFound
	}
	c, err := s.confirm.Store.GetConfirmation(ctx, id, seq)
	if err != nil {
		return kaiban.Confirmation{}, nil, kaiban.Confirmer{}, notFoundIfInput(err)
	}
	if !kaiban.TokenMatches(token, c.TokenHash) || !s.now().Before(c.ExpiresAt) {
		return kaiban.Confirmation{}, nil, kaiban.Confirmer{}, notFound
	}
	app, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return kaiban.Confirmation{}, nil, kaiban.Confirmer{}, notFoundIfInput(err)
	}
	people := kaiban.Confirmers(app.Form)
	if seq >= len(people) {
		return kaiban.Confirmation{}, nil, kaiban.Confirmer{}, notFound
	}
	return c, app, people[seq], nil
}

// markVerified records a verification with its audit event.
func (s *Service) markVerified(ctx context.Context, c kaiban.Confirmation, now time.Time, method string, verifiedAt time.Time) (kaiban.Confirmation, error) {
	after, err := encodeAudit(map[string]any{"confirmation": map[string]any{
		"seq": c.Seq, "state": kaiban.ConfirmVerified, "method": method, "identityVerifiedAt": verifiedAt.UTC(),
	}})
	if err != nil {
		return c, err
	}
	return s.confirm.Store.VerifyConfirmation(ctx, c.ApplicationID, c.Seq, now, kaiban.AuditEvent{
		ApplicationID: c.ApplicationID, Time: now, Actor: personActor(c.Seq), Action: "confirmation.verified", After: after,
	})
}

func personActor(seq int) string { return "person:" + strconv.Itoa(seq) }

// applicationDocuments are the documents a person signs, with their
// SHA-256: the application itself, as the canonical JSON of the form
// (kaiban.FormDigest, the digest the submission's audit event records),
// and, where documents are configured, the articles of association and
// the shareholders' decision issued from it (the workflow's documents step
// issues them seconds after the submission), named by their kind.
func (s *Service) applicationDocuments(ctx context.Context, app *kaiban.Application) ([]kaiban.DocumentDigest, error) {
	d := kaiban.FormDigest(app.Form)
	if d == "" {
		return nil, kaiban.Errorf(kaiban.ErrInternal, "cannot encode the form")
	}
	out := []kaiban.DocumentDigest{{Name: "application-form", SHA256: d}}
	if s.docs == nil {
		return out, nil
	}
	ds, err := s.docs.Store.ListDocuments(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	for _, kind := range []kaiban.DocumentKind{kaiban.DocArticles, kaiban.DocShareholderDecision} {
		for _, doc := range ds {
			if doc.Kind == kind && !doc.Revoked() {
				out = append(out, kaiban.DocumentDigest{Name: string(kind), SHA256: doc.SHA256})
			}
		}
	}
	return out, nil
}
