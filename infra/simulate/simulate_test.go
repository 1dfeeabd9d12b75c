package simulate

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
)

func runSmallDay(t *testing.T, seed uint64) (Summary, string) {
	t.Helper()
	realistic := sim.Realistic() // transient failures, retries and jitter included
	res, err := Run(context.Background(), Config{Applications: 200, Clerks: 3, Hours: 2, Seed: seed, Profile: &realistic})
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(res)
	dir := t.TempDir()
	if err := WriteAll(dir, res, s); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// A small day writes every output in the documented shape, and the same
// seed gives byte-identical figures.
func TestSmallDayOutputsAndDeterminism(t *testing.T) {
	s, dir := runSmallDay(t, 7)
	if s.Applications != 200 || s.Completed+s.Rejected+s.Unfinished != 200 || s.Unfinished != 0 {
		t.Fatalf("summary counts %+v: want 200 applications, all ended", s)
	}
	// p50Minutes … measure from acceptance: a workflow that does not wait
	// for the signatures completes before it (0); from submission, never.
	if s.Completed < 180 || s.SubmissionToCompletionP50Minutes <= 0 || s.P50Minutes > s.P95Minutes || s.P95Minutes > s.P99Minutes {
		t.Errorf("implausible figures: completed %d, from submission p50 %v, from acceptance p50 %v p95 %v p99 %v",
			s.Completed, s.SubmissionToCompletionP50Minutes, s.P50Minutes, s.P95Minutes, s.P99Minutes)
	}
	if s.ClerkTasks == 0 || s.ClerkQueuePeak < 1 {
		t.Errorf("a realistic day needs clerks: %d tasks, queue peak %d", s.ClerkTasks, s.ClerkQueuePeak)
	}
	// Every founder acts through their link: four people per
	// application, each application accepted unless one declined, after
	// the founders' time.
	if s.Founders != 800 || s.Accepted+s.Declined != 200 || s.IdentityChecks < s.Founders-s.Declined {
		t.Errorf("founders %d, accepted %d, declined %d, identity checks %d: want 800 people, every application accepted or declined, a check each",
			s.Founders, s.Accepted, s.Declined, s.IdentityChecks)
	}
	if s.AcceptanceP50Minutes < 1 || s.AcceptanceP50Minutes > s.AcceptanceP95Minutes || s.AcceptanceMaxMinutes > 26*60 || s.FoundersGaveUp != 0 {
		t.Errorf("implausible acceptance: p50 %v p95 %v max %v min, %d gave up", s.AcceptanceP50Minutes, s.AcceptanceP95Minutes, s.AcceptanceMaxMinutes, s.FoundersGaveUp)
	}

	raw, err := os.ReadFile(filepath.Join(dir, FileSummary))
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"applications", "withinDeadlinePct", "p50Minutes", "p95Minutes", "p99Minutes", "sequentialP50Minutes", "clerkQueuePeak", "longestClerkWaitMinutes",
		"acceptanceP50Minutes", "acceptanceP95Minutes", "deadlineFrom", "accepted", "declined", "tracksBeforeAcceptance"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("summary.json lacks %q", k)
		}
	}

	checkDashboardAgrees(t, s, dir)

	f, err := os.Open(filepath.Join(dir, FileCSV))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 201 || rows[0][0] != "index" || len(rows[1]) != len(rows[0]) {
		t.Errorf("CSV has %d rows (want a header and 200 applications)", len(rows))
	}

	svg, err := os.ReadFile(filepath.Join(dir, FileChart))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "4-hour deadline", "bank", "</svg>"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("chart lacks %q", want)
		}
	}

	_, again := runSmallDay(t, 7)
	raw2, err := os.ReadFile(filepath.Join(again, FileSummary))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, raw2) {
		t.Errorf("same seed, different summary:\n%s\n%s", raw, raw2)
	}
	csv1, _ := os.ReadFile(filepath.Join(dir, FileCSV))
	csv2, _ := os.ReadFile(filepath.Join(again, FileCSV))
	if !bytes.Equal(csv1, csv2) {
		l1, l2 := strings.Split(string(csv1), "\n"), strings.Split(string(csv2), "\n")
		for i := range min(len(l1), len(l2)) {
			if l1[i] != l2[i] {
				t.Errorf("same seed, different applications.csv; first difference on line %d:\n%s\n%s", i+1, l1[i], l2[i])
				break
			}
		}
	}
}

func TestConfigCheck(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"default day", Config{Applications: 5000, Clerks: 10, Hours: 8}, true},
		{"no applications", Config{Clerks: 10, Hours: 8}, false},
		{"no clerks", Config{Applications: 1, Hours: 8}, false},
		{"no hours", Config{Applications: 1, Clerks: 1}, false},
		{"more than a day", Config{Applications: 1, Clerks: 1, Hours: 25}, false},
	}
	for _, tt := range tests {
		if err := tt.cfg.Check(); (err == nil) != tt.ok {
			t.Errorf("%s: Check() = %v", tt.name, err)
		}
	}
}

func TestQueuePeakAndQuantile(t *testing.T) {
	at := func(m int) time.Time { return DayStart.Add(time.Duration(m) * time.Minute) }
	tasks := []TaskRecord{
		{Created: at(0), Claimed: at(10)},
		{Created: at(5), Claimed: at(20)},
		{Created: at(6), Claimed: at(7)},
		{Created: at(10), Claimed: at(11)}, // created the instant the first is claimed
	}
	if got := queuePeak(tasks); got != 3 {
		t.Errorf("queue peak = %d, want 3", got)
	}
	if got := quantile([]float64{5, 1, 3, 2, 4}, 0.5); got != 3 {
		t.Errorf("median = %v, want 3", got)
	}
	if got := quantile(nil, 0.5); got != 0 {
		t.Errorf("median of nothing = %v, want 0", got)
	}
}

// checkDashboardAgrees: dashboard.json, computed from the aggregates the
// stack kept as the day went, agrees with summary.json and the CSV,
// computed from the applications themselves: the counts, and the
// completions within 4 hours of acceptance.
func checkDashboardAgrees(t *testing.T, s Summary, dir string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, FileDashboard))
	if err != nil {
		t.Fatal(err)
	}
	var d kaiban.Dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if d.Submitted != int64(s.Applications) || d.Completed != int64(s.Completed) || d.Rejected != int64(s.Rejected) {
		t.Errorf("dashboard submitted %d completed %d rejected %d, summary %d %d %d", d.Submitted, d.Completed, d.Rejected, s.Applications, s.Completed, s.Rejected)
	}
	f, err := os.Open(filepath.Join(dir, FileCSV))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The dashboard counts time on the wall from acceptance (minutes);
	// withinDeadline leaves out the time paused for corrections.
	within := 0
	for _, r := range rows[1:] {
		if m, err := strconv.ParseFloat(r[5], 64); r[3] == string(kaiban.AppCompleted) && err == nil && m <= kaiban.HalfWorkingDay.Minutes() {
			within++
		}
	}
	if d.WithinHalfDayShare == nil || math.Round(*d.WithinHalfDayShare*float64(d.Completed)) != float64(within) {
		t.Errorf("dashboard: %v of %d completed within 4 h; the applications: %d", d.WithinHalfDayShare, d.Completed, within)
	}
}
