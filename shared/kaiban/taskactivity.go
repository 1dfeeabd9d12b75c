package kaiban

import (
	"context"
	"time"
)

// TaskActivity reads the clerks' recent work for the supervisor's view.
// Every store implements it beside Store, over an index of resolved tasks
// by resolution time, so a day's work is read without scanning every task
// ever resolved.
type TaskActivity interface {
	// ResolvedTasksBetween lists the tasks resolved at or after from and
	// before to, newest resolution first (then ID, descending), at most
	// limit (ClampActivityLimit). A period longer than
	// MaxActivityPeriod, or one that ends before it starts, is ErrInput.
	ResolvedTasksBetween(ctx context.Context, from, to time.Time, limit int) ([]ClerkTask, error)
}

// MaxActivityPeriod is the longest period ResolvedTasksBetween reads.
const MaxActivityPeriod = 31 * 24 * time.Hour

// CheckActivityPeriod returns ErrInput for a period no store reads.
func CheckActivityPeriod(from, to time.Time) error {
	if err := CheckTime("from", from); err != nil {
		return err
	}
	if err := CheckTime("to", to); err != nil {
		return err
	}
	if to.Before(from) || to.Sub(from) > MaxActivityPeriod {
		return Errorf(ErrInput, "the period must end after it starts and last at most %s", MaxActivityPeriod)
	}
	return nil
}

// Limits of ResolvedTasksBetween: a busy hall resolves some hundreds of
// tasks a day.
const (
	DefaultActivityLimit = 500
	MaxActivityLimit     = 2000
)

// ClampActivityLimit applies DefaultActivityLimit and MaxActivityLimit.
func ClampActivityLimit(n int) int {
	if n <= 0 {
		return DefaultActivityLimit
	}
	return min(n, MaxActivityLimit)
}

// NewestResolvedFirst orders resolved tasks as ResolvedTasksBetween returns
// them.
func NewestResolvedFirst(a, b ClerkTask) int {
	if a.ResolvedAt != nil && b.ResolvedAt != nil && !a.ResolvedAt.Equal(*b.ResolvedAt) {
		if a.ResolvedAt.After(*b.ResolvedAt) {
			return -1
		}
		return 1
	}
	switch {
	case a.ID > b.ID:
		return -1
	case a.ID < b.ID:
		return 1
	}
	return 0
}
