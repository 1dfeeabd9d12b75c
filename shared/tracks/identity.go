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
	att, err := s.ag.Identity.VerifyIdentity(ctx, kaiban.IdentityRequest{
		AgencyCall: call(app, kaiban.StepIdentity),
		Persons:    persons(&app.Form),
	})
	if err != nil {
		s.logFor(app.ID).WithField("error", kaiban.ErrorName(err)).Info("identity verification failed")
		return nil, err
	}
	if app.Status == kaiban.AppSubmitted {
		if _, err := s.store.UpdateApplication(ctx, app.ID, kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, UpdatedAt: s.now()}); err != nil {
			return nil, err
		}
	}
	if err := s.audit(ctx, app.ID, "system", "identity.verified", nil, map[string]any{"attestationId": att.ID, "persons": att.Persons}); err != nil {
		return nil, err
	}
	return encode(Identity{Attestation: att})
}

// call is the routing and idempotency part of every agency request.
func call(app *kaiban.Application, step string) kaiban.AgencyCall {
	return kaiban.AgencyCall{
		IdempotencyKey: kaiban.AgencyKey(app.ID, step),
		ApplicationID:  app.ID,
		RegionCode:     app.Form.Company.Address.RegionCode,
	}
}

// persons lists every natural person on the form once (by ID number), in
// the order they appear, with the first role they appear in.
func persons(f *kaiban.Form) []kaiban.Person {
	var out []kaiban.Person
	seen := map[string]bool{}
	add := func(role, name, id string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, kaiban.Person{Role: role, Name: name, IDNumber: id})
	}
	add("legalRepresentative", f.LegalRepresentative.Name, f.LegalRepresentative.IDNumber)
	for _, h := range f.Shareholders {
		if h.Kind == kaiban.HolderNaturalPerson {
			add("shareholder", h.Name, h.IDNumber)
		}
	}
	for _, d := range f.Directors {
		add("director", d.Name, d.IDNumber)
	}
	for _, d := range f.Supervisors {
		add("supervisor", d.Name, d.IDNumber)
	}
	if f.Manager != nil {
		add("manager", f.Manager.Name, f.Manager.IDNumber)
	}
	add("financeOfficer", f.FinanceOfficer.Name, f.FinanceOfficer.IDNumber)
	add("taxHandler", f.TaxHandler.Name, f.TaxHandler.IDNumber)
	add("liaison", f.Liaison.Name, f.Liaison.IDNumber)
	return out
}
