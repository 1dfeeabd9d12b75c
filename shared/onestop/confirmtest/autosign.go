package confirmtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/validate"
)

// AutoSign is a Notifier for tests about what happens after the
// signatures: every founder verifies and signs, through the service's own
// use cases, the moment their confirmation link is sent. The signing
// happens inside the send, so on a virtual clock the workflow never waits
// for it. Every message, the links included, goes on to Next.
//
// Each founder signs once: the links go out both from the submission and
// from the workflow's step, and a second send of a link signs nothing.
type AutoSign struct {
	mu     sync.Mutex
	svc    *onestop.Service
	next   kaiban.Notifier
	errs   []error
	signed map[string]bool
}

var _ kaiban.Notifier = (*AutoSign)(nil)

// Use sets the service that signs and the notifier every message goes
// on to (the stack's outbox). A link sent before Use is passed on
// unsigned.
func (a *AutoSign) Use(svc *onestop.Service, next kaiban.Notifier) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.svc, a.next = svc, next
}

// Send implements kaiban.Notifier.
func (a *AutoSign) Send(ctx context.Context, m kaiban.Message) error {
	a.mu.Lock()
	svc, next := a.svc, a.next
	a.mu.Unlock()
	if next != nil {
		if err := next.Send(ctx, m); err != nil {
			return err
		}
	}
	if svc == nil || m.Kind != "confirm" || m.Channel != kaiban.ChannelSMS {
		return nil
	}
	tok := TokenOf(m.Link)
	a.mu.Lock()
	if a.signed == nil {
		a.signed = map[string]bool{}
	}
	again := a.signed[tok]
	a.signed[tok] = true
	a.mu.Unlock()
	if again {
		return nil
	}
	err := signOne(ctx, svc, tok)
	// A loaded machine can time the identity agency out: try again, as
	// a person would, before counting the signature as failed.
	for try := 1; try < signTries && err != nil && !errors.Is(err, errNotVerified); try++ {
		time.Sleep(time.Duration(try) * 100 * time.Millisecond) // real time: the agency is slow, not the clock
		err = signOne(ctx, svc, tok)
	}
	if err != nil {
		a.mu.Lock()
		a.errs = append(a.errs, fmt.Errorf("%s: %w", m.ApplicationID, err))
		a.mu.Unlock()
	}
	return nil
}

// Errs returns the signatures that failed (an impostor's, say): a test
// that expects every founder to sign checks it is empty.
func (a *AutoSign) Errs() []error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]error(nil), a.errs...)
}

// signTries is how often AutoSign tries a founder's signature.
const signTries = 8

// errNotVerified is the identity agency's refusal (an impostor), which
// trying again does not change.
var errNotVerified = errors.New("identity not verified")

// signOne verifies and signs for the founder whose token it is.
func signOne(ctx context.Context, svc *onestop.Service, tok string) error {
	r, err := svc.VerifyIdentity(ctx, tok, onestop.IdentityInput{Liveness: &onestop.Liveness{Passed: true}}, validate.LangEN)
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	if !r.Verified {
		return fmt.Errorf("%w: %s", errNotVerified, r.Reason)
	}
	yes := true
	if _, err := svc.Decide(ctx, tok, onestop.DecisionInput{Sign: &yes}, validate.LangEN); err != nil && !kaiban.IsName(err, kaiban.ErrConfirmationDecided) {
		return fmt.Errorf("sign: %w", err)
	}
	return nil
}
