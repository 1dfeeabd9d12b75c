package kaiban

import "time"

// Outcomes of the founders' confirmations, as the workflow routes them.
const (
	OutcomeSigned   = "signed"   // everyone signed: the application is accepted
	OutcomeDeclined = "declined" // someone declined: the application stops
	OutcomePending  = "pending"  // still waiting for someone
	OutcomeExpired  = "expired"  // the window closed with someone pending
)

// ErrConfirmationSettled is what the waiting step fails with when, by the
// time it stored its task token, the confirmations were already settled:
// the workflow then reads the outcome again instead of waiting.
const ErrConfirmationSettled = "Confirmation.Settled"

// ConfirmOutcome is the state of an application's confirmations as a
// whole: the waiting state's output and the check steps' result.
type ConfirmOutcome struct {
	Outcome string `json:"outcome"`
	// Cause is the rejection's message (Chinese, a NoticeConfirmation*
	// text) for declined and expired.
	Cause      string     `json:"cause"`
	AcceptedAt *time.Time `json:"acceptedAt,omitempty"`
}
