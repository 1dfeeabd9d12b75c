package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Outbox = (*Store)(nil)

// outboxContext binds a sealed outbox field to its message and column, so
// a sealed value moved to another row or column does not open.
func outboxContext(key, column string) string { return "outbox:" + column + ":" + key }

// Send implements kaiban.Notifier for the local stack: the message becomes
// a row of the outbox; a key already there inserts nothing (INSERT OR
// IGNORE on the primary key), so of concurrent sends of one key one row
// remains.
func (s *Store) Send(ctx context.Context, m kaiban.Message) error {
	if err := kaiban.CheckMessage(m); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	m = kaiban.StampMessage(m, time.Now())
	var sealed [3]string
	for i, f := range []struct{ col, v string }{{"recipient", m.To}, {"text", m.Text}, {"link", m.Link}} {
		v, err := s.seal.Seal(f.v, outboxContext(m.Key, f.col))
		if err != nil {
			return kaiban.Wrap(kaiban.ErrInternal, err, "cannot seal the message")
		}
		sealed[i] = v
	}
	err := s.writeSingle(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO outbox (key, application_id, recipient, channel, kind, text, link, sent_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.Key, m.ApplicationID, sealed[0], string(m.Channel), m.Kind, sealed[1], sealed[2], nanos(m.SentAt))
		return err
	})
	return storeErr(err, "cannot store the message")
}

// Messages implements kaiban.Outbox.
func (s *Store) Messages(ctx context.Context, limit int) ([]kaiban.Message, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT key, application_id, recipient, channel, kind, text, link, sent_at
		FROM outbox ORDER BY sent_at DESC, key DESC LIMIT ?`, kaiban.OutboxLimit(limit))
	if err != nil {
		return nil, storeErr(err, "cannot read the outbox")
	}
	defer rows.Close()
	var out []kaiban.Message
	for rows.Next() {
		var m kaiban.Message
		var channel string
		var at int64
		var sealed [3]string
		if err := rows.Scan(&m.Key, &m.ApplicationID, &sealed[0], &channel, &m.Kind, &sealed[1], &sealed[2], &at); err != nil {
			return nil, storeErr(err, "cannot read the outbox")
		}
		m.Channel, m.SentAt = kaiban.Channel(channel), fromNanos(at)
		for i, dst := range []*string{&m.To, &m.Text, &m.Link} {
			v, err := s.seal.Open(sealed[i], outboxContext(m.Key, [...]string{"recipient", "text", "link"}[i]))
			if err != nil {
				return nil, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "an outbox message does not open with the PII key")
			}
			*dst = v
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, "cannot read the outbox")
	}
	return out, nil
}
