package agency

import (
	"context"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// EmployerClient calls one of the employer registries: social insurance,
// medical insurance or the housing provident fund, by kind.
type EmployerClient struct {
	c    *caller
	kind kaiban.AgencyKind
}

var _ kaiban.EmployerRegistry = (*EmployerClient)(nil)

// RegisterEmployer opens the employer's account.
func (x *EmployerClient) RegisterEmployer(ctx context.Context, req kaiban.EmployerRequest) (kaiban.EmployerAccount, error) {
	return call(ctx, x.c, x.kind, PathEmployers, req, func(_ kaiban.EmployerRequest, a *kaiban.EmployerAccount) error {
		if a.AccountNumber == "" {
			return errors.New("employer account has no number")
		}
		return nil
	})
}

// CancelEmployer closes the employer's account.
func (x *EmployerClient) CancelEmployer(ctx context.Context, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
	return call(ctx, x.c, x.kind, PathEmployersCancel, req, checkCancellation)
}
