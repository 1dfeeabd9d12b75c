// Package agency implements the agency ports of shared/kaiban as HTTP+JSON
// clients: one client per agency kind, all sharing one tuned *http.Client,
// each call bounded by a per-call timeout and the caller's context and
// carrying an Idempotency-Key header.
//
// Endpoints are configured per city (Liaoning's 14 prefecture-level cities,
// "2101".."2114"), with a province-wide default; a call is routed by the
// region code of the company's registered address.
//
// Error mapping, the same for every agency:
//   - connection errors, timeouts, 408, 429 and 5xx, and any answer that
//     cannot be decoded strictly or fails its sanity checks →
//     kaiban.ErrAgencyUnavailable (retry with the same key);
//   - 4xx with a JSON error body → by its code: REJECTED and BAD_REQUEST →
//     kaiban.ErrAgencyRejected, NAME_REVIEW → kaiban.ErrNameNeedsReview,
//     IDENTITY_FAILED → kaiban.ErrIdentityFailed, IDEMPOTENCY_CONFLICT →
//     kaiban.ErrIdempotencyConflict; the agency's message (sanitised and
//     shortened) becomes the client-safe message.
//
// The wire protocol (paths, header, error body) is declared in wire.go and
// served by the simulators in infra/sim.
package agency
