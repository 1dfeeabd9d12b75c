package expr

import (
	"time"
)

// parseTimestamp parses a timestamp the way Step Functions accepts one
// (Choice Timestamp* rules, IsTimestamp, Wait's Timestamp): RFC 3339 with
// an uppercase T between date and time and an uppercase Z or a numeric
// offset; fractional seconds are allowed.
func parseTimestamp(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || s[10] != 'T' {
		return time.Time{}, false
	}
	if last := s[len(s)-1]; last != 'Z' && (last < '0' || last > '9') {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// ParseTimestamp is parseTimestamp for the engine (Wait state Timestamp
// and TimestampPath), so both accept exactly the same strings.
func ParseTimestamp(s string) (time.Time, bool) { return parseTimestamp(s) }
