package storetest

import (
	"context"
	"sort"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Outbox = (*MemStore)(nil)

// Send implements kaiban.Notifier: the message is kept in the store's
// outbox, once per key.
func (m *MemStore) Send(ctx context.Context, msg kaiban.Message) error {
	if err := kaiban.CheckMessage(msg); err != nil {
		return err
	}
	msg = kaiban.StampMessage(msg, time.Now())
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	if m.outbox == nil {
		m.outbox = map[string]kaiban.Message{}
	}
	if _, ok := m.outbox[msg.Key]; !ok {
		m.outbox[msg.Key] = msg
	}
	return nil
}

// Messages implements kaiban.Outbox.
func (m *MemStore) Messages(ctx context.Context, limit int) ([]kaiban.Message, error) {
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	out := make([]kaiban.Message, 0, len(m.outbox))
	for _, msg := range m.outbox {
		out = append(out, msg)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].SentAt.Equal(out[j].SentAt) {
			return out[i].SentAt.After(out[j].SentAt)
		}
		return out[i].Key > out[j].Key
	})
	if n := kaiban.OutboxLimit(limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}
