package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// conformanceDir holds the conformance corpus: one folder per case, named
// <feature>-<what>, written from the examples of AWS's documentation.
// A case has definition.asl.json and optionally input.json, and one of
//
//	expected.json             the output `sfnlocal run` prints, byte for byte
//	expected-error.json       the {"Error","Cause"} of a failed execution
//	expected-validation.txt   lines `sfnlocal validate` must print (the
//	                          state and field named); empty: it is accepted
//
// A folder s3/<bucket>/ in a case is passed as --s3-dir <bucket>=<folder>.
const conformanceDir = "../../engine/testdata/conformance"

// TestConformance runs every case of the corpus through `sfnlocal run`
// (or validate) in-process, and logs the pass count per feature.
func TestConformance(t *testing.T) {
	entries, err := os.ReadDir(conformanceDir)
	if err != nil {
		t.Fatal(err)
	}
	total, passed := map[string]int{}, map[string]int{}
	for _, ent := range entries {
		if !ent.IsDir() {
			continue
		}
		name := ent.Name()
		feature, _, _ := strings.Cut(name, "-")
		total[feature]++
		if t.Run(name, func(t *testing.T) { runConformanceCase(t, filepath.Join(conformanceDir, name)) }) {
			passed[feature]++
		}
	}
	features := make([]string, 0, len(total))
	for f := range total {
		features = append(features, f)
	}
	sort.Strings(features)
	sum, ok := 0, 0
	for _, f := range features {
		t.Logf("%-10s %d/%d", f, passed[f], total[f])
		sum += total[f]
		ok += passed[f]
	}
	t.Logf("%-10s %d/%d", "all", ok, sum)
	if sum == 0 {
		t.Fatal("the conformance corpus is empty")
	}
}

func runConformanceCase(t *testing.T, dir string) {
	def := filepath.Join(dir, "definition.asl.json")
	read := func(name string) (string, bool) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", false
		}
		return string(b), true
	}
	if want, ok := read("expected-validation.txt"); ok {
		got := sfnlocal(t, "", "validate", def)
		lines := strings.Split(strings.TrimSpace(want), "\n")
		if strings.TrimSpace(want) == "" {
			if got.code != 0 {
				t.Fatalf("refused (exit %d): %s", got.code, got.stderr)
			}
			return
		}
		if got.code != exitInvalid {
			t.Fatalf("exit %d, want %d (refused): %s", got.code, exitInvalid, got.stderr)
		}
		for _, l := range lines {
			if !strings.Contains(got.stderr, l) {
				t.Errorf("stderr lacks %q:\n%s", l, got.stderr)
			}
		}
		return
	}
	args := []string{"run", def}
	if _, ok := read("input.json"); ok {
		args = append(args, "--input", filepath.Join(dir, "input.json"))
	}
	buckets, _ := os.ReadDir(filepath.Join(dir, "s3"))
	for _, b := range buckets {
		args = append(args, "--s3-dir", b.Name()+"="+filepath.Join(dir, "s3", b.Name()))
	}
	got := sfnlocal(t, "", args...)
	if want, ok := read("expected.json"); ok {
		if got.code != 0 {
			t.Fatalf("exit %d: %s %s", got.code, got.stdout, got.stderr)
		}
		if strings.TrimSpace(got.stdout) != strings.TrimSpace(want) {
			t.Errorf("output\n got %s\nwant %s", strings.TrimSpace(got.stdout), strings.TrimSpace(want))
		}
		return
	}
	want, ok := read("expected-error.json")
	if !ok {
		t.Fatal("the case has no expected.json, expected-error.json or expected-validation.txt")
	}
	var w, g struct{ Error, Cause string }
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("expected-error.json: %v", err)
	}
	if got.code != 1 {
		t.Fatalf("exit %d, want 1 (failed): %s %s", got.code, got.stdout, got.stderr)
	}
	if err := json.Unmarshal([]byte(got.stdout), &g); err != nil {
		t.Fatalf("stdout is not {Error,Cause}: %s", got.stdout)
	}
	if g != w {
		t.Errorf("got  %+v\nwant %+v", g, w)
	}
}
