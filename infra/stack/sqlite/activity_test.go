package sqlite

import (
	"strings"
	"testing"
)

// The day's resolved tasks are read through their index, not by reading
// every resolved task.
func TestResolvedTasksUseTheirIndex(t *testing.T) {
	s := MustOpen(t)
	rows, err := s.r.QueryContext(t.Context(), `EXPLAIN QUERY PLAN SELECT `+taskColumns+` FROM clerk_tasks INDEXED BY clerk_tasks_resolved_at
		WHERE status = 'RESOLVED' AND resolved_at >= ? AND resolved_at < ? ORDER BY resolved_at DESC, id DESC LIMIT ?`, 1, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	got := strings.Join(plan, "; ")
	if !strings.Contains(got, "USING INDEX clerk_tasks_resolved_at (resolved_at>? AND resolved_at<?)") || strings.Contains(got, "TEMP B-TREE") {
		t.Fatalf("plan: %s", got)
	}
}
