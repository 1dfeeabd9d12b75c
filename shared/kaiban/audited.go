package kaiban

import "context"

// AuditedWriter commits a change together with the audit event recording
// it, in one write: both or nothing. Every Store has it. Callers use
// CreateApplicationAudited, MutateTrackAudited and UpdateApplicationAudited,
// which also record in the event what the change sets.
type AuditedWriter interface {
	// CreateApplicationWithAudit is CreateApplication and, when it creates
	// the application, AppendAudit(e) in the same transaction; a replay
	// (Created false) appends nothing.
	CreateApplicationWithAudit(ctx context.Context, req CreateRequest, e AuditEvent) (CreateResult, error)
	// UpdateTrackWithAudit is UpdateTrack and AppendAudit(e) in one
	// transaction: both happen or neither (ErrVersionConflict writes
	// nothing).
	UpdateTrackWithAudit(ctx context.Context, applicationID string, t Track, e AuditEvent) (Track, error)
	// UpdateApplicationWithAudit is UpdateApplication and AppendAudit(e)
	// in one transaction.
	UpdateApplicationWithAudit(ctx context.Context, id string, u ApplicationUpdate, e AuditEvent) (*Application, error)
}

// CreateApplicationAudited is CreateApplication that also appends e when
// it creates the application, in the same write (a replay appends
// nothing).
//
// e records the status and the form's digest it creates (AuditSet), so
// verification can tell a form edited in the database.
func CreateApplicationAudited(ctx context.Context, s Store, req CreateRequest, e AuditEvent) (CreateResult, error) {
	if err := e.Record(AuditSet{Status: req.Application.Status, Form: FormDigest(req.Application.Form)}); err != nil {
		return CreateResult{}, err
	}
	return s.CreateApplicationWithAudit(ctx, req, e)
}

// UpdateApplicationAudited is UpdateApplication that also appends e, in
// the same write. e records the status and credit code u sets (AuditSet).
func UpdateApplicationAudited(ctx context.Context, s Store, id string, u ApplicationUpdate, e AuditEvent) (*Application, error) {
	if u.Status != "" || u.CreditCode != "" {
		if err := e.Record(AuditSet{Status: u.Status, CreditCode: u.CreditCode}); err != nil {
			return nil, err
		}
	}
	return s.UpdateApplicationWithAudit(ctx, id, u, e)
}

// MutateTrackAudited is MutateTrackFrom that also appends e, in the same
// write as the track's. e records the track's
// status and result digest as written (AuditSet), whatever fn made of
// them on the attempt that won.
func MutateTrackAudited(ctx context.Context, s Store, applicationID string, current Track, fn func(*Track) error, e AuditEvent) (Track, error) {
	return mutate(ctx, s, applicationID, current.Name, &current, fn, func(t Track) (Track, error) {
		ev := e
		if err := ev.Record(AuditSet{Track: SetOf(t)}); err != nil {
			return Track{}, err
		}
		return s.UpdateTrackWithAudit(ctx, applicationID, t, ev)
	})
}
