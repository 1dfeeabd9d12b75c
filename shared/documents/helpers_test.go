package documents_test

import (
	"encoding/json"
	"io"
)

var errEOF = io.EOF

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
