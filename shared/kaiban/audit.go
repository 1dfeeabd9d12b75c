package kaiban

import (
	"bytes"
	"crypto/hmac"
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
// trail, kept apart from the events. MAC signs (application, Seq, Hash)
// with the audit key, so deleting the newest events and moving the head
// back is detected too: the old signature does not fit the new head, and
// a new one cannot be made without the key.
type AuditHead struct {
	Seq  int64
	Hash string
	MAC  string
}

// Domain prefixes keep an event's MAC and a head's MAC from ever being
// taken for each other.
const (
	auditEventDomain = "kaiban.audit.event.v1\x00"
	auditHeadDomain  = "kaiban.audit.head.v1\x00"
)

// ComputeHash returns the hex HMAC-SHA256 under k over the event's content
// and PrevHash. Time is taken in UTC with nanoseconds and Before and After
// compacted, so the hash survives a round trip through either store and a
// whitespace-only reformat of the stored JSON.
func (e AuditEvent) ComputeHash(k AuditKey) string {
	var b bytes.Buffer
	b.WriteString(auditEventDomain)
	fmt.Fprintf(&b, "%s\x00%d\x00%s\x00%s\x00%s\x00", e.ApplicationID, e.Seq, e.Time.UTC().Format(time.RFC3339Nano), e.Actor, e.Action)
	b.Write(compactJSON(e.Before))
	b.WriteByte(0)
	b.Write(compactJSON(e.After))
	b.WriteByte(0)
	b.WriteString(e.PrevHash)
	return hex.EncodeToString(k.MAC(b.Bytes()))
}

// HeadMAC returns the hex signature of an application's head (seq, hash).
func HeadMAC(k AuditKey, applicationID string, seq int64, hash string) string {
	return hex.EncodeToString(k.MAC(fmt.Appendf(nil, "%s%s\x00%d\x00%s", auditHeadDomain, applicationID, seq, hash)))
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

// Chain fills in Seq, PrevHash and Hash of e so it follows head, and
// returns the new head, signed.
func (e *AuditEvent) Chain(k AuditKey, head AuditHead) AuditHead {
	e.Seq = head.Seq + 1
	e.PrevHash = head.Hash
	e.Hash = e.ComputeHash(k)
	return AuditHead{Seq: e.Seq, Hash: e.Hash, MAC: HeadMAC(k, e.ApplicationID, e.Seq, e.Hash)}
}

// Reasons an AuditBreak gives; stable, the console translates them.
const (
	AuditEdited    = "edited"    // the event's content does not match its MAC
	AuditInserted  = "inserted"  // an event that was never appended
	AuditDeleted   = "deleted"   // an event is missing
	AuditReordered = "reordered" // events are out of order
	// AuditTruncated: the head's signature does not fit the head, which
	// is what deleting the newest events and rewriting the head leaves.
	AuditTruncated = "truncated"
)

// AuditBreak reports where an audit trail stops being trustworthy.
type AuditBreak struct {
	Seq    int64  // the first event that is wrong (or, for a deletion at the end, the first missing)
	Reason string // one of the Audit* reasons above
}

func (b *AuditBreak) Error() string {
	return fmt.Sprintf("audit trail broken at event %d: %s", b.Seq, b.Reason)
}

// VerifyAudit checks events (in stored order) against each other, against
// their MACs under k and against the signed head. It returns nil when the
// trail is intact, or an *AuditBreak naming the first bad event.
func VerifyAudit(k AuditKey, events []AuditEvent, head AuditHead) error {
	prev := ""
	for i, e := range events {
		want := int64(i + 1)
		switch {
		case e.Seq < want:
			return &AuditBreak{Seq: e.Seq, Reason: AuditReordered}
		case e.Seq > want:
			// A gap: an event is missing here.
			return &AuditBreak{Seq: want, Reason: AuditDeleted}
		}
		if e.PrevHash != prev {
			if i+1 < len(events) && events[i+1].PrevHash == prev {
				return &AuditBreak{Seq: e.Seq, Reason: AuditInserted}
			}
			return &AuditBreak{Seq: e.Seq, Reason: AuditEdited}
		}
		if !hmacEqual(e.ComputeHash(k), e.Hash) {
			return &AuditBreak{Seq: e.Seq, Reason: AuditEdited}
		}
		prev = e.Hash
	}
	n := int64(len(events))
	switch {
	case head.Seq > n:
		return &AuditBreak{Seq: n + 1, Reason: AuditDeleted}
	case head.Seq < n:
		return &AuditBreak{Seq: head.Seq + 1, Reason: AuditInserted}
	case n > 0 && head.Hash != prev:
		return &AuditBreak{Seq: n, Reason: AuditEdited}
	case n > 0 && len(events) > 0 && !hmacEqual(HeadMAC(k, events[0].ApplicationID, head.Seq, head.Hash), head.MAC):
		return &AuditBreak{Seq: n + 1, Reason: AuditTruncated}
	}
	return nil
}

func hmacEqual(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }
