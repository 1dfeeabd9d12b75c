package journal

import (
	"encoding/binary"
	"errors"
	"slices"
)

// Events are stored in chunks: all the events of one execution that one
// batch carries, in one row. A batch is one execution's flush, so a
// commit inserts one row per execution instead of one per event, which
// is most of what a commit costs. A chunk is a sequence of events, each
// as uvarint id, uvarint prevID, varint unix-nano time, then type,
// thread, details and meta as uvarint length + bytes.

// chunkBound is at most how many bytes appendChunk adds for evs: ids,
// time and lengths take at most 4*10+10 bytes an event.
func chunkBound(evs []Event) int {
	n := 0
	for i := range evs {
		e := &evs[i]
		n += 50 + len(e.Type) + len(e.Thread) + len(e.Details) + len(e.Meta)
	}
	return n
}

func appendChunk(b []byte, evs []Event) []byte {
	// Grow once for the whole chunk: growing it event by event was most
	// of a commit's allocation. A commit sizes its buffer with chunkBound
	// beforehand, so this does not allocate there.
	b = slices.Grow(b, chunkBound(evs))
	for i := range evs {
		e := &evs[i]
		b = binary.AppendUvarint(b, uint64(e.ID))
		b = binary.AppendUvarint(b, uint64(e.PrevID))
		b = binary.AppendVarint(b, e.Time.UnixNano())
		b = appendBytes(b, []byte(e.Type))
		b = appendBytes(b, []byte(e.Thread))
		b = appendBytes(b, e.Details)
		b = appendBytes(b, e.Meta)
	}
	return b
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

var errCorruptChunk = errors.New("journal: corrupt event chunk")

func readChunk(execSeq int64, b []byte, out []Event) ([]Event, error) {
	r := chunkReader{b: b}
	for len(r.b) > 0 {
		e := Event{ExecSeq: execSeq}
		e.ID = int64(r.uvarint())
		e.PrevID = int64(r.uvarint())
		e.Time = fromUnixNano(r.varint())
		e.Type = string(r.bytes())
		e.Thread = string(r.bytes())
		e.Details = r.bytes()
		e.Meta = r.bytes()
		if r.bad {
			return out, errCorruptChunk
		}
		if len(e.Details) == 0 {
			e.Details = nil
		}
		if len(e.Meta) == 0 {
			e.Meta = nil
		}
		out = append(out, e)
	}
	return out, nil
}

type chunkReader struct {
	b   []byte
	bad bool
}

func (r *chunkReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *chunkReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *chunkReader) bytes() []byte {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}
