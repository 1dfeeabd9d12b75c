package engine

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// Error names of a distributed Map's reading and writing.
const (
	ErrItemReaderFailed   = "States.ItemReaderFailed"
	ErrResultWriterFailed = "States.ResultWriterFailed"
)

// s3Path resolves bucket/key to a file in the bucket's local folder.
func (e *Engine) s3Path(bucket, key string) (string, error) {
	dir, ok := e.s3Dirs[bucket]
	if !ok {
		return "", errors.New("the bucket " + bucket + " is not mapped to a local folder (sfnlocal --s3-dir " + bucket + "=PATH)")
	}
	clean := path.Clean("/" + key)
	return filepath.Join(dir, filepath.FromSlash(clean)), nil
}

// readerFailure is a States.ItemReaderFailed failure.
func readerFailure(msg string) *stateError {
	return &stateError{Name: ErrItemReaderFailed, Cause: msg}
}

// readItems runs the ItemReader against the effective input.
func (e *Engine) readItems(r *itemReader, in, ctxObj any) ([]any, *stateError) {
	pv, err := r.params.Eval(in, ctxObj)
	if err != nil {
		return nil, asStateError(err)
	}
	limit := r.maxItems
	if r.maxItemsPath != nil {
		v, err := r.maxItemsPath.GetIn(in, ctxObj, "MaxItemsPath")
		if err != nil {
			return nil, asStateError(err)
		}
		n, ok := nonNegativeInt(v)
		if !ok {
			return nil, runtimeError("The MaxItemsPath field does not reference a valid non-negative integer value: " + string(mustEncode(v)))
		}
		limit = int(n)
	}
	params, _ := pv.(*expr.Object)
	return e.readItemsWith(r, params, limit)
}

// readItemsWith reads the items that the evaluated ItemReader parameters
// (Bucket, Key or Prefix) name, at most limit of them when limit > 0.
func (e *Engine) readItemsWith(r *itemReader, params *expr.Object, limit int) ([]any, *stateError) {
	bucket := stringMember(params, "Bucket")
	var items []any
	var se *stateError
	if r.resource == "s3:listObjectsV2" {
		items, se = e.listObjects(bucket, stringMember(params, "Prefix"))
	} else {
		items, se = e.readObject(r, bucket, stringMember(params, "Key"))
	}
	if se != nil {
		return nil, se
	}
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

func stringMember(o *expr.Object, key string) string {
	v, _ := o.Get(key)
	s, _ := v.(string)
	return s
}

// readObject reads one object as the ReaderConfig's InputType and
// ManifestType say.
func (e *Engine) readObject(r *itemReader, bucket, key string) ([]any, *stateError) {
	data, se := e.getObject(bucket, key)
	if se != nil {
		return nil, se
	}
	switch {
	case r.manifestType == "S3_INVENTORY" || r.inputType == "MANIFEST":
		return e.manifestItems(data, bucket, key)
	case r.manifestType == "ATHENA_DATA":
		return e.athenaItems(r, data, bucket, key)
	}
	return parseItems(r, data, bucket, key)
}

// parseItems reads the items of one data object of InputType JSON, JSONL
// or CSV.
func parseItems(r *itemReader, data []byte, bucket, key string) ([]any, *stateError) {
	switch r.inputType {
	case "JSON":
		v, err := expr.Decode(data)
		if err != nil {
			return nil, readerFailure("The object " + key + " in bucket " + bucket + " is not valid JSON")
		}
		if r.hasPointer {
			if v, err = pointerIn(v, r.itemsPointer); err != nil {
				return nil, readerFailure("ItemsPointer " + r.itemsPointer + " in the object " + key + " in bucket " + bucket + ": " + err.Error())
			}
		}
		items, ok := v.([]any)
		if !ok {
			if r.hasPointer {
				return nil, readerFailure("ItemsPointer " + r.itemsPointer + " in the object " + key + " in bucket " + bucket + " does not point to a JSON array")
			}
			return nil, readerFailure("The object " + key + " in bucket " + bucket + " is not a JSON array")
		}
		return items, nil
	case "JSONL":
		var items []any
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64*1024), 1<<26)
		for n := 1; sc.Scan(); n++ {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			v, err := expr.Decode(line)
			if err != nil {
				return nil, readerFailure("Line " + strconv.Itoa(n) + " of the object " + key + " in bucket " + bucket + " is not valid JSON")
			}
			items = append(items, v)
		}
		return items, nil
	case "CSV":
		return csvItems(data, r.csvDelimiter, r.csvHeaderLoc == "FIRST_ROW", r.csvHeaders, bucket, key)
	case "PARQUET":
		return nil, readerFailure("The object " + key + " in bucket " + bucket + " is Parquet, which the local engine does not read")
	}
	return nil, readerFailure("unknown InputType " + r.inputType)
}

func (e *Engine) getObject(bucket, key string) ([]byte, *stateError) {
	p, err := e.s3Path(bucket, key)
	if err != nil {
		return nil, readerFailure(err.Error())
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, readerFailure("The specified key does not exist: " + key + " (bucket " + bucket + ")")
	}
	return data, nil
}

// csvItems turns CSV rows into objects keyed by the headers, every value
// a string, as AWS does; sep separates the fields (ReaderConfig.CSVDelimiter).
func csvItems(data []byte, sep rune, firstRow bool, headers []string, bucket, key string) ([]any, *stateError) {
	rd := csv.NewReader(bytes.NewReader(data))
	rd.Comma = sep
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		return nil, readerFailure("The object " + key + " in bucket " + bucket + " is not valid CSV: " + err.Error())
	}
	if firstRow {
		if len(rows) == 0 {
			return []any{}, nil
		}
		headers, rows = rows[0], rows[1:]
	}
	items := make([]any, 0, len(rows))
	for _, row := range rows {
		if len(row) > len(headers) {
			return nil, readerFailure("A row of " + key + " has more fields than there are headers")
		}
		ms := make([]expr.Member, len(headers))
		for i, h := range headers {
			v := ""
			if i < len(row) {
				v = row[i]
			}
			ms[i] = expr.Member{Key: h, Value: v}
		}
		items = append(items, expr.NewObject(ms))
	}
	return items, nil
}

// manifestItems reads an S3 Inventory manifest: its CSV data files
// (gzipped or not), with the columns its fileSchema names.
func (e *Engine) manifestItems(data []byte, bucket, key string) ([]any, *stateError) {
	var m struct {
		FileFormat string `json:"fileFormat"`
		FileSchema string `json:"fileSchema"`
		Files      []struct {
			Key string `json:"key"`
		} `json:"files"`
	}
	if err := json.Unmarshal(data, &m); err != nil || m.FileSchema == "" {
		return nil, readerFailure("The object " + key + " in bucket " + bucket + " is not an S3 Inventory manifest")
	}
	if m.FileFormat != "" && m.FileFormat != "CSV" {
		return nil, readerFailure("Only CSV S3 Inventory files are supported, got " + m.FileFormat)
	}
	var headers []string
	for _, h := range strings.Split(m.FileSchema, ",") {
		headers = append(headers, strings.TrimSpace(h))
	}
	var items []any
	for _, f := range m.Files {
		raw, se := e.getObject(bucket, f.Key)
		if se != nil {
			return nil, se
		}
		if raw, se = gunzipGz(raw, f.Key); se != nil {
			return nil, se
		}
		part, se := csvItems(raw, ',', false, headers, bucket, f.Key)
		if se != nil {
			return nil, se
		}
		items = append(items, part...)
	}
	return items, nil
}

// gunzipGz uncompresses data when key ends in .gz, as S3 Inventory and
// Athena UNLOAD write their files.
func gunzipGz(data []byte, key string) ([]byte, *stateError) {
	if !strings.HasSuffix(key, ".gz") {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err == nil {
		data, err = io.ReadAll(zr)
	}
	if err != nil {
		return nil, readerFailure("The file " + key + " is not gzip data")
	}
	return data, nil
}

// listObjects lists the objects below prefix as ListObjectsV2 describes
// them, in key order.
func (e *Engine) listObjects(bucket, prefix string) ([]any, *stateError) {
	dir, ok := e.s3Dirs[bucket]
	if !ok {
		return nil, readerFailure("the bucket " + bucket + " is not mapped to a local folder (sfnlocal --s3-dir " + bucket + "=PATH)")
	}
	var items []any
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := md5.Sum(data)
		items = append(items, expr.NewObject([]expr.Member{
			{Key: "Etag", Value: `"` + hex.EncodeToString(sum[:]) + `"`},
			{Key: "Key", Value: key},
			{Key: "LastModified", Value: formatTime(info.ModTime())},
			{Key: "Size", Value: json.Number(strconv.FormatInt(info.Size(), 10))},
			{Key: "StorageClass", Value: "STANDARD"},
		}))
		return nil
	})
	if err != nil {
		return nil, readerFailure("listing bucket " + bucket + ": " + err.Error())
	}
	sort.SliceStable(items, func(i, j int) bool {
		return stringMember(items[i].(*expr.Object), "Key") < stringMember(items[j].(*expr.Object), "Key")
	})
	if items == nil {
		items = []any{}
	}
	return items, nil
}

// putObject writes data at bucket/key in the bucket's local folder.
func (e *Engine) putObject(bucket, key string, data []byte) *stateError {
	p, err := e.s3Path(bucket, key)
	if err == nil {
		if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
			err = os.WriteFile(p, data, 0o644)
		}
	}
	if err != nil {
		return &stateError{Name: ErrResultWriterFailed, Cause: err.Error()}
	}
	return nil
}
