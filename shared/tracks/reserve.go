package tracks

import (
	"context"
	"encoding/json"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// reservation is ReserveName's output: the credit code every track shares.
type reservation struct {
	CreditCode      string `json:"creditCode"`
	NameReservation string `json:"nameReservation"`
}

// Reserve checks the company name (unless a clerk approved it), reserves
// it and assigns the unified social credit code. A name that needs a human
// decision is Name.NeedsReview; the definition then waits for a clerk.
func (s *Service) Reserve(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	var req reserveInput
	if err := decode(in, &req); err != nil {
		return nil, err
	}
	if err := requireID(req.ApplicationID); err != nil {
		return nil, err
	}
	if req.Identity.Attestation.ID == "" {
		return nil, kaiban.Errorf(kaiban.ErrInput, "identity attestation is required")
	}
	app, err := s.store.GetApplication(ctx, req.ApplicationID)
	if err != nil {
		return nil, err
	}
	f := &app.Form
	if s.names != nil {
		if err := s.reserveInIndex(ctx, app, req.NameApproved); err != nil {
			return nil, err
		}
	}
	if !req.NameApproved {
		if _, err := s.ag.Market.CheckName(ctx, kaiban.NewNameCheckRequest(app.ID, f)); err != nil {
			return nil, err
		}
	}
	res, err := s.ag.Market.ReserveName(ctx, kaiban.NewNameReservationRequest(app.ID, f, req.Identity.Attestation.ID))
	if err != nil {
		return nil, err
	}
	code, err := s.ag.Market.AssignCreditCode(ctx, kaiban.NewCreditCodeRequest(app.ID, f, res.ReservationNumber))
	if err != nil {
		return nil, err
	}
	if app.CreditCode != code.CreditCode {
		if _, err := s.updateUnlessFinished(ctx, app.ID, kaiban.ApplicationUpdate{
			Status: kaiban.AppInProgress, CreditCode: code.CreditCode, UpdatedAt: s.now(),
		}, "system", "name.reserved", map[string]any{
			"reservationNumber": res.ReservationNumber, "creditCode": code.CreditCode, "approvedByClerk": req.NameApproved,
		}); err != nil {
			return nil, err
		}
	}
	return encode(reservation{CreditCode: code.CreditCode, NameReservation: res.ReservationNumber})
}
