package kaiban

import (
	"context"
	"time"
)

// The agency ports. Every registration the service performs on the
// applicant's behalf goes through one of these interfaces; shared/agency
// implements them as HTTP+JSON clients and infra/sim simulates the agencies
// behind them.
//
// Errors every method returns, always as *Error:
//   - ErrAgencyUnavailable: transient (timeouts, 5xx, dropped connections,
//     unreadable answers). Safe to retry with the same idempotency key.
//   - ErrAgencyRejected: final; Message carries the agency's reason, which is
//     safe to show to the applicant and the clerk.
//   - ErrNameNeedsReview (CheckName only) and ErrIdentityFailed
//     (VerifyIdentity only).
//   - ErrIdempotencyConflict: the key was used before with a different
//     request, which is a bug in the caller, not something to retry.
//
// Every request is idempotent by its IdempotencyKey: repeating a call with the
// same key returns the first result and never creates a second record.

// AgencyKind names one agency the service talks to. It is also the path
// prefix of that agency's API and the key of LiveRecords in the simulator.
type AgencyKind string

const (
	AgencyIdentity AgencyKind = "identity" // real-name verification (实名核验)
	AgencyMarket   AgencyKind = "market"   // market regulation (市场监管): name, credit code, licence
	AgencySeal     AgencyKind = "seal"     // public-security seal filing (公安印章备案)
	AgencyTax      AgencyKind = "tax"      // tax bureau (税务)
	AgencySocial   AgencyKind = "social"   // social insurance (社保)
	AgencyMedical  AgencyKind = "medical"  // medical insurance (医保)
	AgencyFund     AgencyKind = "fund"     // housing provident fund (公积金)
	AgencyBank     AgencyKind = "bank"     // the applicant's chosen bank
)

// AgencyKinds lists every agency kind.
var AgencyKinds = []AgencyKind{AgencyIdentity, AgencyMarket, AgencySeal, AgencyTax, AgencySocial, AgencyMedical, AgencyFund, AgencyBank}

// Valid reports whether k is a known agency kind.
func (k AgencyKind) Valid() bool {
	for _, x := range AgencyKinds {
		if x == k {
			return true
		}
	}
	return false
}

// AgencyFor returns the agency that carries out a track, or "" for an
// unknown track.
func AgencyFor(t TrackName) AgencyKind {
	switch t {
	case TrackLicense:
		return AgencyMarket
	case TrackSeal:
		return AgencySeal
	case TrackTax:
		return AgencyTax
	case TrackSocialInsurance:
		return AgencySocial
	case TrackMedicalInsurance:
		return AgencyMedical
	case TrackHousingFund:
		return AgencyFund
	case TrackBank:
		return AgencyBank
	}
	return ""
}

// Steps before the parallel tracks, used as the step of an idempotency key.
const (
	StepIdentity   = "identity"
	StepNameCheck  = "nameCheck"
	StepReserve    = "reserve"
	StepCreditCode = "creditCode"
)

// AgencyKey is the idempotency key of one step of one application: the
// track name (or one of the Step constants) after the application ID. A
// retried handler derives the same key, so the agency returns its first
// answer instead of creating a second record.
func AgencyKey(applicationID, step string) string { return applicationID + ":" + step }

// CancelKey is the idempotency key of the cancellation of a step.
func CancelKey(applicationID, step string) string { return AgencyKey(applicationID, step) + ":cancel" }

// AgencyCall is embedded in every agency request. IdempotencyKey travels as
// the Idempotency-Key header, not in the body. RegionCode (the county code
// of the registered address) routes the call to the city's agency.
type AgencyCall struct {
	IdempotencyKey string `json:"-"`
	ApplicationID  string `json:"applicationId"`
	RegionCode     string `json:"regionCode"`
}

// Call returns the embedded AgencyCall, so adapters can treat every request
// alike.
func (c AgencyCall) Call() AgencyCall { return c }

// CancelRequest undoes an earlier call (compensation). Of is the
// idempotency key of the call being undone; the agency cancels whatever that
// call created even if its answer never reached us. Reference is the
// record's number when known, for the agency's files. Cancelling something
// that does not exist, or was already cancelled, succeeds.
type CancelRequest struct {
	AgencyCall
	Of        string `json:"of"`
	Reference string `json:"reference,omitempty"`
	Reason    string `json:"reason"`
}

// Cancellation is the agency's receipt for a CancelRequest. Records is how
// many live records the cancellation ended (0 when there was nothing to
// undo).
type Cancellation struct {
	Reference   string    `json:"reference"`
	Records     int       `json:"records"`
	CancelledAt time.Time `json:"cancelledAt"`
}

// Person is one natural person named on the form, as identity verification
// sees them. Role is where on the form they appear (legalRepresentative,
// shareholder, director, supervisor, manager, financeOfficer, taxHandler,
// liaison).
type Person struct {
	Role     string `json:"role"`
	Name     string `json:"name"`
	IDNumber string `json:"idNumber"`
}

// IdentityVerifier checks, once per application, that every person on the
// form is who they say they are (实名核验).
type IdentityVerifier interface {
	VerifyIdentity(ctx context.Context, req IdentityRequest) (IdentityAttestation, error)
}

// IdentityRequest lists the persons to verify.
type IdentityRequest struct {
	AgencyCall
	Persons []Person `json:"persons"`
}

// IdentityAttestation is the proof that identities were verified. It is
// passed to every later agency instead of re-verifying, and it never echoes
// an ID number: Digest is the agency's signature over what it verified.
type IdentityAttestation struct {
	ID         string    `json:"id"`
	VerifiedAt time.Time `json:"verifiedAt"`
	Persons    int       `json:"persons"`
	Digest     string    `json:"digest"`
}

// MarketRegulator is market regulation (市场监督管理局): the company name,
// the unified social credit code and the business licence.
type MarketRegulator interface {
	// CheckName checks a proposed name (名称自主申报). It returns
	// ErrNameNeedsReview when a person must decide and ErrAgencyRejected
	// when the name cannot be used.
	CheckName(ctx context.Context, req NameCheckRequest) (NameCheck, error)
	// ReserveName reserves a checked (or clerk-approved) name.
	ReserveName(ctx context.Context, req NameReservationRequest) (NameReservation, error)
	// AssignCreditCode assigns the unified social credit code.
	AssignCreditCode(ctx context.Context, req CreditCodeRequest) (CreditCodeAssignment, error)
	// IssueLicense registers the company and issues its e-licence.
	IssueLicense(ctx context.Context, req LicenseRequest) (License, error)
	// CancelLicense deregisters the company (and releases its name and
	// credit code).
	CancelLicense(ctx context.Context, req CancelRequest) (Cancellation, error)
}

// NameCheckRequest is a proposed company name.
type NameCheckRequest struct {
	AgencyCall
	Name        string      `json:"name"`
	NameParts   NameParts   `json:"nameParts"`
	CompanyType CompanyType `json:"companyType"`
}

// NameCheck is a passed name check.
type NameCheck struct {
	Reference string    `json:"reference"`
	Name      string    `json:"name"`
	CheckedAt time.Time `json:"checkedAt"`
}

// NameReservationRequest reserves the name for the applicant.
type NameReservationRequest struct {
	AgencyCall
	Name          string      `json:"name"`
	NameParts     NameParts   `json:"nameParts"`
	CompanyType   CompanyType `json:"companyType"`
	ApplicantName string      `json:"applicantName"` // the legal representative
	AttestationID string      `json:"attestationId"`
}

// NameReservation is the name pre-approval (名称预先核准).
type NameReservation struct {
	ReservationNumber string    `json:"reservationNumber"`
	Name              string    `json:"name"`
	ReservedAt        time.Time `json:"reservedAt"`
	ExpiresAt         time.Time `json:"expiresAt"`
}

// CreditCodeRequest asks for the credit code of a reserved name.
type CreditCodeRequest struct {
	AgencyCall
	ReservationNumber string      `json:"reservationNumber"`
	CompanyName       string      `json:"companyName"`
	CompanyType       CompanyType `json:"companyType"`
}

// CreditCodeAssignment carries the unified social credit code (GB 32100).
type CreditCodeAssignment struct {
	CreditCode string    `json:"creditCode"`
	AssignedAt time.Time `json:"assignedAt"`
}

// LicenseRequest is the company registration. Market regulation is the one
// agency that records the whole company: its officers and investors.
type LicenseRequest struct {
	AgencyCall
	CreditCode          string        `json:"creditCode"`
	AttestationID       string        `json:"attestationId"`
	ReservationNumber   string        `json:"reservationNumber,omitempty"`
	Company             Company       `json:"company"`
	LegalRepresentative Person        `json:"legalRepresentative"`
	Shareholders        []Shareholder `json:"shareholders"`
	Directors           []Officer     `json:"directors,omitempty"`
	Supervisors         []Officer     `json:"supervisors,omitempty"`
	Manager             *Officer      `json:"manager,omitempty"`
}

// License is the issued business licence (营业执照) and its e-licence.
type License struct {
	LicenseNumber string    `json:"licenseNumber"`
	CreditCode    string    `json:"creditCode"`
	CompanyName   string    `json:"companyName"`
	ELicenseURL   string    `json:"eLicenseUrl"`
	IssuedAt      time.Time `json:"issuedAt"`
}

// SealAgency is the public-security seal filing system with its licensed
// carving shops (印章刻制备案).
type SealAgency interface {
	CarveSeals(ctx context.Context, req SealRequest) (SealFiling, error)
	CancelSeals(ctx context.Context, req CancelRequest) (Cancellation, error)
}

// SealRequest orders the seals. The filing records the company, its address
// and the legal representative who answers for the seals.
type SealRequest struct {
	AgencyCall
	CreditCode       string     `json:"creditCode"`
	AttestationID    string     `json:"attestationId"`
	CompanyName      string     `json:"companyName"`
	AddressDetail    string     `json:"addressDetail"`
	Types            []SealType `json:"types"`
	CarvingShop      string     `json:"carvingShop"`
	LegalRepName     string     `json:"legalRepName"`
	LegalRepIDNumber string     `json:"legalRepIdNumber"`
}

// SealRecord is one carved seal and its filing code.
type SealRecord struct {
	Type       SealType `json:"type"`
	FilingCode string   `json:"filingCode"`
}

// SealFiling is the receipt for all seals of one order.
type SealFiling struct {
	Seals       []SealRecord `json:"seals"`
	CarvingShop string       `json:"carvingShop"`
	FiledAt     time.Time    `json:"filedAt"`
}

// TaxAgency is the tax bureau: taxpayer registration and the first invoice
// grant (新办纳税人套餐).
type TaxAgency interface {
	RegisterTaxpayer(ctx context.Context, req TaxRequest) (TaxRegistration, error)
	CancelTaxpayer(ctx context.Context, req CancelRequest) (Cancellation, error)
}

// TaxRequest registers the taxpayer and requests the first invoices. The tax
// bureau records the persons responsible for tax: the legal representative,
// the finance officer and the tax handler.
type TaxRequest struct {
	AgencyCall
	CreditCode        string      `json:"creditCode"`
	AttestationID     string      `json:"attestationId"`
	CompanyName       string      `json:"companyName"`
	CompanyType       CompanyType `json:"companyType"`
	Address           Address     `json:"address"`
	RegisteredCapital int64       `json:"registeredCapital"`
	BusinessScope     []string    `json:"businessScope"`
	TaxpayerType      string      `json:"taxpayerType"`
	Invoices          []Invoice   `json:"invoices,omitempty"`
	LegalRep          Contact     `json:"legalRep"`
	FinanceOfficer    Contact     `json:"financeOfficer"`
	TaxHandler        Contact     `json:"taxHandler"`
}

// InvoiceGrant is one granted invoice kind, possibly less than requested.
type InvoiceGrant struct {
	Kind            string `json:"kind"`
	MonthlyQuantity int    `json:"monthlyQuantity"`
	MaxAmount       int64  `json:"maxAmount"`
}

// TaxRegistration is the tax bureau's answer. TaxpayerID is the credit code.
type TaxRegistration struct {
	TaxpayerID   string         `json:"taxpayerId"`
	TaxOffice    string         `json:"taxOffice"`
	TaxpayerType string         `json:"taxpayerType"`
	Invoices     []InvoiceGrant `json:"invoices"`
	RegisteredAt time.Time      `json:"registeredAt"`
}

// EmployerRegistry is one of the three employer registrations: social
// insurance, medical insurance and the housing provident fund. They share a
// shape; each is a separate agency with its own endpoint.
type EmployerRegistry interface {
	RegisterEmployer(ctx context.Context, req EmployerRequest) (EmployerAccount, error)
	CancelEmployer(ctx context.Context, req CancelRequest) (Cancellation, error)
}

// EmployerRequest registers the company as an employer. Contact is the
// liaison who handles the registration. ContributionRate (percent) is sent
// only to the housing provident fund.
type EmployerRequest struct {
	AgencyCall
	CreditCode       string  `json:"creditCode"`
	AttestationID    string  `json:"attestationId"`
	CompanyName      string  `json:"companyName"`
	Address          Address `json:"address"`
	LegalRepName     string  `json:"legalRepName"`
	Contact          Contact `json:"contact"`
	Employees        int     `json:"employees"`
	StartDate        string  `json:"startDate"`
	ContributionRate float64 `json:"contributionRate,omitempty"`
}

// EmployerAccount is the employer's account with the registry.
type EmployerAccount struct {
	AccountNumber string    `json:"accountNumber"`
	StartDate     string    `json:"startDate"`
	RegisteredAt  time.Time `json:"registeredAt"`
}

// BankAgency books the account-opening appointment (预约开户).
type BankAgency interface {
	BookAppointment(ctx context.Context, req BankRequest) (BankAppointment, error)
	CancelAppointment(ctx context.Context, req CancelRequest) (Cancellation, error)
}

// BankRequest is everything the bank needs for the appointment: who the
// company is, whom to expect and when. No investors, no ID numbers: the
// attestation stands for the verified identity.
type BankRequest struct {
	AgencyCall
	CreditCode     string `json:"creditCode"`
	AttestationID  string `json:"attestationId"`
	CompanyName    string `json:"companyName"`
	LegalRepName   string `json:"legalRepName"`
	LegalRepMobile string `json:"legalRepMobile"`
	BankCode       string `json:"bankCode"`
	BranchCode     string `json:"branchCode"`
	Date           string `json:"date"`
	Slot           string `json:"slot"`
}

// BankAppointment is the booked appointment.
type BankAppointment struct {
	Reference  string    `json:"reference"`
	BankCode   string    `json:"bankCode"`
	BranchCode string    `json:"branchCode"`
	Date       string    `json:"date"`
	Slot       string    `json:"slot"`
	BookedAt   time.Time `json:"bookedAt"`
}
