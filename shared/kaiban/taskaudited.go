package kaiban

import (
	"context"
	"time"
)

// TaskAuditedWriter is implemented by stores that can commit a clerk's
// resolution together with its audit event in one write, so the trail
// names exactly the decision that won.
type TaskAuditedWriter interface {
	// ResolveClerkTaskWithAudit is ResolveClerkTask and AppendAudit(e) in
	// one transaction: both happen or neither (a refused resolution
	// appends nothing).
	ResolveClerkTaskWithAudit(ctx context.Context, id, clerk string, r Resolution, now time.Time, e AuditEvent) (ClerkTask, error)
}

// ResolveClerkTaskAudited is ResolveClerkTask that also appends e when the
// resolution wins, in the same write where the store allows
// (TaskAuditedWriter: all three stores); for a store without it the event
// follows the conditional write, and only the winner writes it.
func ResolveClerkTaskAudited(ctx context.Context, s Store, id, clerk string, r Resolution, now time.Time, e AuditEvent) (ClerkTask, error) {
	if w, ok := s.(TaskAuditedWriter); ok {
		return w.ResolveClerkTaskWithAudit(ctx, id, clerk, r, now, e)
	}
	t, err := s.ResolveClerkTask(ctx, id, clerk, r, now)
	if err != nil {
		return ClerkTask{}, err
	}
	_, err = s.AppendAudit(ctx, e)
	return t, err
}
