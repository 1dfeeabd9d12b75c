package agency

import "github.com/kaiban/kaiban/shared/kaiban"

// Paths of the agency APIs, relative to an agency's base URL (an Endpoints
// field). Every operation is a POST of the JSON-encoded kaiban request type
// answered by the JSON-encoded kaiban result type.
const (
	PathVerifications      = "/verifications"        // identity: IdentityRequest → IdentityAttestation
	PathNameChecks         = "/name-checks"          // market: NameCheckRequest → NameCheck
	PathReservations       = "/reservations"         // market: NameReservationRequest → NameReservation
	PathCreditCodes        = "/credit-codes"         // market: CreditCodeRequest → CreditCodeAssignment
	PathLicenses           = "/licenses"             // market: LicenseRequest → License
	PathLicensesCancel     = "/licenses/cancel"      // market: CancelRequest → Cancellation
	PathSealFilings        = "/filings"              // seal: SealRequest → SealFiling
	PathSealFilingsCancel  = "/filings/cancel"       // seal: CancelRequest → Cancellation
	PathTaxRegistrations   = "/registrations"        // tax: TaxRequest → TaxRegistration
	PathTaxCancel          = "/registrations/cancel" // tax: CancelRequest → Cancellation
	PathEmployers          = "/employers"            // social, medical, fund: EmployerRequest → EmployerAccount
	PathEmployersCancel    = "/employers/cancel"     // social, medical, fund: CancelRequest → Cancellation
	PathAppointments       = "/appointments"         // bank: BankRequest → BankAppointment
	PathAppointmentsCancel = "/appointments/cancel"  // bank: CancelRequest → Cancellation
)

// HeaderIdempotencyKey carries the request's idempotency key.
const HeaderIdempotencyKey = "Idempotency-Key"

// Error codes of an agency's error body.
const (
	CodeRejected            = "REJECTED"             // 422: final rejection
	CodeNameReview          = "NAME_REVIEW"          // 422: a person must decide on the name
	CodeIdentityFailed      = "IDENTITY_FAILED"      // 422: a person failed the real-name check
	CodeBadRequest          = "BAD_REQUEST"          // 400: the agency cannot use the request
	CodeIdempotencyConflict = "IDEMPOTENCY_CONFLICT" // 409: key reused with another request
	CodeUnavailable         = "UNAVAILABLE"          // 503: try again later
	// CodeNeedsCorrection (422) refuses what the applicant can fix: the
	// body's fields name the form fields to correct (JSON paths of
	// kaiban.FieldTracks) and reasonCode why (kaiban.CorrectionReasons).
	CodeNeedsCorrection = "NEEDS_CORRECTION"
)

// ErrorBody is the JSON body of every non-2xx answer.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Fields and ReasonCode come with CodeNeedsCorrection only.
	Fields     []string `json:"fields,omitempty"`
	ReasonCode string   `json:"reasonCode,omitempty"`
}

// errorNameFor maps an error-body code to the domain error name; ok is false
// for codes this client does not know.
func errorNameFor(code string) (name string, ok bool) {
	switch code {
	case CodeRejected, CodeBadRequest:
		return kaiban.ErrAgencyRejected, true
	case CodeNameReview:
		return kaiban.ErrNameNeedsReview, true
	case CodeIdentityFailed:
		return kaiban.ErrIdentityFailed, true
	case CodeIdempotencyConflict:
		return kaiban.ErrIdempotencyConflict, true
	case CodeUnavailable:
		return kaiban.ErrAgencyUnavailable, true
	case CodeNeedsCorrection:
		return kaiban.ErrAgencyNeedsCorrection, true
	}
	return "", false
}
