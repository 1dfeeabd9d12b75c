// Package confirmtest is the test kit of the founders' confirmations: an
// in-memory Notifier that keeps what it sent, a fake identity agency, a
// fixed signing key, and SignAll, which signs for every founder through
// the service's own use cases (what a test that only cares about the
// tracks needs, without a bypass in production code).
package confirmtest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/signing"
	"github.com/kaiban/kaiban/shared/validate"
)

// Notifier keeps every message it is given, once per Key.
type Notifier struct {
	mu   sync.Mutex
	msgs []kaiban.Message
	keys map[string]bool
}

var _ kaiban.Notifier = (*Notifier)(nil)

// Send implements kaiban.Notifier.
func (n *Notifier) Send(_ context.Context, m kaiban.Message) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.keys == nil {
		n.keys = map[string]bool{}
	}
	if n.keys[m.Key] {
		return nil
	}
	n.keys[m.Key] = true
	n.msgs = append(n.msgs, m)
	return nil
}

// Messages returns the messages of one application and kind ("" for all
// kinds), in the order they were sent.
func (n *Notifier) Messages(applicationID, kind string) []kaiban.Message {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []kaiban.Message
	for _, m := range n.msgs {
		if m.ApplicationID == applicationID && (kind == "" || m.Kind == kind) {
			out = append(out, m)
		}
	}
	return out
}

// Tokens returns the confirmation tokens of an application's links, one
// per person (from the SMS of kind "confirm"), in person order.
func (n *Notifier) Tokens(applicationID string) []string {
	var out []string
	for _, m := range n.Messages(applicationID, "confirm") {
		if m.Channel == kaiban.ChannelSMS {
			out = append(out, TokenOf(m.Link))
		}
	}
	return out
}

// TokenOf is the token in a confirmation link's fragment.
func TokenOf(link string) string {
	_, token, _ := strings.Cut(link, "#")
	return token
}

// Identity is a fake identity agency: a name containing 冒用 fails, as
// with the agency simulator; Calls counts the checks.
type Identity struct {
	mu    sync.Mutex
	calls int
}

var _ kaiban.IdentityVerifier = (*Identity)(nil)

// VerifyIdentity implements kaiban.IdentityVerifier.
func (i *Identity) VerifyIdentity(_ context.Context, req kaiban.IdentityRequest) (kaiban.IdentityAttestation, error) {
	i.mu.Lock()
	i.calls++
	i.mu.Unlock()
	for _, p := range req.Persons {
		if strings.Contains(p.Name, "冒用") {
			return kaiban.IdentityAttestation{}, kaiban.Errorf(kaiban.ErrIdentityFailed, "identity not verified")
		}
	}
	return kaiban.IdentityAttestation{ID: "IDV-TEST", VerifiedAt: time.Now(), Persons: len(req.Persons)}, nil
}

// Calls is how many checks reached the agency.
func (i *Identity) Calls() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.calls
}

// Signer is a local signer with a fixed key.
func Signer() *signing.Local {
	s, err := signing.NewLocal(bytes.Repeat([]byte{0x42}, 32))
	if err != nil {
		panic(err)
	}
	return s
}

// Deps returns confirmation deps over store with a new Notifier and
// Identity, which it returns too.
func Deps(store kaiban.Confirmations) (*onestop.ConfirmDeps, *Notifier, *Identity) {
	n, id := &Notifier{}, &Identity{}
	return &onestop.ConfirmDeps{Store: store, Notifier: n, Signer: Signer(), Identity: id}, n, id
}

// SignAll verifies and signs for every founder of the application whose
// links n captured, through the service's use cases.
func SignAll(ctx context.Context, svc *onestop.Service, n *Notifier, applicationID string) error {
	tokens := n.Tokens(applicationID)
	if len(tokens) == 0 {
		return fmt.Errorf("confirmtest: no confirmation links sent for %s", applicationID)
	}
	yes := true
	for i, tok := range tokens {
		r, err := svc.VerifyIdentity(ctx, tok, onestop.IdentityInput{Liveness: &onestop.Liveness{Passed: true}}, validate.LangEN)
		if err != nil {
			return fmt.Errorf("confirmtest: person %d: identity: %w", i, err)
		}
		if !r.Verified {
			return fmt.Errorf("confirmtest: person %d: identity not verified: %s", i, r.Reason)
		}
		if _, err := svc.Decide(ctx, tok, onestop.DecisionInput{Sign: &yes}, validate.LangEN); err != nil && !kaiban.IsName(err, kaiban.ErrConfirmationDecided) {
			return fmt.Errorf("confirmtest: person %d: sign: %w", i, err)
		}
	}
	return nil
}
