package agency

import (
	"context"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// TaxClient calls the tax bureau.
type TaxClient struct{ c *caller }

var _ kaiban.TaxAgency = (*TaxClient)(nil)

// RegisterTaxpayer registers the taxpayer and requests the first invoices.
func (x *TaxClient) RegisterTaxpayer(ctx context.Context, req kaiban.TaxRequest) (kaiban.TaxRegistration, error) {
	return call(ctx, x.c, kaiban.AgencyTax, PathTaxRegistrations, req, func(req kaiban.TaxRequest, r *kaiban.TaxRegistration) error {
		if r.TaxpayerID != req.CreditCode || r.TaxOffice == "" {
			return errors.New("tax registration does not match the request")
		}
		return nil
	})
}

// CancelTaxpayer deregisters the taxpayer.
func (x *TaxClient) CancelTaxpayer(ctx context.Context, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
	return call(ctx, x.c, kaiban.AgencyTax, PathTaxCancel, req, checkCancellation)
}
