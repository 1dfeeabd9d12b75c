package kaiban

import "context"

// AuditedWriter is implemented by stores that can commit a change
// together with the audit event recording it, in one write. Every change
// the handlers make is audited, so this halves their commits. Callers use
// MutateTrackAudited and UpdateApplicationAudited, which fall back to the
// change and then AppendAudit for a store without it.
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
// it creates the application, in the same write where the store allows
// (AuditedWriter). Elsewhere a failure between the two writes leaves an
// application without e, which a replay of the request can detect.
//
// e records the status and the form's digest it creates (AuditSet), so
// verification can tell a form edited in the database.
func CreateApplicationAudited(ctx context.Context, s Store, req CreateRequest, e AuditEvent) (CreateResult, error) {
	if err := e.Record(AuditSet{Status: req.Application.Status, Form: FormDigest(req.Application.Form)}); err != nil {
		return CreateResult{}, err
	}
	if w, ok := s.(AuditedWriter); ok {
		return w.CreateApplicationWithAudit(ctx, req, e)
	}
	res, err := s.CreateApplication(ctx, req)
	if err != nil || !res.Created {
		return res, err
	}
	if _, err := s.AppendAudit(ctx, e); err != nil {
		return CreateResult{}, err
	}
	return res, nil
}

// UpdateApplicationAudited is UpdateApplication that also appends e, in
// the same write where the store allows (AuditedWriter). e records the
// status and credit code u sets (AuditSet).
func UpdateApplicationAudited(ctx context.Context, s Store, id string, u ApplicationUpdate, e AuditEvent) (*Application, error) {
	if u.Status != "" || u.CreditCode != "" {
		if err := e.Record(AuditSet{Status: u.Status, CreditCode: u.CreditCode}); err != nil {
			return nil, err
		}
	}
	if w, ok := s.(AuditedWriter); ok {
		return w.UpdateApplicationWithAudit(ctx, id, u, e)
	}
	a, err := s.UpdateApplication(ctx, id, u)
	if err != nil {
		return nil, err
	}
	if _, err := s.AppendAudit(ctx, e); err != nil {
		return nil, err
	}
	return a, nil
}

// MutateTrackAudited is MutateTrackFrom that also appends e, in the same
// write where the store allows (AuditedWriter). e records the track's
// status and result digest as written (AuditSet), whatever fn made of
// them on the attempt that won.
func MutateTrackAudited(ctx context.Context, s Store, applicationID string, current Track, fn func(*Track) error, e AuditEvent) (Track, error) {
	w, ok := s.(AuditedWriter)
	if !ok {
		t, err := MutateTrackFrom(ctx, s, applicationID, current, fn)
		if err != nil {
			return Track{}, err
		}
		if err := e.Record(AuditSet{Track: SetOf(t)}); err != nil {
			return t, err
		}
		_, err = s.AppendAudit(ctx, e)
		return t, err
	}
	return mutate(ctx, s, applicationID, current.Name, &current, fn, func(t Track) (Track, error) {
		ev := e
		if err := ev.Record(AuditSet{Track: SetOf(t)}); err != nil {
			return Track{}, err
		}
		return w.UpdateTrackWithAudit(ctx, applicationID, t, ev)
	})
}
