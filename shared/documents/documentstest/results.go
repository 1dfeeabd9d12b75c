// Package documentstest gives an application the agencies' results that
// documents are rendered from, for tests of code that issues documents.
package documentstest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// CreditCode is the credit code Complete gives the application.
const CreditCode = "91210112MA0Y4K8L2X"

// Results are the seven tracks' results for form f as the agencies'
// adapters return them, registered at at.
func Results(f kaiban.Form, at time.Time) map[kaiban.TrackName]any {
	var seals []kaiban.SealRecord
	for i, s := range f.Seals.Types {
		seals = append(seals, kaiban.SealRecord{Type: s, FilingCode: fmt.Sprintf("2101120%d88776655", i)})
	}
	return map[kaiban.TrackName]any{
		kaiban.TrackLicense: kaiban.License{LicenseNumber: "210112000123456", CreditCode: CreditCode,
			CompanyName: f.Company.Name, IssuedAt: at},
		kaiban.TrackSeal: kaiban.SealFiling{Seals: seals, CarvingShop: f.Seals.CarvingShop, FiledAt: at},
		kaiban.TrackTax: kaiban.TaxRegistration{TaxpayerID: CreditCode, TaxOffice: "国家税务总局沈阳市浑南区税务局",
			TaxpayerType: "SMALL_SCALE", RegisteredAt: at, Invoices: []kaiban.InvoiceGrant{
				{Kind: kaiban.InvoiceOrdinaryVAT, MonthlyQuantity: 25, MaxAmount: 10000},
				{Kind: kaiban.InvoiceSpecialVAT, MonthlyQuantity: 10, MaxAmount: 100000}}},
		kaiban.TrackSocialInsurance:  kaiban.EmployerAccount{AccountNumber: "SI2101120045678", StartDate: "2026-12-01", RegisteredAt: at},
		kaiban.TrackMedicalInsurance: kaiban.EmployerAccount{AccountNumber: "MI2101120098765", StartDate: "2026-12-01", RegisteredAt: at},
		kaiban.TrackHousingFund:      kaiban.EmployerAccount{AccountNumber: "HF2101120011223", StartDate: "2026-12-01", RegisteredAt: at},
		kaiban.TrackBank: kaiban.BankAppointment{Reference: "BK20270106-0042", BankCode: f.Bank.BankCode,
			BranchCode: f.Bank.BranchCode, Date: f.Bank.AppointmentDate, Slot: f.Bank.Slot, BookedAt: at},
	}
}

// Complete stores the credit code and every track as succeeded with its
// result (Results) for application id, as if the agencies had registered
// it at at.
func Complete(ctx context.Context, store kaiban.Store, id string, at time.Time) error {
	app, err := store.GetApplication(ctx, id)
	if err != nil {
		return err
	}
	if _, err := store.UpdateApplication(ctx, id, kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, CreditCode: CreditCode, UpdatedAt: at}); err != nil {
		return err
	}
	results := Results(app.Form, at)
	for _, t := range app.Tracks {
		raw, err := json.Marshal(results[t.Name])
		if err != nil {
			return err
		}
		t.Status, t.Result, t.FinishedAt = kaiban.TrackSucceeded, raw, &at
		if _, err := store.UpdateTrack(ctx, id, t); err != nil {
			return err
		}
	}
	return nil
}
