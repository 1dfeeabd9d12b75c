package kaiban

import (
	"context"
	"time"
)

// Channel is how a notification reaches a person.
type Channel string

const (
	ChannelSMS   Channel = "sms"
	ChannelEmail Channel = "email"
)

// Message is one notification to one recipient: an SMS (Amazon SNS on
// AWS) or an e-mail (Amazon SES), or a row of the outbox locally.
type Message struct {
	// Key makes sending idempotent: a second Send with the same key sends
	// nothing, so a retried step never notifies twice. Derive it from the
	// application, the milestone and the recipient.
	Key           string    `json:"-"`
	ApplicationID string    `json:"-"`
	To            string    `json:"to"` // mobile number or e-mail address
	Channel       Channel   `json:"channel"`
	Kind          string    `json:"-"` // the milestone, e.g. "submitted"
	Text          string    `json:"text"`
	Link          string    `json:"link,omitempty"`
	SentAt        time.Time `json:"sentAt"`
}

// Notifier sends messages. Implementations keep Send idempotent by
// Message.Key and never log the text or the link (they may carry personal
// data and tokens).
type Notifier interface {
	Send(ctx context.Context, m Message) error
}
