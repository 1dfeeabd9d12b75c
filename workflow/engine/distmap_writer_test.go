package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failTwo is an item processor that fails the item 2 and passes the
// others' field v through.
const failTwo = `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":2,"Next":"Bad"}],"Default":"Ok"},
	"Bad":{"Type":"Fail","Error":"Two","Cause":"no"},"Ok":{"Type":"Pass","OutputPath":"$.v","End":true}}}`

// noneRecord is an entry in the NONE layout: a child execution.
type noneRecord struct {
	ExecutionArn, Input, Output, Error, Cause, Status, StartDate, StopDate, Name string
	InputDetails                                                                 struct{ Included bool }
}

// TestResultWriterPreview: a ResultWriter with WriterConfig alone gives
// the formatted entries as the state output, in item order, without S3.
func TestResultWriterPreview(t *testing.T) {
	tests := []struct {
		name, config, input, want string
		records                   []string // Status of each NONE record, when the output is records
	}{
		{"no Transformation is COMPACT", `{}`, `{"xs":[{"n":1,"v":[1,2]},{"n":3,"v":[3]}]}`, `[[1,2],[3]]`, nil},
		{"COMPACT JSON", `{"Transformation":"COMPACT","OutputType":"JSON"}`, `{"xs":[{"n":1,"v":[1,2]},{"n":3,"v":{"a":3}}]}`, `[[1,2],{"a":3}]`, nil},
		{"FLATTEN JSON", `{"Transformation":"FLATTEN","OutputType":"JSON"}`, `{"xs":[{"n":1,"v":[1,2]},{"n":3,"v":[]},{"n":4,"v":{"a":4}}]}`, `[1,2,{"a":4}]`, nil},
		{"FLATTEN JSONL is the JSON Lines text", `{"Transformation":"FLATTEN","OutputType":"JSONL"}`, `{"xs":[{"n":1,"v":[1,{"b":2}]},{"n":3,"v":"x"}]}`, `"1\n{\"b\":2}\n\"x\"\n"`, nil},
		{"COMPACT JSONL", `{"Transformation":"COMPACT","OutputType":"JSONL"}`, `{"xs":[{"n":1,"v":[1,2]},{"n":3,"v":[3]}]}`, `"[1,2]\n[3]\n"`, nil},
		{"NONE gives the child execution records", `{"Transformation":"NONE","OutputType":"JSON"}`, `{"xs":[{"n":1,"v":[1,2]},{"n":3,"v":[3]}]}`, ``, []string{"SUCCEEDED", "SUCCEEDED"}},
		{"FLATTEN keeps a failed child's NONE record", `{"Transformation":"FLATTEN","OutputType":"JSON"}`, `{"xs":[{"n":1,"v":[1,2]},{"n":2}]}`, ``, []string{"", "", "FAILED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch)})
			def := distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ToleratedFailureCount":1,"ResultWriter":{"WriterConfig":`+tt.config+`}`, failTwo)
			x := runToEnd(t, e, mustCreate(t, e, "preview", def), tt.input)
			if x.Status != StatusSucceeded {
				t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
			}
			if tt.records == nil {
				if x.Output != tt.want {
					t.Errorf("output\n got %s\nwant %s", x.Output, tt.want)
				}
				return
			}
			var entries []json.RawMessage
			if err := json.Unmarshal([]byte(x.Output), &entries); err != nil || len(entries) != len(tt.records) {
				t.Fatalf("output %s, want %d entries (%v)", x.Output, len(tt.records), err)
			}
			for i, status := range tt.records {
				var r noneRecord
				_ = json.Unmarshal(entries[i], &r)
				if r.Status != status {
					t.Errorf("entry %d %s, want Status %q", i, entries[i], status)
				}
				switch status {
				case "SUCCEEDED":
					if !strings.Contains(r.ExecutionArn, ":execution:preview/M:") || !strings.HasPrefix(r.Input, `{"n":`) || !strings.HasPrefix(r.Output, "[") || !r.InputDetails.Included {
						t.Errorf("entry %d %s is not a NONE record", i, entries[i])
					}
				case "FAILED":
					if r.Error != "Two" || r.Cause != "no" || r.Input != `{"n":2}` || r.Output != "" {
						t.Errorf("failed entry %s", entries[i])
					}
				}
			}
		})
	}
}

// TestResultWriterFiles: with Resource, Parameters and WriterConfig the
// SUCCEEDED file holds the transformed entries in the OutputType's
// layout, the FAILED file the failed children's NONE records, and the
// manifest each file's size.
func TestResultWriterFiles(t *testing.T) {
	tests := []struct {
		name, config, succeeded string
		failedLines             bool // the FAILED file is JSON Lines
	}{
		{"COMPACT JSON", `,"WriterConfig":{"Transformation":"COMPACT","OutputType":"JSON"}`, `[[1,2],[3]]`, false},
		{"FLATTEN JSON", `,"WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSON"}`, `[1,2,3]`, false},
		{"FLATTEN JSONL", `,"WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSONL"}`, "1\n2\n3\n", true},
		{"COMPACT JSONL", `,"WriterConfig":{"Transformation":"COMPACT","OutputType":"JSONL"}`, "[1,2]\n[3]\n", true},
		{"no WriterConfig is NONE JSON", ``, "", false},
		{"NONE JSONL", `,"WriterConfig":{"Transformation":"NONE","OutputType":"JSONL"}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), S3Dirs: map[string]string{"out": dir}})
			def := distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ToleratedFailureCount":1,"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"runs"}`+tt.config+`}`, failTwo)
			x := runToEnd(t, e, mustCreate(t, e, "files", def), `{"xs":[{"n":1,"v":[1,2]},{"n":2},{"n":3,"v":[3]}]}`)
			var out struct{ ResultWriterDetails struct{ Bucket, Key string } }
			if err := json.Unmarshal([]byte(x.Output), &out); err != nil || x.Status != StatusSucceeded {
				t.Fatalf("status %s output %s (%v)", x.Status, x.Output, err)
			}
			read := func(key string) []byte {
				b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(key)))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			var m struct {
				ResultFiles map[string][]struct {
					Key  string
					Size int
				}
			}
			if err := json.Unmarshal(read(out.ResultWriterDetails.Key), &m); err != nil || len(m.ResultFiles["SUCCEEDED"]) != 1 || len(m.ResultFiles["FAILED"]) != 1 {
				t.Fatalf("manifest %s (%v)", read(out.ResultWriterDetails.Key), err)
			}
			ok, bad := m.ResultFiles["SUCCEEDED"][0], m.ResultFiles["FAILED"][0]
			succeeded, failed := read(ok.Key), read(bad.Key)
			if ok.Size != len(succeeded) || bad.Size != len(failed) {
				t.Errorf("manifest sizes %d %d, files %d %d", ok.Size, bad.Size, len(succeeded), len(failed))
			}
			if tt.succeeded != "" && string(succeeded) != tt.succeeded {
				t.Errorf("SUCCEEDED file\n got %q\nwant %q", succeeded, tt.succeeded)
			}
			records := func(data []byte, lines bool) []noneRecord {
				var rs []noneRecord
				if !lines {
					if err := json.Unmarshal(data, &rs); err != nil {
						t.Fatalf("%s: %v", data, err)
					}
					return rs
				}
				if !strings.HasSuffix(string(data), "\n") {
					t.Errorf("JSON Lines %q do not end in a newline", data)
				}
				for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
					var r noneRecord
					if err := json.Unmarshal([]byte(l), &r); err != nil {
						t.Fatalf("line %q: %v", l, err)
					}
					rs = append(rs, r)
				}
				return rs
			}
			if fr := records(failed, tt.failedLines); len(fr) != 1 || fr[0].Status != "FAILED" || fr[0].Error != "Two" || fr[0].Input != `{"n":2}` {
				t.Errorf("FAILED file %s", failed)
			}
			if tt.succeeded == "" {
				if sr := records(succeeded, tt.failedLines); len(sr) != 2 || sr[0].Output != "[1,2]" || sr[1].Output != "[3]" || sr[1].Status != "SUCCEEDED" {
					t.Errorf("SUCCEEDED file %s", succeeded)
				}
			}
		})
	}
}
