package kaiban

import (
	"context"
	"time"
	"unicode/utf8"
)

// Outbox is the local stack's Notifier: instead of sending, it keeps every
// message in the store, so a developer (and the browser tests) can read
// what an applicant would have received at /dev/outbox. It is a store part
// of its own, implemented by each store beside kaiban.Store.
type Outbox interface {
	Notifier
	// Messages returns up to limit messages, newest first (by SentAt, then
	// by Key). limit <= 0 or above MaxOutboxList means MaxOutboxList.
	Messages(ctx context.Context, limit int) ([]Message, error)
}

// Limits of a message an Outbox accepts; a message beyond them is refused
// with ErrInput, never truncated.
const (
	MaxMessageKey  = 512
	MaxMessageTo   = 254 // the longest e-mail address
	MaxMessageText = 4096
	MaxMessageLink = 2048
	MaxMessageKind = 64
	MaxOutboxList  = 500
)

// CheckMessage reports why m cannot be sent, as an ErrInput error, or nil.
// Every Outbox (and every channel adapter) checks a message with it before
// storing or sending anything.
func CheckMessage(m Message) error {
	switch {
	case m.Key == "" || len(m.Key) > MaxMessageKey || !utf8.ValidString(m.Key):
		return Errorf(ErrInput, "a message needs a key of 1 to %d bytes of UTF-8", MaxMessageKey)
	case m.To == "" || len(m.To) > MaxMessageTo || !utf8.ValidString(m.To):
		return Errorf(ErrInput, "a message needs a recipient of 1 to %d bytes of UTF-8", MaxMessageTo)
	case m.Channel != ChannelSMS && m.Channel != ChannelEmail:
		return Errorf(ErrInput, "a message's channel is sms or email")
	case m.Text == "" || len(m.Text) > MaxMessageText || !utf8.ValidString(m.Text):
		return Errorf(ErrInput, "a message needs a text of 1 to %d bytes of UTF-8", MaxMessageText)
	case len(m.Link) > MaxMessageLink || !utf8.ValidString(m.Link):
		return Errorf(ErrInput, "a message's link is at most %d bytes of UTF-8", MaxMessageLink)
	case len(m.Kind) > MaxMessageKind || !utf8.ValidString(m.Kind) || len(m.ApplicationID) > MaxMessageKey || !utf8.ValidString(m.ApplicationID):
		return Errorf(ErrInput, "a message's kind or application is too long or not UTF-8")
	}
	return nil
}

// OutboxLimit clamps a Messages limit to 1..MaxOutboxList.
func OutboxLimit(limit int) int {
	if limit <= 0 || limit > MaxOutboxList {
		return MaxOutboxList
	}
	return limit
}

// StampMessage returns m with SentAt set to now (UTC) when it has none, so
// every store records the same time the caller would see.
func StampMessage(m Message, now time.Time) Message {
	if m.SentAt.IsZero() {
		m.SentAt = now
	}
	m.SentAt = m.SentAt.UTC()
	return m
}
