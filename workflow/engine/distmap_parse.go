package engine

import (
	"encoding/json"
	"strings"

	"github.com/kaiban/kaiban/workflow/engine/jsonata"
)

// distributedFields parses the fields only a distributed Map has. They
// are refused on an inline Map, as AWS refuses them.
func (p *parser) distributedFields(o *object, st *state) {
	for _, k := range []string{"ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath"} {
		if o.has(k) && st.dist == nil {
			o.raw(k)
			p.addf(o.at(k), "allowed only in a distributed Map (ItemProcessor.ProcessorConfig.Mode DISTRIBUTED)")
		}
	}
	if st.dist == nil {
		return
	}
	if st.jsonata == nil && o.has("ToleratedFailureCountPath") {
		st.toleratedCountPath = p.referencePath(o, "ToleratedFailureCountPath")
		if o.has("ToleratedFailureCount") {
			p.addf(o.loc, "ToleratedFailureCount and ToleratedFailureCountPath must not be used together")
		}
	}
	if st.jsonata == nil && o.has("ToleratedFailurePercentagePath") {
		st.toleratedPctPath = p.referencePath(o, "ToleratedFailurePercentagePath")
		if o.has("ToleratedFailurePercentage") {
			p.addf(o.loc, "ToleratedFailurePercentage and ToleratedFailurePercentagePath must not be used together")
		}
	}
	if raw, ok := o.raw("ItemReader"); ok {
		if ro := p.object(o.at("ItemReader"), raw); ro != nil {
			st.dist.reader = p.itemReader(ro, st)
			ro.done()
		}
	}
	if raw, ok := o.raw("ItemBatcher"); ok {
		if bo := p.object(o.at("ItemBatcher"), raw); bo != nil {
			st.dist.batcher = p.itemBatcher(bo, st)
			bo.done()
		}
	}
	if raw, ok := o.raw("ResultWriter"); ok {
		if wo := p.object(o.at("ResultWriter"), raw); wo != nil {
			st.dist.writer = p.resultWriter(wo, st)
			wo.done()
		}
	}
}

// resultWriter parses ResultWriter: WriterConfig, Resource with
// Parameters (Arguments in JSONata), or all three, as AWS requires.
func (p *parser) resultWriter(wo *object, st *state) *resultWriter {
	w := &resultWriter{}
	res, hasRes := wo.str("Resource")
	if hasRes {
		w.toS3 = true
		if res != "arn:aws:states:::s3:putObject" {
			p.addf(wo.at("Resource"), "must be arn:aws:states:::s3:putObject, got %q", res)
		}
	}
	args := "Parameters"
	if st.jsonata != nil {
		args = "Arguments"
		w.jArgs = p.jsonataArguments(wo, st)
	} else {
		w.params = p.template(wo, "Parameters", st)
	}
	hasArgs := w.params != nil || w.jArgs != nil
	switch {
	case hasRes && !hasArgs:
		p.addf(wo.at(args), "required with Resource (Bucket, and optionally Prefix)")
	case !hasRes && hasArgs:
		p.addf(wo.at("Resource"), "required with %s", args)
	}
	if raw, ok := wo.raw("WriterConfig"); ok {
		if co := p.object(wo.at("WriterConfig"), raw); co != nil {
			if t, ok := co.str("Transformation"); ok {
				if t != "NONE" && t != "COMPACT" && t != "FLATTEN" {
					p.addf(co.at("Transformation"), "must be NONE, COMPACT or FLATTEN, got %q", t)
				}
				w.transformation = t
			}
			if t, ok := co.str("OutputType"); ok {
				if t != "JSON" && t != "JSONL" {
					p.addf(co.at("OutputType"), "must be JSON or JSONL, got %q", t)
				}
				w.outputType = t
			}
			co.done()
		}
	} else if !hasRes && !hasArgs {
		p.addf(wo.loc, "ResultWriter needs WriterConfig, or Resource and %s, or all three", args)
	}
	return w
}

func (p *parser) itemReader(ro *object, st *state) *itemReader {
	r := &itemReader{csvDelimiter: ','}
	res, _ := ro.str("Resource")
	switch res {
	case "arn:aws:states:::s3:getObject", "arn:aws:states:::s3:listObjectsV2":
		r.resource = strings.TrimPrefix(res, "arn:aws:states:::")
	default:
		p.addf(ro.at("Resource"), "must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2, got %q", res)
	}
	if st.jsonata != nil {
		if r.jArgs = p.jsonataArguments(ro, st); r.jArgs == nil {
			p.addf(ro.at("Arguments"), "required field is missing (Bucket, and Key or Prefix)")
		}
	} else if r.params = p.template(ro, "Parameters", st); r.params == nil {
		p.addf(ro.at("Parameters"), "required field is missing (Bucket, and Key or Prefix)")
	}
	if raw, ok := ro.raw("ReaderConfig"); ok {
		if co := p.object(ro.at("ReaderConfig"), raw); co != nil {
			if t, ok := co.str("InputType"); ok {
				switch r.inputType = t; t {
				case "JSON", "JSONL", "CSV", "MANIFEST", "PARQUET":
				default:
					p.addf(co.at("InputType"), "must be CSV, JSON, JSONL, PARQUET or MANIFEST, got %q", t)
				}
			}
			if h, ok := co.str("CSVHeaderLocation"); ok {
				if h != "FIRST_ROW" && h != "GIVEN" {
					p.addf(co.at("CSVHeaderLocation"), "must be FIRST_ROW or GIVEN, got %q", h)
				}
				r.csvHeaderLoc = h
			}
			if d, ok := co.str("CSVDelimiter"); ok {
				r.csvDelimiter = csvDelimiters[d]
				if r.csvDelimiter == 0 {
					p.addf(co.at("CSVDelimiter"), "must be COMMA, PIPE, SEMICOLON, SPACE or TAB, got %q", d)
				}
			}
			if items, ok := co.array("CSVHeaders"); ok {
				for i := range items {
					var s string
					if err := json.Unmarshal(items[i], &s); err != nil {
						p.addf(co.at("CSVHeaders"), "must be an array of strings")
						break
					}
					r.csvHeaders = append(r.csvHeaders, s)
				}
			}
			if ptr, ok := co.str("ItemsPointer"); ok {
				r.itemsPointer, r.hasPointer = ptr, true
				if _, err := splitPointer(ptr); err != nil {
					p.addf(co.at("ItemsPointer"), "%s", err.Error())
				}
			}
			if m, ok := co.str("ManifestType"); ok {
				if m != "S3_INVENTORY" && m != "ATHENA_DATA" {
					p.addf(co.at("ManifestType"), "must be S3_INVENTORY or ATHENA_DATA, got %q", m)
				}
				r.manifestType = m
			}
			if st.jsonata != nil {
				r.maxItems, r.jMaxItems = p.jsonataCount(co, "MaxItems", st, 0)
			} else if n, ok := co.integer("MaxItems"); ok {
				if n < 0 {
					p.addf(co.at("MaxItems"), "must not be negative")
				}
				r.maxItems = n
			}
			if st.jsonata != nil {
				p.refuse(co, "MaxItemsPath")
			} else if co.has("MaxItemsPath") {
				r.maxItemsPath = p.referencePath(co, "MaxItemsPath")
			}
			co.done()
		}
	}
	p.readerCombinations(ro, r)
	switch {
	case r.resource == "s3:getObject" && r.inputType == "" && r.manifestType != "S3_INVENTORY":
		p.addf(ro.at("ReaderConfig"), "InputType is required to read an object")
	case r.inputType == "CSV" && r.csvHeaderLoc == "" && r.manifestType != "S3_INVENTORY":
		p.addf(ro.at("ReaderConfig"), "CSVHeaderLocation is required with InputType CSV")
	case r.csvHeaderLoc == "GIVEN" && len(r.csvHeaders) == 0:
		p.addf(ro.at("ReaderConfig"), "CSVHeaders is required with CSVHeaderLocation GIVEN")
	}
	return r
}

// readerCombinations refuses the ReaderConfig fields AWS refuses
// together: ItemsPointer reads into a JSON object, so only with InputType
// JSON; ManifestType names a manifest object (getObject), S3_INVENTORY one
// whose inventory files are CSV, ATHENA_DATA one listing CSV, JSONL or
// Parquet files.
func (p *parser) readerCombinations(ro *object, r *itemReader) {
	at := func(field string) string { return ro.at("ReaderConfig") + "." + field }
	if r.hasPointer && r.inputType != "JSON" {
		p.addf(at("ItemsPointer"), "allowed only with InputType JSON, got InputType %q", r.inputType)
	}
	if r.manifestType == "" {
		return
	}
	if r.resource != "s3:getObject" {
		p.addf(at("ManifestType"), "allowed only with Resource arn:aws:states:::s3:getObject")
	}
	switch r.manifestType {
	case "S3_INVENTORY":
		if r.inputType != "" && r.inputType != "MANIFEST" && r.inputType != "CSV" {
			p.addf(at("InputType"), "must be CSV or MANIFEST with ManifestType S3_INVENTORY, got %q", r.inputType)
		}
	case "ATHENA_DATA":
		if r.inputType != "CSV" && r.inputType != "JSONL" && r.inputType != "PARQUET" {
			p.addf(at("InputType"), "must be CSV, JSONL or PARQUET with ManifestType ATHENA_DATA, got %q", r.inputType)
		}
	}
}

// csvDelimiters are ReaderConfig.CSVDelimiter's values and the field
// separators they name; AWS reads a CSV object with COMMA when absent.
var csvDelimiters = map[string]rune{"COMMA": ',', "PIPE": '|', "SEMICOLON": ';', "SPACE": ' ', "TAB": '\t'}

func (p *parser) itemBatcher(bo *object, st *state) *itemBatcher {
	b := &itemBatcher{}
	if st.jsonata != nil {
		p.refuse(bo, "MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath")
		b.maxItems, b.jMaxItems = p.jsonataCount(bo, "MaxItemsPerBatch", st, 1)
		b.maxBytes, b.jMaxBytes = p.jsonataCount(bo, "MaxInputBytesPerBatch", st, 1)
		if b.maxBytes > 262144 {
			p.addf(bo.at("MaxInputBytesPerBatch"), "must be between 1 and 262144")
		}
		b.jBatchInput = p.jsonataTemplate(bo, "BatchInput", "BatchInput", anyValue)
		st.jsonata.distUsesContext = st.jsonata.distUsesContext || b.jMaxItems.UsesContext() || b.jMaxBytes.UsesContext() || b.jBatchInput.UsesContext()
		if b.maxItems == 0 && b.jMaxItems == nil && b.maxBytes == 0 && b.jMaxBytes == nil {
			p.addf(bo.loc, "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch")
		}
		return b
	}
	if n, ok := bo.integer("MaxItemsPerBatch"); ok {
		if n < 1 {
			p.addf(bo.at("MaxItemsPerBatch"), "must be a positive integer")
		}
		b.maxItems = n
	}
	if bo.has("MaxItemsPerBatchPath") {
		b.maxItemsPath = p.referencePath(bo, "MaxItemsPerBatchPath")
	}
	if n, ok := bo.integer("MaxInputBytesPerBatch"); ok {
		if n < 1 || n > 262144 {
			p.addf(bo.at("MaxInputBytesPerBatch"), "must be between 1 and 262144")
		}
		b.maxBytes = n
	}
	if bo.has("MaxInputBytesPerBatchPath") {
		b.maxBytesPath = p.referencePath(bo, "MaxInputBytesPerBatchPath")
	}
	b.batchInput = p.template(bo, "BatchInput", st)
	if b.maxItems == 0 && b.maxItemsPath == nil && b.maxBytes == 0 && b.maxBytesPath == nil {
		p.addf(bo.loc, "ItemBatcher needs MaxItemsPerBatch, MaxInputBytesPerBatch or their Path variants")
	}
	return b
}

// jsonataArguments compiles the Arguments of a JSONata distributed Map's
// ItemReader or ResultWriter, which take the place of Parameters.
func (p *parser) jsonataArguments(o *object, st *state) *jsonata.Template {
	p.refuse(o, "Parameters")
	t := p.jsonataTemplate(o, "Arguments", "Arguments", objectOrExpr)
	st.jsonata.distUsesContext = st.jsonata.distUsesContext || t.UsesContext()
	return t
}

// jsonataCount reads a count of a JSONata distributed Map (MaxItems,
// MaxItemsPerBatch, MaxInputBytesPerBatch): a constant at least min, or
// an expression evaluated when the state runs.
func (p *parser) jsonataCount(o *object, key string, st *state, min int) (int, *jsonata.Template) {
	t := p.jsonataTemplate(o, key, key, numberOrExpr)
	if t == nil {
		return 0, nil
	}
	v, ok := t.Constant()
	if !ok {
		st.jsonata.distUsesContext = st.jsonata.distUsesContext || t.UsesContext()
		return 0, t
	}
	n, isInt := nonNegativeInt(v)
	if !isInt || int(n) < min {
		if min > 0 {
			p.addf(o.at(key), "must be a positive integer")
		} else {
			p.addf(o.at(key), "must be a non-negative integer")
		}
	}
	return int(n), nil
}
