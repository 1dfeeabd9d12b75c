package engine

import (
	"bufio"
	"bytes"
	"strings"
)

// athenaItems reads an Athena UNLOAD manifest (ManifestType ATHENA_DATA):
// one s3://bucket/key URI a line, each a data file of the ReaderConfig's
// InputType (gzipped when its key ends in .gz), whose items follow one
// another in the manifest's order.
func (e *Engine) athenaItems(r *itemReader, data []byte, bucket, key string) ([]any, *stateError) {
	items := []any{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		uri := strings.TrimSpace(sc.Text())
		if uri == "" {
			continue
		}
		rest, ok := strings.CutPrefix(uri, "s3://")
		fileBucket, fileKey, _ := strings.Cut(rest, "/")
		if !ok || fileBucket == "" || fileKey == "" {
			return nil, readerFailure("The Athena manifest " + key + " in bucket " + bucket + " lists " + uri + ", which is not an s3://bucket/key URI")
		}
		raw, se := e.getObject(fileBucket, fileKey)
		if se != nil {
			return nil, se
		}
		if raw, se = gunzipGz(raw, fileKey); se != nil {
			return nil, se
		}
		part, se := parseItems(r, raw, fileBucket, fileKey)
		if se != nil {
			return nil, se
		}
		items = append(items, part...)
	}
	return items, nil
}
