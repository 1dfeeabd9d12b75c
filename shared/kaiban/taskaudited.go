package kaiban

import (
	"context"
	"time"
)

// TaskAuditedWriter commits a clerk task's change together with its audit
// event in one write, so the trail names exactly the change that won and
// no task changes without its event. Every Store has it.
type TaskAuditedWriter interface {
	// CreateClerkTaskWithAudit is CreateClerkTask and, when it creates the
	// task, AppendAudit(e) in one transaction; a task whose ID exists is
	// returned unchanged and appends nothing (Created false).
	CreateClerkTaskWithAudit(ctx context.Context, t ClerkTask, e AuditEvent) (CreatedTask, error)
	// ClaimClerkTaskWithAudit is ClaimClerkTask and, when the claim is
	// fresh, AppendAudit(e) in one transaction; a refused claim, or the
	// same clerk claiming again, appends nothing.
	ClaimClerkTaskWithAudit(ctx context.Context, id, clerk string, now time.Time, e AuditEvent) (ClaimedTask, error)
	// ReleaseClerkTaskWithAudit is ReleaseClerkTask and AppendAudit(e) in
	// one transaction: a refused release appends nothing.
	ReleaseClerkTaskWithAudit(ctx context.Context, id, clerk string, now time.Time, e AuditEvent) (ClerkTask, error)
	// ResolveClerkTaskWithAudit is ResolveClerkTask and AppendAudit(e) in
	// one transaction: both happen or neither (a refused resolution
	// appends nothing).
	ResolveClerkTaskWithAudit(ctx context.Context, id, clerk string, r Resolution, now time.Time, e AuditEvent) (ClerkTask, error)
}

// CreatedTask is the outcome of CreateClerkTaskWithAudit.
type CreatedTask struct {
	ClerkTask
	// Created is false when a task with the ID existed (nothing written).
	Created bool
}

// ResolveClerkTaskAudited is ResolveClerkTask that also appends e when the
// resolution wins, in the same write.
func ResolveClerkTaskAudited(ctx context.Context, s Store, id, clerk string, r Resolution, now time.Time, e AuditEvent) (ClerkTask, error) {
	return s.ResolveClerkTaskWithAudit(ctx, id, clerk, r, now, e)
}
