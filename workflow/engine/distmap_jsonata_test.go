package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jsonataDistMap builds a JSONata state machine whose state A assigns
// $key and $n, then a distributed Map M with the given extra fields.
func jsonataDistMap(extra string) string {
	return `{"QueryLanguage":"JSONata","StartAt":"A","States":{
		"A":{"Type":"Pass","Assign":{"key":"data/items.json","n":2},"Next":"M"},
		"M":{"Type":"Map","End":true` + extra + `,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
			"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`
}

// TestJSONataDistributedMap runs distributed Maps in JSONata states:
// ItemReader and ResultWriter take Arguments, counts and BatchInput may be
// expressions, and ItemSelector sees $states.context.Map.Item.
func TestJSONataDistributedMap(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "items.json"), []byte(`[{"id":1},{"id":2},{"id":3}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	reader := func(config, args string) string {
		return `,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":` + config + `,"Arguments":` + args + `}`
	}
	tests := []struct {
		name, extra, input, output, errName string
	}{
		{"Arguments with an expression", reader(`{"InputType":"JSON"}`, `{"Bucket":"bkt","Key":"{% $states.input.key %}"}`) +
			`,"ItemSelector":{"n":"{% $states.context.Map.Item.Value.id * 10 %}"}`,
			`{"key":"data/items.json"}`, `[{"n":10},{"n":20},{"n":30}]`, ""},
		{"Arguments reading a variable, MaxItems an expression", reader(`{"InputType":"JSON","MaxItems":"{% $n %}"}`, `{"Bucket":"bkt","Key":"{% $key %}"}`),
			`{}`, `[{"id":1},{"id":2}]`, ""},
		{"MaxItems a literal", reader(`{"InputType":"JSON","MaxItems":1}`, `{"Bucket":"bkt","Key":"data/items.json"}`),
			`{}`, `[{"id":1}]`, ""},
		{"Arguments as one expression", reader(`{"InputType":"JSON"}`, `"{% {'Bucket': 'bkt', 'Key': $key} %}"`),
			`{}`, `[{"id":1},{"id":2},{"id":3}]`, ""},
		{"ItemBatcher with expressions", `,"Items":"{% $states.input.xs %}","ItemBatcher":{"MaxItemsPerBatch":"{% $n %}","BatchInput":{"job":"{% $states.input.job %}"}},"ItemSelector":{"x":"{% $states.context.Map.Item.Value %}"}`,
			`{"job":"j1","xs":[1,2,3]}`, `[{"BatchInput":{"job":"j1"},"Items":[{"x":1},{"x":2}]},{"BatchInput":{"job":"j1"},"Items":[{"x":3}]}]`, ""},
		{"WriterConfig alone", `,"Items":[[1,2],[3]],"ResultWriter":{"WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSON"}}`,
			`{}`, `[1,2,3]`, ""},
		{"Arguments not an object", reader(`{"InputType":"JSON"}`, `"{% 'bkt' %}"`),
			`{}`, ``, ErrQueryEvaluation},
		{"MaxItems negative", reader(`{"InputType":"JSON","MaxItems":"{% -1 %}"}`, `{"Bucket":"bkt","Key":"data/items.json"}`),
			`{}`, ``, ErrQueryEvaluation},
		{"missing object", reader(`{"InputType":"JSON"}`, `{"Bucket":"bkt","Key":"nope.json"}`),
			`{}`, ``, ErrItemReaderFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), S3Dirs: map[string]string{"bkt": dir}})
			x := runToEnd(t, e, mustCreate(t, e, "jdist", jsonataDistMap(tt.extra)), tt.input)
			if tt.errName != "" {
				if x.Status != StatusFailed || x.Error != tt.errName {
					t.Fatalf("got %s %s %s, want FAILED %s", x.Status, x.Error, x.Cause, tt.errName)
				}
				return
			}
			if x.Status != StatusSucceeded {
				t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
			}
			if x.Output != tt.output {
				t.Errorf("output\n got %s\nwant %s", x.Output, tt.output)
			}
		})
	}
}

// TestJSONataDistributedMapResultWriter writes results with ResultWriter
// Arguments under the Label's Map Run.
func TestJSONataDistributedMapResultWriter(t *testing.T) {
	dir := t.TempDir()
	e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), S3Dirs: map[string]string{"out": dir}})
	def := jsonataDistMap(`,"Label":"Lbl","Items":[1,2],"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Arguments":{"Bucket":"out","Prefix":"{% 'runs/' & $key %}"}}`)
	x := runToEnd(t, e, mustCreate(t, e, "jwriter", def), `{}`)
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
	if !strings.Contains(out.MapRunArn, ":mapRun:jwriter/Lbl:") || out.ResultWriterDetails.Bucket != "out" ||
		!strings.HasPrefix(out.ResultWriterDetails.Key, "runs/data/items.json/") {
		t.Fatalf("output %s", x.Output)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(out.ResultWriterDetails.Key))); err != nil {
		t.Fatalf("manifest: %v", err)
	}
}

// TestJSONataDistributedMapValidation refuses the JSONPath forms of the
// distributed Map's fields in a JSONata state, naming state and field.
func TestJSONataDistributedMapValidation(t *testing.T) {
	tests := []struct{ name, extra, want string }{
		{"ItemReader Parameters", `,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}}`,
			"States.M.ItemReader.Parameters: The field 'Parameters' is not supported when QueryLanguage is JSONata"},
		{"ItemReader without Arguments", `,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"}}`,
			"States.M.ItemReader.Arguments: required field is missing"},
		{"MaxItemsPath", `,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItemsPath":"$.n"},"Arguments":{"Bucket":"b","Key":"k"}}`,
			"States.M.ItemReader.ReaderConfig.MaxItemsPath: The field 'MaxItemsPath' is not supported when QueryLanguage is JSONata"},
		{"MaxItemsPerBatchPath", `,"ItemBatcher":{"MaxItemsPerBatchPath":"$.n"}`,
			"States.M.ItemBatcher.MaxItemsPerBatchPath: The field 'MaxItemsPerBatchPath' is not supported when QueryLanguage is JSONata"},
		{"MaxItemsPerBatch zero", `,"ItemBatcher":{"MaxItemsPerBatch":0}`,
			"States.M.ItemBatcher.MaxItemsPerBatch: must be a positive integer"},
		{"ResultWriter Parameters", `,"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b"}}`,
			"States.M.ResultWriter.Parameters: The field 'Parameters' is not supported when QueryLanguage is JSONata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblems(t, jsonataDistMap(tt.extra), tt.want)
		})
	}
}
