package agency

import (
	"context"
	"errors"

	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// MarketClient calls market regulation.
type MarketClient struct{ c *caller }

var _ kaiban.MarketRegulator = (*MarketClient)(nil)

// CheckName checks a proposed name.
func (x *MarketClient) CheckName(ctx context.Context, req kaiban.NameCheckRequest) (kaiban.NameCheck, error) {
	return call(ctx, x.c, kaiban.AgencyMarket, PathNameChecks, req, checkNameCheck)
}

// ReserveName reserves a checked name.
func (x *MarketClient) ReserveName(ctx context.Context, req kaiban.NameReservationRequest) (kaiban.NameReservation, error) {
	return call(ctx, x.c, kaiban.AgencyMarket, PathReservations, req, checkReservation)
}

// AssignCreditCode assigns the credit code.
func (x *MarketClient) AssignCreditCode(ctx context.Context, req kaiban.CreditCodeRequest) (kaiban.CreditCodeAssignment, error) {
	return call(ctx, x.c, kaiban.AgencyMarket, PathCreditCodes, req, checkCreditCode)
}

// IssueLicense registers the company and issues its e-licence.
func (x *MarketClient) IssueLicense(ctx context.Context, req kaiban.LicenseRequest) (kaiban.License, error) {
	return call(ctx, x.c, kaiban.AgencyMarket, PathLicenses, req, checkLicense)
}

// CancelLicense deregisters the company.
func (x *MarketClient) CancelLicense(ctx context.Context, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
	return call(ctx, x.c, kaiban.AgencyMarket, PathLicensesCancel, req, checkCancellation)
}

func checkNameCheck(req kaiban.NameCheckRequest, r *kaiban.NameCheck) error {
	if r.Reference == "" || r.Name != req.Name {
		return errors.New("name check answer does not match the request")
	}
	return nil
}

func checkReservation(req kaiban.NameReservationRequest, r *kaiban.NameReservation) error {
	if r.ReservationNumber == "" || r.Name != req.Name {
		return errors.New("reservation does not match the request")
	}
	return nil
}

// checkCreditCode refuses a code that fails the GB 32100 check or belongs to
// another region than the company's: every later agency would reject it.
func checkCreditCode(req kaiban.CreditCodeRequest, r *kaiban.CreditCodeAssignment) error {
	if !cnid.ValidUSCC(r.CreditCode) {
		return errors.New("credit code fails the GB 32100 check")
	}
	if r.CreditCode[2:8] != req.RegionCode {
		return errors.New("credit code is for another region")
	}
	return nil
}

func checkLicense(req kaiban.LicenseRequest, r *kaiban.License) error {
	if r.LicenseNumber == "" || r.ELicenseURL == "" || r.CreditCode != req.CreditCode {
		return errors.New("licence does not match the request")
	}
	return nil
}

func checkCancellation(_ kaiban.CancelRequest, c *kaiban.Cancellation) error {
	if c.Reference == "" || c.CancelledAt.IsZero() || c.Records < 0 {
		return errors.New("cancellation receipt incomplete")
	}
	return nil
}
