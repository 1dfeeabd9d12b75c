package sim

import (
	"crypto/sha256"
	"sync"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ledger is what the agencies have on file: the first answer to every
// idempotency key, the records registrations created, and cancellations.
// One mutex guards it; operations hold it only while deciding and
// recording, never while sleeping.
type ledger struct {
	mu         sync.Mutex
	answers    map[opKey]answer
	attempts   map[opKey]int
	records    map[origKey]*record // primary records by the key that created them
	tombstones map[origKey]bool    // keys cancelled, possibly before they were used
	byApp      map[string][]*record
	codes      map[string]string // issued credit code → idempotency key
	created    int
}

// opKey identifies one operation called with one idempotency key.
type opKey struct {
	kind kaiban.AgencyKind
	path string
	key  string
}

// origKey identifies what a registration created, for cancellation.
type origKey struct {
	kind kaiban.AgencyKind
	key  string
}

// answer is a stored first answer; hash is the request body's, to detect a
// key reused for another request.
type answer struct {
	hash   [32]byte
	status int
	body   []byte
}

// record is one registration on file (a verification, licence, seal
// filing, tax registration, employer account or appointment).
type record struct {
	kind kaiban.AgencyKind
	app  string
	live bool
}

func (l *ledger) init() {
	l.answers = make(map[opKey]answer)
	l.attempts = make(map[opKey]int)
	l.records = make(map[origKey]*record)
	l.tombstones = make(map[origKey]bool)
	l.byApp = make(map[string][]*record)
	l.codes = make(map[string]string)
}

// attempt returns the 1-based number of this call of op with key.
func (l *ledger) attempt(k opKey) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.attempts[k]++
	return l.attempts[k]
}

func bodyHash(b []byte) [32]byte { return sha256.Sum256(b) }

// LiveRecords returns, per agency kind, how many records of the application
// are live (created and not cancelled); kinds with none are absent.
// Name checks, reservations and credit-code assignments are not records:
// the licence stands for the company's registration.
func (s *Server) LiveRecords(applicationID string) map[string]int {
	s.ledger.mu.Lock()
	defer s.ledger.mu.Unlock()
	out := make(map[string]int)
	for _, r := range s.ledger.byApp[applicationID] {
		if r.live {
			out[string(r.kind)]++
		}
	}
	return out
}

// TotalRecords returns how many records have ever been created, live or
// cancelled, across all applications: a drill with N applications and no
// duplicates ends with TotalRecords() == N × the records per application.
func (s *Server) TotalRecords() int {
	s.ledger.mu.Lock()
	defer s.ledger.mu.Unlock()
	return s.ledger.created
}
