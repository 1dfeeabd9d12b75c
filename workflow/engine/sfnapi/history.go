package sfnapi

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/kaiban/kaiban/workflow/engine"
)

// historyEvent is one event on the wire. Its detail object sits under a key
// that depends on the event type (taskScheduledEventDetails, ...), so it
// marshals itself rather than relying on struct tags.
type historyEvent struct {
	ID              int64
	PreviousEventID int64
	Type            string
	Timestamp       epochTime
	DetailsKey      string
	Details         json.RawMessage
}

func newHistoryEvent(ev engine.HistoryEvent) historyEvent {
	return historyEvent{
		ID:              ev.ID,
		PreviousEventID: ev.PreviousEventID,
		Type:            ev.Type,
		Timestamp:       epochTime(ev.Timestamp),
		DetailsKey:      ev.DetailsKey,
		Details:         ev.Details,
	}
}

// MarshalJSON writes {"timestamp","type","id","previousEventId",<key>:...}.
func (e historyEvent) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	ts, _ := e.Timestamp.MarshalJSON()
	typ, err := json.Marshal(e.Type)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, `{"timestamp":%s,"type":%s,"id":%d,"previousEventId":%d`, ts, typ, e.ID, e.PreviousEventID)
	if e.DetailsKey != "" && len(e.Details) > 0 {
		key, err := json.Marshal(e.DetailsKey)
		if err != nil {
			return nil, err
		}
		if !json.Valid(e.Details) {
			return nil, fmt.Errorf("event %d: details under %s are not valid JSON", e.ID, e.DetailsKey)
		}
		b.WriteByte(',')
		b.Write(key)
		b.WriteByte(':')
		b.Write(e.Details)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// withoutExecutionData drops the payloads from an event's details, as AWS
// does when GetExecutionHistory is called with includeExecutionData=false.
func (e historyEvent) withoutExecutionData() historyEvent {
	if len(e.Details) == 0 {
		return e
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(e.Details, &m); err != nil {
		return e // not an object: nothing to strip
	}
	for _, k := range []string{"input", "output", "inputDetails", "outputDetails"} {
		delete(m, k)
	}
	stripped, err := json.Marshal(m)
	if err != nil {
		return e
	}
	e.Details = stripped
	return e
}

// MarshalHistory renders events exactly as GetExecutionHistory returns them,
// {"events":[...]}, so the CLI can print a history people can compare with
// one fetched from AWS.
func MarshalHistory(events []engine.HistoryEvent) ([]byte, error) {
	out := getExecutionHistoryOutput{Events: make([]historyEvent, len(events))}
	for i, ev := range events {
		out.Events[i] = newHistoryEvent(ev)
	}
	return json.Marshal(out)
}
