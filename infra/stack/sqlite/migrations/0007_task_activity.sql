-- Resolved tasks by resolution time (kaiban.TaskActivity): the
-- supervisor's view reads a day's work without scanning every task ever
-- resolved.
CREATE INDEX IF NOT EXISTS clerk_tasks_resolved_at ON clerk_tasks (resolved_at DESC, id DESC)
    WHERE status = 'RESOLVED';
