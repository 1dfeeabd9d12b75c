package kaiban

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// AuditEvent is one entry of an application's append-only audit trail.
// Events are numbered from 1 per application; each carries the hash of the
// previous event (PrevHash, empty for the first) and its own Hash over its
// content and PrevHash, so editing, inserting, deleting or reordering an
// event breaks the chain.
type AuditEvent struct {
	ApplicationID string          `json:"applicationId"`
	Seq           int64           `json:"seq"`
	Time          time.Time       `json:"time"`
	Actor         string          `json:"actor"`  // "applicant", "system", "clerk:<sub>", "track:<name>"
	Action        string          `json:"action"` // e.g. "application.submitted", "track.succeeded", "task.claimed"
	Before        json.RawMessage `json:"before,omitempty"`
	After         json.RawMessage `json:"after,omitempty"`
	PrevHash      string          `json:"prevHash"`
	Hash          string          `json:"hash"`
}

// AuditHead is the store's record of the newest event of an application's
// trail, kept apart from the events so that deleting the newest events is
// detected too.
type AuditHead struct {
	Seq  int64
	Hash string
}

// ComputeHash returns the hex SHA-256 over the event's content and PrevHash.
// Time is hashed in UTC with nanoseconds so the hash survives a round trip
// through either store.
func (e AuditEvent) ComputeHash() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s\x00%s\x00", e.ApplicationID, e.Seq, e.Time.UTC().Format(time.RFC3339Nano), e.Actor, e.Action)
	h.Write(compactJSON(e.Before))
	h.Write([]byte{0})
	h.Write(compactJSON(e.After))
	h.Write([]byte{0})
	h.Write([]byte(e.PrevHash))
	return hex.EncodeToString(h.Sum(nil))
}

func compactJSON(b json.RawMessage) []byte {
	if len(b) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// Chain fills in Seq, PrevHash and Hash of e so it follows head.
func (e *AuditEvent) Chain(head AuditHead) {
	e.Seq = head.Seq + 1
	e.PrevHash = head.Hash
	e.Hash = e.ComputeHash()
}

// AuditBreak reports where an audit trail stops being trustworthy.
type AuditBreak struct {
	Seq    int64  // the first event that is wrong (or, for a deletion at the end, the first missing)
	Reason string // "edited", "inserted", "deleted", "reordered"
}

func (b *AuditBreak) Error() string {
	return fmt.Sprintf("audit trail broken at event %d: %s", b.Seq, b.Reason)
}

// VerifyAudit checks events (in stored order) against each other and against
// head. It returns nil when the trail is intact, or an *AuditBreak naming
// the first bad event.
func VerifyAudit(events []AuditEvent, head AuditHead) error {
	prev := ""
	for i, e := range events {
		want := int64(i + 1)
		switch {
		case e.Seq < want:
			return &AuditBreak{Seq: e.Seq, Reason: "reordered"}
		case e.Seq > want:
			// A gap: an event is missing here.
			return &AuditBreak{Seq: want, Reason: "deleted"}
		}
		if e.PrevHash != prev {
			if i+1 < len(events) && events[i+1].PrevHash == prev {
				return &AuditBreak{Seq: e.Seq, Reason: "inserted"}
			}
			return &AuditBreak{Seq: e.Seq, Reason: "edited"}
		}
		if e.ComputeHash() != e.Hash {
			return &AuditBreak{Seq: e.Seq, Reason: "edited"}
		}
		prev = e.Hash
	}
	n := int64(len(events))
	switch {
	case head.Seq > n:
		return &AuditBreak{Seq: n + 1, Reason: "deleted"}
	case head.Seq < n:
		return &AuditBreak{Seq: head.Seq + 1, Reason: "inserted"}
	case n > 0 && head.Hash != prev:
		return &AuditBreak{Seq: n, Reason: "edited"}
	}
	return nil
}
