package docissue

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The documents step's phases: the submission's documents before the
// founders' confirmations, a succeeded track's after it, and every
// document a completed application is due (the re-issue of what an
// earlier phase missed).
const (
	PhaseSubmission = "submission"
	PhaseTrack      = "track"
	PhaseCompleted  = "completed"
)

// Input is the documents step's input.
type Input struct {
	ApplicationID string           `json:"applicationId"`
	Phase         string           `json:"phase"`
	Track         kaiban.TrackName `json:"track,omitempty"`
}

// Output says what the step issued (or found issued by an earlier run).
type Output struct {
	Documents []string `json:"documents"` // their IDs
}

// Handle is the documents step: it issues the phase's documents and
// answers their IDs. Bad input is ErrInput; a failure to sign or store is
// transient (the definition retries it).
func (is *Issuer) Handle(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	var req Input
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, kaiban.Errorf(kaiban.ErrInput, "documents step input: %v", err)
	}
	if kaiban.CheckKey("application id", req.ApplicationID) != nil {
		return nil, kaiban.Errorf(kaiban.ErrInput, "documents step input needs an applicationId")
	}
	var ds []kaiban.DocumentRecord
	var err error
	switch req.Phase {
	case PhaseSubmission:
		ds, err = is.ForSubmission(ctx, req.ApplicationID)
	case PhaseTrack:
		ds, err = is.ForTrack(ctx, req.ApplicationID, req.Track)
	case PhaseCompleted:
		ds, err = is.ForCompleted(ctx, req.ApplicationID)
	default:
		return nil, kaiban.Errorf(kaiban.ErrInput, "documents step phase %q", req.Phase)
	}
	if err != nil {
		return nil, err
	}
	out := Output{Documents: make([]string, len(ds))}
	for i, d := range ds {
		out.Documents[i] = d.ID
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the documents step's output")
	}
	return b, nil
}
