package kaiban

import "encoding/json"

// ClerkCompletion is what a track completed by hand stores: the clerk's
// data wrapped as the track's result, and the message the applicant sees
// (that a clerk completed it; the clerk's note is internal and stays with
// the task and the audit trail). The API checks it up front (CheckClerkCompletion) with the very
// encoding the track handler writes, so a completion the store would
// refuse (MaxTrackBytes) is refused to the clerk instead of failing the
// workflow's Complete step.
func ClerkCompletion(data json.RawMessage) (json.RawMessage, string, error) {
	if len(data) == 0 || string(data) == "null" {
		data = json.RawMessage(`{}`)
	}
	result, err := json.Marshal(map[string]any{"completedByClerk": true, "data": data})
	if err != nil {
		return nil, "", Wrap(ErrInput, err, "the clerk's data is not valid JSON")
	}
	return result, NoticeTextZH(NoticeCompletedByClerk), nil
}

// CheckClerkCompletion reports ErrInput when the completion of data would
// not fit a track (MaxTrackBytes, the limit every store keeps).
func CheckClerkCompletion(data json.RawMessage) error {
	result, msg, err := ClerkCompletion(data)
	if err != nil {
		return err
	}
	if len(result)+len(msg) > MaxTrackBytes {
		return Errorf(ErrInput, "track result and message are larger than %d bytes", MaxTrackBytes)
	}
	return nil
}
