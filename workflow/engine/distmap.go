package engine

import (
	"github.com/kaiban/kaiban/workflow/engine/expr"
	"github.com/kaiban/kaiban/workflow/engine/jsonata"
)

// distMap holds what a distributed Map state (ProcessorConfig.Mode
// DISTRIBUTED) adds to an inline one. The local engine runs its child
// workflows as iterations of the parent execution, with the results AWS
// gives, reading and writing "S3" in local folders (Options.S3Dirs).
type distMap struct {
	executionType string // STANDARD or EXPRESS
	label         string
	reader        *itemReader
	batcher       *itemBatcher
	writer        *resultWriter
}

// itemReader is ItemReader: where the items come from instead of the
// state input.
type itemReader struct {
	resource  string // s3:getObject or s3:listObjectsV2
	params    *expr.Template
	inputType string // JSON, JSONL, CSV, PARQUET or MANIFEST (getObject)
	// itemsPointer is ItemsPointer: a JSON Pointer to the items' array
	// inside a JSON object (InputType JSON); "" when absent.
	itemsPointer string
	hasPointer   bool
	// manifestType is ManifestType: S3_INVENTORY (an S3 Inventory
	// manifest.json, like InputType MANIFEST) or ATHENA_DATA (an Athena
	// UNLOAD manifest listing data files of InputType); "" when absent.
	manifestType string
	csvHeaderLoc string // FIRST_ROW or GIVEN
	csvHeaders   []string
	csvDelimiter rune // CSVDelimiter; ',' when absent
	maxItems     int
	maxItemsPath *expr.Path
	// In a JSONata state: Arguments instead of Parameters, and MaxItems
	// when it is an expression.
	jArgs, jMaxItems *jsonata.Template
}

// itemBatcher is ItemBatcher: each child gets {"BatchInput", "Items"}.
type itemBatcher struct {
	maxItems     int
	maxItemsPath *expr.Path
	maxBytes     int
	maxBytesPath *expr.Path
	batchInput   *expr.Template
	// In a JSONata state: the fields written as expressions.
	jMaxItems, jMaxBytes, jBatchInput *jsonata.Template
}

// resultWriter is ResultWriter: with Resource the children's results go
// to files (manifest.json, SUCCEEDED_n.json, FAILED_n.json) instead of
// the output; WriterConfig shapes the entries (Transformation) and their
// layout (OutputType), in the files or, alone, in the output.
type resultWriter struct {
	toS3   bool              // Resource given
	params *expr.Template    // Bucket, Prefix
	jArgs  *jsonata.Template // the same in a JSONata state (Arguments)
	// WriterConfig: Transformation NONE, COMPACT or FLATTEN and OutputType
	// JSON or JSONL ("" when absent).
	transformation, outputType string
}
