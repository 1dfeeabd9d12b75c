package tracks

import (
	"context"
	"encoding/json"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Identity verifies every person on the form once and returns the
// attestation that all later steps share ({"attestation":{…}}).
func (s *Service) Identity(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	var req appInput
	if err := decode(in, &req); err != nil {
		return nil, err
	}
	if err := requireID(req.ApplicationID); err != nil {
		return nil, err
	}
	app, err := s.store.GetApplication(ctx, req.ApplicationID)
	if err != nil {
		return nil, err
	}
	att, err := s.ag.Identity.VerifyIdentity(ctx, kaiban.NewIdentityRequest(app.ID, &app.Form))
	if err != nil {
		s.logFor(app.ID).WithField("error", kaiban.ErrorName(err)).Info("identity verification failed")
		return nil, err
	}
	var u kaiban.ApplicationUpdate
	if app.Status == kaiban.AppSubmitted {
		u = kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, UpdatedAt: s.now()}
	}
	if _, err := s.updateUnlessFinished(ctx, app.ID, u, "system", "identity.verified", map[string]any{"attestationId": att.ID, "persons": att.Persons}); err != nil {
		return nil, err
	}
	return encode(Identity{Attestation: att})
}
