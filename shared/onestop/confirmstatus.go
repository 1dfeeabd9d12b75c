package onestop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// ConfirmationSummary is one founder's confirmation in the status: their
// first role, their name masked, and where they stand.
type ConfirmationSummary struct {
	Role      kaiban.ConfirmRole   `json:"role"`
	RoleLabel string               `json:"roleLabel"`
	Roles     []kaiban.ConfirmRole `json:"roles"`
	Name      string               `json:"name"`
	State     kaiban.ConfirmState  `json:"state"`
	DecidedAt *time.Time           `json:"decidedAt,omitempty"`
	// Reason is a decline's reason, shown to the applicant with the
	// person who declined.
	Reason string `json:"reason,omitempty"`
}

// addConfirmations fills in the status's confirmations and its accepted
// time (the last signature, once everyone has signed).
func (s *Service) addConfirmations(ctx context.Context, v *StatusView, app *kaiban.Application, lang validate.Lang) error {
	if s.confirm == nil {
		return nil
	}
	cs, err := s.confirm.Store.ListConfirmations(ctx, app.ID)
	if err != nil || len(cs) == 0 {
		return err
	}
	people := kaiban.Confirmers(app.Form)
	secrets := personalData(&app.Form)
	v.AcceptedAt = AcceptedAt(cs)
	for _, c := range cs {
		sum := ConfirmationSummary{State: c.State, DecidedAt: c.DecidedAt, Reason: redact(c.DeclineReason, secrets)}
		for _, r := range c.Roles {
			sum.Roles = append(sum.Roles, r.Role)
		}
		if len(c.Roles) > 0 {
			sum.Role = c.Roles[0].Role
			sum.RoleLabel = roleLabel(sum.Role, lang == validate.LangEN)
		}
		if c.Seq < len(people) {
			sum.Name = MaskName(people[c.Seq].Name)
		}
		v.Confirmations = append(v.Confirmations, sum)
	}
	return nil
}

// AcceptedAt is when an application was accepted (受理): the time of the
// last signature once every confirmation is SIGNED, else nil.
func AcceptedAt(cs []kaiban.Confirmation) *time.Time {
	var last *time.Time
	for _, c := range cs {
		if c.State != kaiban.ConfirmSigned || c.DecidedAt == nil {
			return nil
		}
		if last == nil || c.DecidedAt.After(*last) {
			t := *c.DecidedAt
			last = &t
		}
	}
	return last
}

// MaskName keeps a name's first character (the family name, for most
// Chinese names) and stars the rest: 张伟 → 张*, 欧阳明 → 欧**.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	if len(r) <= 1 {
		return string(r)
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
