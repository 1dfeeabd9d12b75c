package sim

import (
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// maxBodies bounds the request bodies remembered per agency.
const maxBodies = 64

// controls are the fault switches for drills and the traffic record tests
// inspect.
type controls struct {
	mu     sync.Mutex
	faults map[kaiban.AgencyKind]faults
	calls  map[kaiban.AgencyKind]int
	bodies map[kaiban.AgencyKind][][]byte
	queued map[kaiban.AgencyKind][]Failure
}

type faults struct {
	down, malformed, rejecting bool
	slow                       time.Duration
	next                       Failure // forced by FailNext for this call
}

func (c *controls) init() {
	c.faults = make(map[kaiban.AgencyKind]faults)
	c.calls = make(map[kaiban.AgencyKind]int)
	c.bodies = make(map[kaiban.AgencyKind][][]byte)
	c.queued = make(map[kaiban.AgencyKind][]Failure)
}

func (c *controls) set(k kaiban.AgencyKind, fn func(*faults)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.faults[k]
	fn(&f)
	c.faults[k] = f
}

// arrive counts a call, remembers its body and returns the faults in force.
func (c *controls) arrive(k kaiban.AgencyKind, body []byte) faults {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[k]++
	b := append(c.bodies[k], body)
	if len(b) > maxBodies {
		b = b[len(b)-maxBodies:]
	}
	c.bodies[k] = b
	f := c.faults[k]
	if q := c.queued[k]; len(q) > 0 {
		f.next, c.queued[k] = q[0], q[1:]
	}
	return f
}

// FailNext makes the next n calls to agency k fail with f, whatever the
// profile draws: the drill for retries (Fail5xx) and for answers lost
// after the work was done (FailStall, FailDrop).
func (s *Server) FailNext(k kaiban.AgencyKind, f Failure, n int) {
	s.controls.mu.Lock()
	defer s.controls.mu.Unlock()
	for range n {
		s.controls.queued[k] = append(s.controls.queued[k], f)
	}
}

// SetDown makes agency k answer every call with 503 (true) or recover.
func (s *Server) SetDown(k kaiban.AgencyKind, down bool) {
	s.controls.set(k, func(f *faults) { f.down = down })
}

// SetSlow adds d to the latency of every call to agency k (0 to stop).
func (s *Server) SetSlow(k kaiban.AgencyKind, d time.Duration) {
	s.controls.set(k, func(f *faults) { f.slow = d })
}

// SetMalformed makes agency k garble its successful answers.
func (s *Server) SetMalformed(k kaiban.AgencyKind, on bool) {
	s.controls.set(k, func(f *faults) { f.malformed = on })
}

// SetRejecting makes agency k reject every new registration (for the
// clerk's retry drill: reject, let the clerk retry after switching it off).
func (s *Server) SetRejecting(k kaiban.AgencyKind, on bool) {
	s.controls.set(k, func(f *faults) { f.rejecting = on })
}

// Calls returns how many calls agency k has received.
func (s *Server) Calls(k kaiban.AgencyKind) int {
	s.controls.mu.Lock()
	defer s.controls.mu.Unlock()
	return s.controls.calls[k]
}

// Requests returns the bodies of the most recent calls to agency k (at most
// 64), oldest first, as received.
func (s *Server) Requests(k kaiban.AgencyKind) [][]byte {
	s.controls.mu.Lock()
	defer s.controls.mu.Unlock()
	out := make([][]byte, len(s.controls.bodies[k]))
	for i, b := range s.controls.bodies[k] {
		out[i] = append([]byte(nil), b...)
	}
	return out
}
