// Package sim simulates every agency the one-stop service talks to, over
// real HTTP, for tests, the local stack and drills.
//
// One server hosts all agencies, each under its own path prefix (the
// agency kind), with the paths of shared/agency/wire.go below it:
//
//	POST /identity/verifications       IdentityRequest        → IdentityAttestation
//	POST /market/name-checks           NameCheckRequest       → NameCheck
//	POST /market/reservations          NameReservationRequest → NameReservation
//	POST /market/credit-codes          CreditCodeRequest      → CreditCodeAssignment
//	POST /market/licenses              LicenseRequest         → License
//	POST /market/licenses/cancel       CancelRequest          → Cancellation
//	POST /seal/filings[/cancel]        SealRequest            → SealFiling
//	POST /tax/registrations[/cancel]   TaxRequest             → TaxRegistration
//	POST /{social,medical,fund}/employers[/cancel] EmployerRequest → EmployerAccount
//	POST /bank/appointments[/cancel]   BankRequest            → BankAppointment
//
// so agency.SingleHost(server.URL()) is a complete configuration.
//
// Behaviour per call, in this order: latency (Profile, plus SetSlow) through
// the injectable Sleeper; SetDown → 503; a transient failure drawn from the
// profile: a 503 before anything is recorded, or — after the record is
// committed, so the answer is lost but the work is done — a stall past the
// client's timeout or a dropped connection; then the idempotent operation
// itself (deterministic triggers, random rejections); SetMalformed garbles
// successful answers.
//
// Deterministic triggers: a trade name containing 拒绝 is rejected by market
// regulation and one containing 审核 needs review; a bank branch code ending
// in 999 is unavailable; a person whose name contains 冒用 fails identity
// verification (as does an invalid resident ID number); an address detail
// containing 封存 is rejected by the seal system (a clerk decides), one
// containing 查封 is refused asking the applicant to correct the address.
//
// Randomness is seeded: every draw for a call comes from a generator seeded
// with the profile seed, the operation, its idempotency key and the attempt
// number, so a run is reproducible however requests interleave. Numbers in
// results (credit codes, filing codes, account numbers) are seeded by the
// idempotency key alone.
package sim
