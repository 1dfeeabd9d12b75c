package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// distMapDef builds a Map state; mode is INLINE or DISTRIBUTED and extra
// adds fields to the Map state.
func distMapDef(mode, extra, processor string) string {
	if processor == "" {
		processor = `{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}`
	}
	cfg := `{"Mode":"` + mode + `"}`
	if mode == "DISTRIBUTED" {
		cfg = `{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"}`
	}
	processor = strings.Replace(processor, `{"StartAt"`, `{"ProcessorConfig":`+cfg+`,"StartAt"`, 1)
	return `{"StartAt":"M","States":{"M":{"Type":"Map","End":true` + extra + `,"ItemProcessor":` + processor + `}}}`
}

// TestDistributedMap runs distributed Maps locally: the same results as
// inline for items from the input, items read from "S3" (a local folder)
// in each format, batches, failure tolerance, and the Label.
func TestDistributedMap(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("data/items.json", `[{"n":1},{"n":2},{"n":3}]`)
	write("data/items.jsonl", "{\"n\":1}\n\n{\"n\":2}\n")
	write("data/people.csv", "name,age\nAnn,30\nBo,41\n")
	write("data/noheader.csv", "Ann,30\nBo,41\n")
	write("data/semi.csv", "name;city\nAnn;\"Paris; FR\"\n")
	write("data/pipe.csv", "name|age\nAnn|30\n")
	write("data/tab.csv", "name\tage\nAnn\t30\n")
	write("data/space.csv", "name age\nAnn 30\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\"inv\",\"a/x.txt\"\n\"inv\",\"a/y.txt\"\n"))
	zw.Close()
	write("inventory/data/part1.csv.gz", gz.String())
	write("inventory/manifest.json", `{"sourceBucket":"inv","fileFormat":"CSV","fileSchema":"Bucket, Key","files":[{"key":"inventory/data/part1.csv.gz"}]}`)
	write("list/b.txt", "bb")
	write("list/a.txt", "a")

	reader := func(resource, config, params string) string {
		return `,"ItemReader":{"Resource":"arn:aws:states:::s3:` + resource + `"` + config + `,"Parameters":` + params + `}`
	}
	failOdd := `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":2,"Next":"Bad"}],"Default":"Ok"},
		"Bad":{"Type":"Fail","Error":"Odd","Cause":"two"},"Ok":{"Type":"Pass","End":true}}}`
	tests := []struct {
		name, def, input, output, errName string
	}{
		{"ItemsPath as inline", distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"}`, ""),
			`{"xs":["a","b"]}`, `[{"v":"a","i":0},{"v":"b","i":1}]`, ""},
		{"legacy Iterator with ProcessorConfig", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"Iterator":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}}}}`,
			`[1,2]`, `[1,2]`, ""},
		{"JSON object", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"JSON"}`, `{"Bucket":"bkt","Key.$":"$.key"}`), ""),
			`{"key":"data/items.json"}`, `[{"n":1},{"n":2},{"n":3}]`, ""},
		{"JSON with MaxItems", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"JSON","MaxItems":2}`, `{"Bucket":"bkt","Key":"data/items.json"}`), ""),
			`{}`, `[{"n":1},{"n":2}]`, ""},
		{"ItemReader Parameters and MaxItemsPath read variables", strings.Replace(distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"JSON","MaxItemsPath":"$max"}`, `{"Bucket":"bkt","Key.$":"$key"}`), ""),
			`{"StartAt":"M","States":{`, `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"key":"data/items.json","max":1},"Next":"M"},`, 1),
			`{}`, `[{"n":1}]`, ""},
		{"ItemBatcher BatchInput and ItemSelector read variables", strings.Replace(distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"job.$":"$job"}},"ItemSelector":{"x.$":"$$.Map.Item.Value","tag.$":"$tag"}`, ""),
			`{"StartAt":"M","States":{`, `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"job":"j1","tag":"t"},"Next":"M"},`, 1),
			`{"xs":[1,2,3]}`, `[{"BatchInput":{"job":"j1"},"Items":[{"x":1,"tag":"t"},{"x":2,"tag":"t"}]},{"BatchInput":{"job":"j1"},"Items":[{"x":3,"tag":"t"}]}]`, ""},
		{"JSON Lines", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"JSONL"}`, `{"Bucket":"bkt","Key":"data/items.jsonl"}`), ""),
			`{}`, `[{"n":1},{"n":2}]`, ""},
		{"CSV first row", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}`, `{"Bucket":"bkt","Key":"data/people.csv"}`), ""),
			`{}`, `[{"name":"Ann","age":"30"},{"name":"Bo","age":"41"}]`, ""},
		{"CSV given headers", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["who","years"]}`, `{"Bucket":"bkt","Key":"data/noheader.csv"}`), ""),
			`{}`, `[{"who":"Ann","years":"30"},{"who":"Bo","years":"41"}]`, ""},
		{"CSVDelimiter SEMICOLON", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","CSVDelimiter":"SEMICOLON"}`, `{"Bucket":"bkt","Key":"data/semi.csv"}`), ""),
			`{}`, `[{"name":"Ann","city":"Paris; FR"}]`, ""},
		{"CSVDelimiter PIPE", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","CSVDelimiter":"PIPE"}`, `{"Bucket":"bkt","Key":"data/pipe.csv"}`), ""),
			`{}`, `[{"name":"Ann","age":"30"}]`, ""},
		{"CSVDelimiter TAB", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","CSVDelimiter":"TAB"}`, `{"Bucket":"bkt","Key":"data/tab.csv"}`), ""),
			`{}`, `[{"name":"Ann","age":"30"}]`, ""},
		{"CSVDelimiter SPACE", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","CSVDelimiter":"SPACE"}`, `{"Bucket":"bkt","Key":"data/space.csv"}`), ""),
			`{}`, `[{"name":"Ann","age":"30"}]`, ""},
		{"CSVDelimiter COMMA", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","CSVDelimiter":"COMMA"}`, `{"Bucket":"bkt","Key":"data/people.csv"}`), ""),
			`{}`, `[{"name":"Ann","age":"30"},{"name":"Bo","age":"41"}]`, ""},
		{"S3 inventory manifest", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"MANIFEST"}`, `{"Bucket":"bkt","Key":"inventory/manifest.json"}`), ""),
			`{}`, `[{"Bucket":"inv","Key":"a/x.txt"},{"Bucket":"inv","Key":"a/y.txt"}]`, ""},
		{"listObjectsV2", distMapDef("DISTRIBUTED", reader("listObjectsV2", ``, `{"Bucket":"bkt","Prefix":"list/"}`)+`,"ItemSelector":{"k.$":"$$.Map.Item.Value.Key","s.$":"$$.Map.Item.Value.Size"}`, ""),
			`{}`, `[{"k":"list/a.txt","s":1},{"k":"list/b.txt","s":2}]`, ""},
		{"Parquet is accepted but not read", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"PARQUET"}`, `{"Bucket":"bkt","Key":"data/items.json"}`), ""),
			`{}`, ``, ErrItemReaderFailed},
		{"unmapped bucket", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"JSON"}`, `{"Bucket":"nope","Key":"x"}`), ""),
			`{}`, ``, ErrItemReaderFailed},
		{"missing object", distMapDef("DISTRIBUTED", reader("getObject", `,"ReaderConfig":{"InputType":"JSON"}`, `{"Bucket":"bkt","Key":"nope.json"}`), ""),
			`{}`, ``, ErrItemReaderFailed},
		{"ItemBatcher", distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"job.$":"$.job"}},"ItemSelector":{"x.$":"$$.Map.Item.Value"}`, ""),
			`{"job":"j1","xs":[1,2,3]}`, ``, ""},
		{"WriterConfig FLATTEN splices array outputs", distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ResultWriter":{"WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSON"}}`, ""),
			`{"xs":[[1,2],[3],4,[]]}`, `[1,2,3,4]`, ""},
		{"WriterConfig COMPACT JSONL gives the lines", distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ResultWriter":{"WriterConfig":{"Transformation":"COMPACT","OutputType":"JSONL"}}`, ""),
			`{"xs":[[1,2],[3]]}`, `"[1,2]\n[3]\n"`, ""},
		{"ToleratedFailureCountPath within", distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ToleratedFailureCountPath":"$.tol"`, failOdd),
			`{"tol":1,"xs":[{"n":1},{"n":2}]}`, `[{"n":1},{"Error":"Odd","Cause":"two"}]`, ""},
		{"ToleratedFailurePercentagePath exceeded", distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ToleratedFailurePercentagePath":"$.pct"`, failOdd),
			`{"pct":10,"xs":[{"n":1},{"n":2}]}`, ``, ErrExceedToleratedFailureThresh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), S3Dirs: map[string]string{"bkt": dir}})
			arn := mustCreate(t, e, "dist", tt.def)
			x := runToEnd(t, e, arn, tt.input)
			if tt.errName != "" {
				if x.Status != StatusFailed || x.Error != tt.errName {
					t.Fatalf("got %s %s %s, want FAILED %s", x.Status, x.Error, x.Cause, tt.errName)
				}
				return
			}
			if x.Status != StatusSucceeded {
				t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
			}
			want := tt.output
			if tt.name == "ItemBatcher" {
				want = `[{"BatchInput":{"job":"j1"},"Items":[{"x":1},{"x":2}]},{"BatchInput":{"job":"j1"},"Items":[{"x":3}]}]`
			}
			if x.Output != want {
				t.Errorf("output\n got %s\nwant %s", x.Output, want)
			}
			if inline := strings.Replace(tt.def, `{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"}`, `{"Mode":"INLINE"}`, 1); tt.name == "ItemsPath as inline" {
				y := runToEnd(t, e, mustCreate(t, e, "inline", inline), tt.input)
				if y.Output != x.Output {
					t.Errorf("inline gives %s, distributed %s", y.Output, x.Output)
				}
			}
		})
	}
}

// TestDistributedMapResultWriterWithWriterConfig: with Resource,
// Parameters and WriterConfig the results still go to the folder.
func TestDistributedMapResultWriterWithWriterConfig(t *testing.T) {
	dir := t.TempDir()
	e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), S3Dirs: map[string]string{"out": dir}})
	def := distMapDef("DISTRIBUTED", `,"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"p"},"WriterConfig":{"Transformation":"NONE","OutputType":"JSON"}}`, "")
	x := runToEnd(t, e, mustCreate(t, e, "writercfg", def), `[1,2]`)
	var out struct{ ResultWriterDetails struct{ Bucket, Key string } }
	if err := json.Unmarshal([]byte(x.Output), &out); err != nil || x.Status != StatusSucceeded || out.ResultWriterDetails.Bucket != "out" {
		t.Fatalf("status %s output %s (%v)", x.Status, x.Output, err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(out.ResultWriterDetails.Key))); err != nil {
		t.Fatalf("manifest: %v", err)
	}
}

// TestDistributedMapResultWriterAndHistory checks ResultWriter's files in
// AWS's layout and the Map Run in the history, named with the Label.
func TestDistributedMapResultWriterAndHistory(t *testing.T) {
	dir := t.TempDir()
	e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), S3Dirs: map[string]string{"out": dir}})
	def := distMapDef("DISTRIBUTED", `,"Label":"Lbl","ItemsPath":"$.xs","ToleratedFailureCount":1,"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"runs"}}`,
		`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Ok"},"Bad":{"Type":"Fail","Error":"Two","Cause":"no"},"Ok":{"Type":"Pass","End":true}}}`)
	arn := mustCreate(t, e, "writer", def)
	x := runToEnd(t, e, arn, `{"xs":[1,2,3]}`)
	if x.Status != StatusSucceeded {
		t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
	}
	var out struct {
		MapRunArn           string
		ResultWriterDetails struct{ Bucket, Key string }
	}
	if err := json.Unmarshal([]byte(x.Output), &out); err != nil {
		t.Fatalf("output %s: %v", x.Output, err)
	}
	if !strings.HasPrefix(out.MapRunArn, "arn:aws:states:us-east-1:123456789012:mapRun:writer/Lbl:") ||
		out.ResultWriterDetails.Bucket != "out" || !strings.HasPrefix(out.ResultWriterDetails.Key, "runs/") ||
		!strings.HasSuffix(out.ResultWriterDetails.Key, "/manifest.json") {
		t.Fatalf("output %s", x.Output)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(out.ResultWriterDetails.Key)))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		DestinationBucket, MapRunArn string
		ResultFiles                  map[string][]struct{ Key string }
	}
	if err := json.Unmarshal(manifest, &m); err != nil || m.MapRunArn != out.MapRunArn || m.DestinationBucket != "out" ||
		len(m.ResultFiles["SUCCEEDED"]) != 1 || len(m.ResultFiles["FAILED"]) != 1 || len(m.ResultFiles["PENDING"]) != 0 {
		t.Fatalf("manifest %s (%v)", manifest, err)
	}
	var runs []struct{ Status, Input, Output, Error, ExecutionArn string }
	succeeded, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(m.ResultFiles["SUCCEEDED"][0].Key)))
	if err := json.Unmarshal(succeeded, &runs); err != nil || len(runs) != 2 || runs[0].Output != "1" || runs[1].Output != "3" ||
		!strings.HasPrefix(runs[0].ExecutionArn, "arn:aws:states:us-east-1:123456789012:execution:writer/Lbl:") {
		t.Fatalf("SUCCEEDED file %s (%v)", succeeded, err)
	}
	if !strings.HasSuffix(m.ResultFiles["SUCCEEDED"][0].Key, "/SUCCEEDED_0.json") || !strings.HasSuffix(m.ResultFiles["FAILED"][0].Key, "/FAILED_0.json") {
		t.Errorf("result file names %v", m.ResultFiles)
	}
	h := historyOf(t, e, x.Arn)
	types := eventTypes(h)
	for _, want := range []string{"MapStateEntered", "MapRunStarted", "MapRunSucceeded", "MapStateExited"} {
		if !contains(types, want) {
			t.Errorf("history lacks %s: %v", want, types)
		}
	}
	for _, ev := range h {
		if ev.Type == "MapRunStarted" && !strings.Contains(string(ev.Details), out.MapRunArn) {
			t.Errorf("MapRunStarted details %s lack %s", ev.Details, out.MapRunArn)
		}
	}
}

// TestDistributedMapResumes: a durable engine closed while a distributed
// Map's children run resumes the same Map Run (one MapRunStarted, the
// same ARN in the output) and finishes it.
func TestDistributedMapResumes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "engine.db")
	out := t.TempDir()
	def := distMapDef("DISTRIBUTED", `,"ItemsPath":"$.xs","ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"p"}}`,
		`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work","End":true}}}`)
	started := make(chan struct{}, 8)
	blocking := func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	e1, err := New(context.Background(), Options{DBPath: db, S3Dirs: map[string]string{"out": out}, Handlers: map[string]Handler{"work": blocking}})
	if err != nil {
		t.Fatal(err)
	}
	sm := mustCreate(t, e1, "resume", def)
	x, err := e1.StartExecution(context.Background(), sm, "r1", `{"xs":[1,2]}`)
	if err != nil {
		t.Fatal(err)
	}
	<-started
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newTestEngine(t, Options{DBPath: db, S3Dirs: map[string]string{"out": out}, Handlers: map[string]Handler{"work": echo}})
	got := waitEnd(t, e2, x.Arn)
	if got.Status != StatusSucceeded {
		t.Fatalf("resumed: %s %s %s", got.Status, got.Error, got.Cause)
	}
	h := historyOf(t, e2, x.Arn)
	runs := 0
	for _, ev := range h {
		if ev.Type == "MapRunStarted" {
			runs++
			var d struct {
				MapRunArn string `json:"mapRunArn"`
			}
			_ = json.Unmarshal(ev.Details, &d)
			if d.MapRunArn == "" || !strings.Contains(got.Output, d.MapRunArn) {
				t.Errorf("output %s does not name the recorded Map Run %s", got.Output, ev.Details)
			}
		}
	}
	if runs != 1 {
		t.Errorf("%d MapRunStarted events, want 1", runs)
	}
}
