package agency

import (
	"context"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// BankClient calls the bank's appointment service.
type BankClient struct{ c *caller }

var _ kaiban.BankAgency = (*BankClient)(nil)

// BookAppointment books the account-opening appointment.
func (x *BankClient) BookAppointment(ctx context.Context, req kaiban.BankRequest) (kaiban.BankAppointment, error) {
	return call(ctx, x.c, kaiban.AgencyBank, PathAppointments, req, func(req kaiban.BankRequest, a *kaiban.BankAppointment) error {
		if a.Reference == "" || a.BranchCode != req.BranchCode || a.Date != req.Date || a.Slot != req.Slot {
			return errors.New("appointment does not match the request")
		}
		return nil
	})
}

// CancelAppointment cancels the appointment.
func (x *BankClient) CancelAppointment(ctx context.Context, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
	return call(ctx, x.c, kaiban.AgencyBank, PathAppointmentsCancel, req, checkCancellation)
}
