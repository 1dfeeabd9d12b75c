package kaiban

import "context"

// TrackAuditWriter is implemented by stores that can commit a track update
// together with the audit event recording it, in one write. A track's
// progress is always audited, so this halves its commits. Callers use
// MutateTrackAudited, which falls back to UpdateTrack and then AppendAudit
// for a store without it.
type TrackAuditWriter interface {
	// UpdateTrackWithAudit is UpdateTrack and AppendAudit(e) in one
	// transaction: both happen or neither (ErrVersionConflict writes
	// nothing).
	UpdateTrackWithAudit(ctx context.Context, applicationID string, t Track, e AuditEvent) (Track, error)
}

// MutateTrackAudited is MutateTrackFrom that also appends e, in the same
// write where the store allows (TrackAuditWriter).
func MutateTrackAudited(ctx context.Context, s Store, applicationID string, current Track, fn func(*Track) error, e AuditEvent) (Track, error) {
	w, ok := s.(TrackAuditWriter)
	if !ok {
		t, err := MutateTrackFrom(ctx, s, applicationID, current, fn)
		if err != nil {
			return Track{}, err
		}
		_, err = s.AppendAudit(ctx, e)
		return t, err
	}
	return mutate(ctx, s, applicationID, current.Name, &current, fn, func(t Track) (Track, error) {
		return w.UpdateTrackWithAudit(ctx, applicationID, t, e)
	})
}
