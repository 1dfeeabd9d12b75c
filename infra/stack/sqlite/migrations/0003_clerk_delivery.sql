-- When a resolved task's decision reached its workflow. A RESOLVED task
-- without it still owes the workflow its decision; the partial index keeps
-- finding those cheap however long the table grows.
ALTER TABLE clerk_tasks ADD COLUMN delivered_at INTEGER;
-- Tasks resolved before this step were delivered before they were stored.
UPDATE clerk_tasks SET delivered_at = resolved_at WHERE status = 'RESOLVED';
CREATE INDEX clerk_tasks_undelivered ON clerk_tasks (resolved_at, id)
    WHERE status = 'RESOLVED' AND delivered_at IS NULL;
