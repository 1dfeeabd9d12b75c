package engine

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

// TestItemReaderPointerAndManifests reads items through ItemsPointer (an
// array inside a JSON object) and through ManifestType: an S3 Inventory
// manifest, and an Athena UNLOAD manifest listing CSV or JSON Lines files.
func TestItemReaderPointerAndManifests(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	write("data/nested.json", []byte(`{"meta":{"n":2},"data":{"rows":[{"n":1},{"n":2}],"a/b":[7],"list":[[5,6]]}}`))
	write("data/top.json", []byte(`[1,2]`))
	write("inventory/manifest.json", []byte(`{"sourceBucket":"inv","destinationBucket":"arn:aws:s3:::bkt","fileFormat":"CSV","fileSchema":"Bucket, Key, Size","files":[{"key":"inventory/data/a.csv.gz"}]}`))
	write("inventory/data/a.csv.gz", gz("\"inv\",\"x.txt\",\"3\"\n"))
	write("athena/q1-manifest.csv", []byte("s3://bkt/athena/q1/part-0.gz\n\ns3://bkt/athena/q1/part-1\n"))
	write("athena/q1/part-0.gz", gz("Ann,30\nBo,41\n"))
	write("athena/q1/part-1", []byte("Cy,52\n"))
	write("athena/q2-manifest.csv", []byte("s3://bkt/athena/q2/a.jsonl\n"))
	write("athena/q2/a.jsonl", []byte("{\"n\":1}\n{\"n\":2}\n"))
	write("athena/bad-manifest.csv", []byte("athena/q2/a.jsonl\n"))
	write("athena/elsewhere-manifest.csv", []byte("s3://other/a.jsonl\n"))

	reader := func(config, key string) string {
		return `,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":` + config + `,"Parameters":{"Bucket":"bkt","Key":"` + key + `"}}`
	}
	tests := []struct {
		name, extra, output, errName string
	}{
		{"ItemsPointer to a nested array", reader(`{"InputType":"JSON","ItemsPointer":"/data/rows"}`, "data/nested.json"), `[{"n":1},{"n":2}]`, ""},
		{"ItemsPointer with an escaped /", reader(`{"InputType":"JSON","ItemsPointer":"/data/a~1b"}`, "data/nested.json"), `[7]`, ""},
		{"ItemsPointer through an array index", reader(`{"InputType":"JSON","ItemsPointer":"/data/list/0"}`, "data/nested.json"), `[5,6]`, ""},
		{"ItemsPointer empty is the whole object", reader(`{"InputType":"JSON","ItemsPointer":""}`, "data/top.json"), `[1,2]`, ""},
		{"ItemsPointer with MaxItems", reader(`{"InputType":"JSON","ItemsPointer":"/data/rows","MaxItems":1}`, "data/nested.json"), `[{"n":1}]`, ""},
		{"ItemsPointer to an object fails", reader(`{"InputType":"JSON","ItemsPointer":"/meta"}`, "data/nested.json"), ``, ErrItemReaderFailed},
		{"ItemsPointer to a missing member fails", reader(`{"InputType":"JSON","ItemsPointer":"/data/none"}`, "data/nested.json"), ``, ErrItemReaderFailed},
		{"S3_INVENTORY with InputType CSV", reader(`{"ManifestType":"S3_INVENTORY","InputType":"CSV"}`, "inventory/manifest.json"), `[{"Bucket":"inv","Key":"x.txt","Size":"3"}]`, ""},
		{"S3_INVENTORY without InputType", reader(`{"ManifestType":"S3_INVENTORY"}`, "inventory/manifest.json"), `[{"Bucket":"inv","Key":"x.txt","Size":"3"}]`, ""},
		{"ATHENA_DATA CSV files, gzipped or not", reader(`{"ManifestType":"ATHENA_DATA","InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["name","age"]}`, "athena/q1-manifest.csv"),
			`[{"name":"Ann","age":"30"},{"name":"Bo","age":"41"},{"name":"Cy","age":"52"}]`, ""},
		{"ATHENA_DATA JSONL files", reader(`{"ManifestType":"ATHENA_DATA","InputType":"JSONL"}`, "athena/q2-manifest.csv"), `[{"n":1},{"n":2}]`, ""},
		{"ATHENA_DATA with MaxItems", reader(`{"ManifestType":"ATHENA_DATA","InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["name","age"],"MaxItems":2}`, "athena/q1-manifest.csv"),
			`[{"name":"Ann","age":"30"},{"name":"Bo","age":"41"}]`, ""},
		{"ATHENA_DATA line not an s3 URI fails", reader(`{"ManifestType":"ATHENA_DATA","InputType":"JSONL"}`, "athena/bad-manifest.csv"), ``, ErrItemReaderFailed},
		{"ATHENA_DATA file in an unmapped bucket fails", reader(`{"ManifestType":"ATHENA_DATA","InputType":"JSONL"}`, "athena/elsewhere-manifest.csv"), ``, ErrItemReaderFailed},
		{"ATHENA_DATA Parquet is accepted but not read", reader(`{"ManifestType":"ATHENA_DATA","InputType":"PARQUET"}`, "athena/q2-manifest.csv"), ``, ErrItemReaderFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), S3Dirs: map[string]string{"bkt": dir}})
			x := runToEnd(t, e, mustCreate(t, e, "reader", distMapDef("DISTRIBUTED", tt.extra, "")), `{}`)
			if tt.errName != "" {
				if x.Status != StatusFailed || x.Error != tt.errName {
					t.Fatalf("got %s %s %s, want FAILED %s", x.Status, x.Error, x.Cause, tt.errName)
				}
				return
			}
			if x.Status != StatusSucceeded || x.Output != tt.output {
				t.Fatalf("got %s %s %s\nwant %s", x.Status, x.Output, x.Cause, tt.output)
			}
		})
	}
	t.Run("JSONata ItemsPointer", func(t *testing.T) {
		e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), S3Dirs: map[string]string{"bkt": dir}})
		def := jsonataDistMap(`,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","ItemsPointer":"/data/rows"},"Arguments":{"Bucket":"bkt","Key":"data/nested.json"}}`)
		x := runToEnd(t, e, mustCreate(t, e, "jreader", def), `{}`)
		if x.Status != StatusSucceeded || x.Output != `[{"n":1},{"n":2}]` {
			t.Fatalf("got %s %s %s", x.Status, x.Output, x.Cause)
		}
	})
}

// TestItemReaderConfigValidation refuses the ReaderConfig combinations AWS
// refuses, naming the state and the field.
func TestItemReaderConfigValidation(t *testing.T) {
	reader := func(resource, config string) string {
		return `,"ItemReader":{"Resource":"arn:aws:states:::s3:` + resource + `","ReaderConfig":` + config + `,"Parameters":{"Bucket":"b","Key":"k"}}`
	}
	tests := []struct{ name, extra, want string }{
		{"ItemsPointer with CSV", reader("getObject", `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","ItemsPointer":"/a"}`),
			`States.M.ItemReader.ReaderConfig.ItemsPointer: allowed only with InputType JSON, got InputType "CSV"`},
		{"ItemsPointer with JSONL", reader("getObject", `{"InputType":"JSONL","ItemsPointer":"/a"}`),
			`States.M.ItemReader.ReaderConfig.ItemsPointer: allowed only with InputType JSON, got InputType "JSONL"`},
		{"ItemsPointer with listObjectsV2", reader("listObjectsV2", `{"ItemsPointer":"/a"}`),
			`States.M.ItemReader.ReaderConfig.ItemsPointer: allowed only with InputType JSON, got InputType ""`},
		{"ItemsPointer not a pointer", reader("getObject", `{"InputType":"JSON","ItemsPointer":"data.rows"}`),
			`States.M.ItemReader.ReaderConfig.ItemsPointer: must be a JSON Pointer starting with /, got "data.rows"`},
		{"ItemsPointer bad escape", reader("getObject", `{"InputType":"JSON","ItemsPointer":"/a~2"}`),
			`States.M.ItemReader.ReaderConfig.ItemsPointer: must escape ~ as ~0 and / as ~1`},
		{"ItemsPointer not a string", reader("getObject", `{"InputType":"JSON","ItemsPointer":3}`),
			`States.M.ItemReader.ReaderConfig.ItemsPointer`},
		{"unknown ManifestType", reader("getObject", `{"InputType":"MANIFEST","ManifestType":"ORC"}`),
			`States.M.ItemReader.ReaderConfig.ManifestType: must be S3_INVENTORY or ATHENA_DATA, got "ORC"`},
		{"ATHENA_DATA with JSON", reader("getObject", `{"InputType":"JSON","ManifestType":"ATHENA_DATA"}`),
			`States.M.ItemReader.ReaderConfig.InputType: must be CSV, JSONL or PARQUET with ManifestType ATHENA_DATA, got "JSON"`},
		{"ATHENA_DATA with MANIFEST", reader("getObject", `{"InputType":"MANIFEST","ManifestType":"ATHENA_DATA"}`),
			`States.M.ItemReader.ReaderConfig.InputType: must be CSV, JSONL or PARQUET with ManifestType ATHENA_DATA, got "MANIFEST"`},
		{"ATHENA_DATA without InputType", reader("getObject", `{"ManifestType":"ATHENA_DATA"}`),
			`States.M.ItemReader.ReaderConfig.InputType: must be CSV, JSONL or PARQUET with ManifestType ATHENA_DATA, got ""`},
		{"S3_INVENTORY with JSONL", reader("getObject", `{"InputType":"JSONL","ManifestType":"S3_INVENTORY"}`),
			`States.M.ItemReader.ReaderConfig.InputType: must be CSV or MANIFEST with ManifestType S3_INVENTORY, got "JSONL"`},
		{"ManifestType with listObjectsV2", reader("listObjectsV2", `{"ManifestType":"S3_INVENTORY"}`),
			`States.M.ItemReader.ReaderConfig.ManifestType: allowed only with Resource arn:aws:states:::s3:getObject`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblems(t, distMapDef("DISTRIBUTED", tt.extra, ""), tt.want)
		})
	}
	for _, ok := range []string{
		reader("getObject", `{"InputType":"JSON","ItemsPointer":"/a/0"}`),
		reader("getObject", `{"ManifestType":"S3_INVENTORY"}`),
		reader("getObject", `{"InputType":"CSV","ManifestType":"S3_INVENTORY"}`),
		reader("getObject", `{"InputType":"JSONL","ManifestType":"ATHENA_DATA"}`),
		reader("listObjectsV2", `{"MaxItems":1}`),
	} {
		if _, err := Parse([]byte(distMapDef("DISTRIBUTED", ok, ""))); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
}
