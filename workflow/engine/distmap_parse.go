package engine

import (
	"encoding/json"
	"strings"
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
	if o.has("ToleratedFailureCountPath") {
		st.toleratedCountPath = p.referencePath(o, "ToleratedFailureCountPath")
		if o.has("ToleratedFailureCount") {
			p.addf(o.loc, "ToleratedFailureCount and ToleratedFailureCountPath must not be used together")
		}
	}
	if o.has("ToleratedFailurePercentagePath") {
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
			res, _ := wo.str("Resource")
			if res != "arn:aws:states:::s3:putObject" {
				p.addf(wo.at("Resource"), "must be arn:aws:states:::s3:putObject, got %q", res)
			}
			st.dist.writer = &resultWriter{params: p.template(wo, "Parameters", st)}
			wo.done()
		}
	}
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
	r.params = p.template(ro, "Parameters", st)
	if r.params == nil {
		p.addf(ro.at("Parameters"), "required field is missing (Bucket, and Key or Prefix)")
	}
	if raw, ok := ro.raw("ReaderConfig"); ok {
		if co := p.object(ro.at("ReaderConfig"), raw); co != nil {
			r.inputType, _ = co.str("InputType")
			switch r.inputType {
			case "JSON", "JSONL", "CSV", "MANIFEST":
			default:
				p.addf(co.at("InputType"), "must be JSON, JSONL, CSV or MANIFEST, got %q", r.inputType)
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
			if n, ok := co.integer("MaxItems"); ok {
				if n < 0 {
					p.addf(co.at("MaxItems"), "must not be negative")
				}
				r.maxItems = n
			}
			if co.has("MaxItemsPath") {
				r.maxItemsPath = p.referencePath(co, "MaxItemsPath")
			}
			co.done()
		}
	}
	switch {
	case r.resource == "s3:getObject" && r.inputType == "":
		p.addf(ro.at("ReaderConfig"), "InputType is required to read an object")
	case r.inputType == "CSV" && r.csvHeaderLoc == "":
		p.addf(ro.at("ReaderConfig"), "CSVHeaderLocation is required with InputType CSV")
	case r.csvHeaderLoc == "GIVEN" && len(r.csvHeaders) == 0:
		p.addf(ro.at("ReaderConfig"), "CSVHeaders is required with CSVHeaderLocation GIVEN")
	}
	return r
}

// csvDelimiters are ReaderConfig.CSVDelimiter's values and the field
// separators they name; AWS reads a CSV object with COMMA when absent.
var csvDelimiters = map[string]rune{"COMMA": ',', "PIPE": '|', "SEMICOLON": ';', "SPACE": ' ', "TAB": '\t'}

func (p *parser) itemBatcher(bo *object, st *state) *itemBatcher {
	b := &itemBatcher{}
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
