// Package storetest is the contract every kaiban.Store keeps, written once
// and run against each implementation (RunContract), together with the
// fixtures the suites share and MemStore, an in-memory Store for other
// packages' domain tests that is held to the same contract.
package storetest

import (
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Tamper reaches past the Store into its storage, as an attacker or a
// careless operator with database access would. Each implementation's test
// provides one so the suite can check that tampering is detected and that
// personal data is not stored in the clear.
type Tamper interface {
	// RewriteAudit replaces the stored events of the application with
	// events, written exactly as given (no chaining), and leaves the
	// store's audit head alone.
	RewriteAudit(t *testing.T, s kaiban.Store, applicationID string, events []kaiban.AuditEvent)
	// RewriteHead sets the stored head's sequence number and hash and
	// leaves its signature alone (an attacker has no key to sign with).
	RewriteHead(t *testing.T, s kaiban.Store, applicationID string, seq int64, hash string)
	// StoredApplication returns the raw bytes the store keeps for the
	// application (rows, item), or nil when the implementation does not
	// seal personal data (the at-rest check is then skipped, with a note).
	StoredApplication(t *testing.T, s kaiban.Store, id string) []byte
}

// Fault breaks a store from inside, so the suite can check that an audited
// write whose event cannot be stored leaves nothing behind.
type Fault interface {
	// FailAudit makes every later audit append of s fail inside the write
	// that carries it, after the change it records has been made in that
	// write (a transaction's second statement, the second item of a
	// TransactWriteItems).
	FailAudit(t *testing.T, s kaiban.Store)
}

// Option changes how RunContract runs.
type Option func(*config)

type config struct {
	tamper Tamper
	fault  Fault
}

// WithTamper gives the suite the implementation's Tamper hook; without it
// the tamper and at-rest checks are skipped with a printed reason.
func WithTamper(h Tamper) Option { return func(c *config) { c.tamper = h } }

// WithFault gives the suite the implementation's Fault hook; without it the
// atomicity checks are skipped with a printed reason.
func WithFault(f Fault) Option { return func(c *config) { c.fault = f } }

// RunContract runs the whole contract. open must return a new, empty store
// for each call (the subtests run in parallel and count what they create);
// it should register the store's cleanup with t.Cleanup.
func RunContract(t *testing.T, open func(t *testing.T) kaiban.Store, opts ...Option) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	groups := []struct {
		name string
		run  func(t *testing.T, open func(t *testing.T) kaiban.Store, c config)
	}{
		{"Applications", testApplications},
		{"Idempotency", testIdempotency},
		{"AccessToken", testAccessToken},
		{"Tracks", testTracks},
		{"ClerkTasks", testClerkTasks},
		{"ClerkDecisions", testClerkDecisions},
		{"Watchdog", testWatchdog},
		{"Audit", testAudit},
		{"Atomic", testAtomic},
		{"TaskAudited", testTaskAudited},
		{"ConcurrentAuditedClaims", testConcurrentAuditedClaims},
		{"AuditedParallelTracks", func(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) { testAuditedParallelTracks(t, open) }},
		{"BadInput", testBadInput},
		{"Closed", testClosed},
		{"Lang", testLang},
		{"Finished", testFinished},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			g.run(t, open, c)
		})
	}
}
