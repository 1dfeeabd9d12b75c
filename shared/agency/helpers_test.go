package agency_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// residentID completes 17 digits with their GB 11643 check character.
func residentID(body string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}

// Persons of the fixture form, each with a distinct ID number.
var (
	idLegalRep    = residentID("21010219800101001")
	idShareholder = residentID("21010219850202002")
	idSupervisor  = residentID("21010219900303003")
	idFinance     = residentID("21010219910404004")
	idTaxHandler  = residentID("21010219920505005")
	idLiaison     = residentID("21010219930606006")
)

const holderCreditCode = "91440300708461136T"

// fixtureCreditCode is a valid credit code for 210102 (generated with
// cnid.GenerateUSCC), for calls that do not go through AssignCreditCode.
const fixtureCreditCode = "91210102767720441X"

// testForm is a complete, valid form for a company in Shenyang (和平区).
func testForm() kaiban.Form {
	legal := kaiban.Officer{Name: "张伟", IDNumber: idLegalRep, Role: "执行董事"}
	manager := kaiban.Officer{Name: "张伟", IDNumber: idLegalRep, Role: "经理"}
	return kaiban.Form{
		Company: kaiban.Company{
			Name:              "沈阳星河科技有限公司",
			NameParts:         kaiban.NameParts{Region: "沈阳", TradeName: "星河", Industry: "科技", OrgForm: "有限公司"},
			Type:              kaiban.CompanyLLC,
			Address:           kaiban.Address{RegionCode: "210102", Detail: "南京北街1号", PostalCode: "110001"},
			RegisteredCapital: 1_000_000,
			BusinessScope:     []string{"I6513", "I6520"},
		},
		LegalRepresentative: kaiban.LegalRep{Name: "张伟", IDNumber: idLegalRep, Mobile: "13812345678"},
		Shareholders: []kaiban.Shareholder{
			{Kind: kaiban.HolderNaturalPerson, Name: "李娜", IDNumber: idShareholder,
				Contribution: kaiban.Contribution{Amount: 600_000, Method: "CURRENCY", DueDate: "2029-12-31"}},
			{Kind: kaiban.HolderEnterprise, Name: "辽宁远航投资有限公司", CreditCode: holderCreditCode,
				Contribution: kaiban.Contribution{Amount: 400_000, Method: "CURRENCY", DueDate: "2029-12-31"}},
		},
		Directors:      []kaiban.Officer{legal},
		Supervisors:    []kaiban.Officer{{Name: "王芳", IDNumber: idSupervisor, Role: "监事"}},
		Manager:        &manager,
		FinanceOfficer: kaiban.Contact{Name: "刘洋", IDNumber: idFinance, Mobile: "13912345678"},
		TaxHandler:     kaiban.Contact{Name: "陈静", IDNumber: idTaxHandler, Mobile: "13712345678"},
		Liaison:        kaiban.Contact{Name: "杨帆", IDNumber: idLiaison, Mobile: "13612345678"},
		Seals:          kaiban.Seals{Types: []kaiban.SealType{kaiban.SealOfficial, kaiban.SealFinance, kaiban.SealInvoice}, CarvingShop: "和平区诚信刻章社"},
		Tax: kaiban.Tax{TaxpayerType: "SMALL_SCALE", Invoices: []kaiban.Invoice{
			{Kind: kaiban.InvoiceOrdinaryVAT, MonthlyQuantity: 60, MaxAmount: 200_000},
			{Kind: kaiban.InvoiceSpecialVAT, MonthlyQuantity: 10, MaxAmount: 50_000},
		}},
		Employment: kaiban.Employment{Employees: 5, SocialInsuranceFrom: "2030-07", HousingFundRate: 8, Medical: true},
		Bank:       kaiban.Bank{BankCode: "102", BranchCode: "102221000123", AppointmentDate: "2030-06-03", Slot: "AM"},
		Consent:    kaiban.Consent{Truthful: true, DataSharing: true},
	}
}

// startSim starts simulators for the test and stops them when it ends.
func startSim(t *testing.T, p sim.Profile, opts ...sim.Option) *sim.Server {
	t.Helper()
	s, err := sim.Start(t.Context(), p, opts...)
	if err != nil {
		t.Fatalf("sim.Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// clientsFor returns clients pointed at s with the given per-call timeout.
func clientsFor(t *testing.T, s *sim.Server, timeout time.Duration) *agency.Clients {
	t.Helper()
	c, err := agency.NewClients(agency.Config{Default: s.Endpoints(), Timeout: timeout}, nil)
	if err != nil {
		t.Fatalf("NewClients: %v", err)
	}
	return c
}

// company is what the steps before the tracks hand to every track.
type company struct {
	attestation kaiban.IdentityAttestation
	reservation kaiban.NameReservation
	creditCode  string
}

// prepare runs identity, name check, reservation and credit code.
func prepare(t *testing.T, c *agency.Clients, appID string, f *kaiban.Form) company {
	t.Helper()
	ctx := t.Context()
	att, err := c.Identity.VerifyIdentity(ctx, kaiban.NewIdentityRequest(appID, f))
	if err != nil {
		t.Fatalf("VerifyIdentity: %v", err)
	}
	if _, err := c.Market.CheckName(ctx, kaiban.NewNameCheckRequest(appID, f)); err != nil {
		t.Fatalf("CheckName: %v", err)
	}
	res, err := c.Market.ReserveName(ctx, kaiban.NewNameReservationRequest(appID, f, att.ID))
	if err != nil {
		t.Fatalf("ReserveName: %v", err)
	}
	cc, err := c.Market.AssignCreditCode(ctx, kaiban.NewCreditCodeRequest(appID, f, res.ReservationNumber))
	if err != nil {
		t.Fatalf("AssignCreditCode: %v", err)
	}
	return company{attestation: att, reservation: res, creditCode: cc.CreditCode}
}

// trackOp is one track's registration and cancellation through the ports.
type trackOp struct {
	track    kaiban.TrackName
	register func(ctx context.Context, c *agency.Clients, appID string, f *kaiban.Form, co company) (any, error)
	cancel   func(ctx context.Context, c *agency.Clients, req kaiban.CancelRequest) (kaiban.Cancellation, error)
}

func (op trackOp) kind() string { return string(kaiban.AgencyFor(op.track)) }

func employerOp(track kaiban.TrackName) trackOp {
	return trackOp{
		track: track,
		register: func(ctx context.Context, c *agency.Clients, appID string, f *kaiban.Form, co company) (any, error) {
			return c.Employer(track).RegisterEmployer(ctx, kaiban.NewEmployerRequest(track, appID, f, co.creditCode, co.attestation.ID))
		},
		cancel: func(ctx context.Context, c *agency.Clients, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
			return c.Employer(track).CancelEmployer(ctx, req)
		},
	}
}

// trackOps covers the seven tracks.
var trackOps = []trackOp{
	{
		track: kaiban.TrackLicense,
		register: func(ctx context.Context, c *agency.Clients, appID string, f *kaiban.Form, co company) (any, error) {
			return c.Market.IssueLicense(ctx, kaiban.NewLicenseRequest(appID, f, co.creditCode, co.attestation.ID, co.reservation.ReservationNumber))
		},
		cancel: func(ctx context.Context, c *agency.Clients, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
			return c.Market.CancelLicense(ctx, req)
		},
	},
	{
		track: kaiban.TrackSeal,
		register: func(ctx context.Context, c *agency.Clients, appID string, f *kaiban.Form, co company) (any, error) {
			return c.Seal.CarveSeals(ctx, kaiban.NewSealRequest(appID, f, co.creditCode, co.attestation.ID))
		},
		cancel: func(ctx context.Context, c *agency.Clients, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
			return c.Seal.CancelSeals(ctx, req)
		},
	},
	{
		track: kaiban.TrackTax,
		register: func(ctx context.Context, c *agency.Clients, appID string, f *kaiban.Form, co company) (any, error) {
			return c.Tax.RegisterTaxpayer(ctx, kaiban.NewTaxRequest(appID, f, co.creditCode, co.attestation.ID))
		},
		cancel: func(ctx context.Context, c *agency.Clients, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
			return c.Tax.CancelTaxpayer(ctx, req)
		},
	},
	employerOp(kaiban.TrackSocialInsurance),
	employerOp(kaiban.TrackMedicalInsurance),
	employerOp(kaiban.TrackHousingFund),
	{
		track: kaiban.TrackBank,
		register: func(ctx context.Context, c *agency.Clients, appID string, f *kaiban.Form, co company) (any, error) {
			return c.Bank.BookAppointment(ctx, kaiban.NewBankRequest(appID, f, co.creditCode, co.attestation.ID))
		},
		cancel: func(ctx context.Context, c *agency.Clients, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
			return c.Bank.CancelAppointment(ctx, req)
		},
	},
}

// wantErr fails the test unless err is a *kaiban.Error named name.
func wantErr(t *testing.T, err error, name string) *kaiban.Error {
	t.Helper()
	var ke *kaiban.Error
	if !errors.As(err, &ke) || ke.Name != name {
		t.Fatalf("error = %v, want %s", err, name)
	}
	return ke
}

// creditCodeFor returns a valid credit code registered in regionCode.
func creditCodeFor(t *testing.T, regionCode string) string {
	t.Helper()
	c, err := cnid.GenerateUSCC(regionCode, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
