package oidcp

import (
	"errors"
	"strings"
	"time"
)

// Failed sign-ins are counted per username: after maxFailures within
// failureWindow the username is refused for lockout, whatever the
// password, so guessing a clerk's password on the login page takes years
// rather than hours.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	lockout       = 5 * time.Minute
	maxTracked    = 10000 // usernames with recent failures kept at most
)

var errLocked = errors.New("too many failed sign-ins")

type failures struct {
	count       int
	first       time.Time
	lockedUntil time.Time
}

// lockedLocked reports whether username may not try now. The caller holds s.mu.
func (s *storage) lockedLocked(username string, now time.Time) bool {
	f, ok := s.failed[strings.ToLower(username)]
	return ok && now.Before(f.lockedUntil)
}

// recordLocked counts a failed (ok false) or clears a successful sign-in.
func (s *storage) recordLocked(username string, ok bool, now time.Time) {
	key := strings.ToLower(username)
	if ok {
		delete(s.failed, key)
		return
	}
	f := s.failed[key]
	if f == nil || now.Sub(f.first) > failureWindow {
		if len(s.failed) >= maxTracked {
			for k, old := range s.failed {
				if now.Sub(old.first) > failureWindow && !now.Before(old.lockedUntil) {
					delete(s.failed, k)
				}
			}
		}
		if len(s.failed) >= maxTracked {
			return
		}
		f = &failures{first: now}
		s.failed[key] = f
	}
	f.count++
	if f.count >= maxFailures {
		f.lockedUntil = now.Add(lockout)
		f.count, f.first = 0, now
	}
}
