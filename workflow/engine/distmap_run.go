package engine

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// mapRun names one run of a distributed Map, as AWS names it: the Map
// Run's ARN, and its child executions' ARNs, under the state machine's
// name and the state's Label (or name). The id is derived from the
// execution and the StateEntered event, so a resumed engine names the
// run the same.
type mapRun struct {
	id, arn, childPrefix string
}

func (th *thread) newMapRun(st *state) *mapRun {
	label := st.dist.label
	if label == "" {
		label = st.name
	}
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte(th.x.arn+"#"+strconv.FormatInt(th.enteredID, 10))).String()
	sm := th.x.sm.info.Name
	prefix := "arn:aws:states:" + defaultRegion + ":" + defaultAccount + ":"
	return &mapRun{id: id, arn: prefix + "mapRun:" + sm + "/" + label + ":" + id, childPrefix: prefix + "execution:" + sm + "/" + label + ":"}
}

// tolerance is the failure tolerance of one Map run.
type tolerance struct {
	count            int
	pct              float64
	hasCount, hasPct bool
}

// tolerance resolves ToleratedFailureCount/Percentage and their Path
// variants against the effective input.
func (th *thread) tolerance(st *state, in any) (tolerance, *stateError) {
	t := tolerance{count: st.toleratedCount, hasCount: st.hasToleratedCount, pct: st.toleratedPercent, hasPct: st.hasToleratedPct}
	if st.toleratedCountPath != nil {
		v, err := th.pathIn(st.toleratedCountPath, in, st, th.enteredAt, 0, "ToleratedFailureCountPath")
		if err != nil {
			return t, asStateError(err)
		}
		n, ok := nonNegativeInt(v)
		if !ok {
			return t, runtimeError("The ToleratedFailureCountPath field does not reference a valid non-negative integer value: " + string(mustEncode(v)))
		}
		t.count, t.hasCount = int(n), true
	}
	if st.toleratedPctPath != nil {
		v, err := th.pathIn(st.toleratedPctPath, in, st, th.enteredAt, 0, "ToleratedFailurePercentagePath")
		if err != nil {
			return t, asStateError(err)
		}
		f, ok := v.(json.Number)
		pct, ferr := f.Float64()
		if !ok || ferr != nil || pct < 0 || pct > 100 {
			return t, runtimeError("The ToleratedFailurePercentagePath field does not reference a valid number between 0 and 100: " + string(mustEncode(v)))
		}
		t.pct, t.hasPct = pct, true
	}
	return t, nil
}

// batchItems applies ItemSelector to each item and groups the results
// into batches of {"BatchInput", "Items"} as ItemBatcher says.
func (th *thread) batchItems(st *state, in any, items []any, entered time.Time, retries int) ([]any, *stateError) {
	if st.jsonata != nil {
		maxItems, maxBytes, batchInput, err := th.jsonataBatchSettings(st, in, entered, retries)
		if err != nil {
			return nil, asStateError(err)
		}
		return th.batch(st, in, items, maxItems, maxBytes, batchInput, entered, retries)
	}
	b := st.dist.batcher
	maxItems, maxBytes := b.maxItems, b.maxBytes
	for _, p := range []struct {
		path  *expr.Path
		field string
		dst   *int
	}{{b.maxItemsPath, "MaxItemsPerBatchPath", &maxItems}, {b.maxBytesPath, "MaxInputBytesPerBatchPath", &maxBytes}} {
		if p.path == nil {
			continue
		}
		v, err := th.pathIn(p.path, in, st, entered, retries, p.field)
		if err != nil {
			return nil, asStateError(err)
		}
		n, ok := nonNegativeInt(v)
		if !ok || n == 0 {
			return nil, runtimeError("The " + p.field + " field does not reference a valid positive integer value: " + string(mustEncode(v)))
		}
		*p.dst = int(n)
	}
	var batchInput any
	if b.batchInput != nil {
		v, err := b.batchInput.Eval(in, th.scope(th.contextObject(st, entered, retries, "")))
		if err != nil {
			return nil, asStateError(err)
		}
		batchInput = v
	}
	return th.batch(st, in, items, maxItems, maxBytes, batchInput, entered, retries)
}

// batch applies ItemSelector to each item and groups the results into
// batches of at most maxItems items and maxBytes bytes (0: no limit).
func (th *thread) batch(st *state, in any, items []any, maxItems, maxBytes int, batchInput any, entered time.Time, retries int) ([]any, *stateError) {
	var (
		batches []any
		cur     []any
		size    int
	)
	flush := func() {
		if len(cur) == 0 {
			return
		}
		var ms []expr.Member
		if batchInput != nil {
			ms = append(ms, expr.Member{Key: "BatchInput", Value: batchInput})
		}
		ms = append(ms, expr.Member{Key: "Items", Value: cur})
		batches = append(batches, expr.NewObject(ms))
		cur, size = nil, 0
	}
	for i, item := range items {
		v := item
		if st.jsonata != nil {
			var err error
			if v, err = th.jsonataItemInput(st, in, item, i, entered, retries); err != nil {
				return nil, asStateError(err)
			}
		} else if st.itemSelector != nil {
			th.item = &mapItem{index: i, value: item}
			ctxObj := th.contextObject(st, entered, retries, "")
			th.item = nil
			var err error
			if v, err = st.itemSelector.Eval(in, th.scope(ctxObj)); err != nil {
				return nil, asStateError(err)
			}
		}
		n := jsonSize(v, 1<<30)
		if len(cur) > 0 && ((maxItems > 0 && len(cur) >= maxItems) || (maxBytes > 0 && size+n > maxBytes)) {
			flush()
		}
		cur = append(cur, v)
		size += n
	}
	flush()
	if batches == nil {
		batches = []any{}
	}
	return batches, nil
}

// writeResults writes the run's results as AWS's ResultWriter does
// (<Prefix>/<map run id>/manifest.json, SUCCEEDED_0.json, FAILED_0.json,
// each in WriterConfig's Transformation and OutputType) and returns the
// state's result: the Map Run ARN and where the manifest is.
func (th *thread) writeResults(st *state, run *mapRun, in, ctxObj any, items, results []any, failed []*stateError, entered time.Time, retries int) (any, *stateError) {
	w := st.dist.writer
	var params *expr.Object
	if w.jArgs != nil {
		var err error
		if params, err = th.jsonataArgs(st, w.jArgs, th.bindings(st, in, entered, retries, ""), "ResultWriter"); err != nil {
			return nil, asStateError(err)
		}
	} else {
		pv, err := w.params.Eval(in, th.scope(ctxObj))
		if err != nil {
			return nil, asStateError(err)
		}
		params, _ = pv.(*expr.Object)
	}
	bucket := stringMember(params, "Bucket")
	prefix := strings.TrimSuffix(stringMember(params, "Prefix"), "/")
	dir := run.id + "/"
	if prefix != "" {
		dir = prefix + "/" + dir
	}
	succeeded, failedRuns, _ := th.resultEntries(st, run, items, results, failed, entered)
	files := map[string][]any{}
	for _, f := range []struct {
		status string
		runs   []any
	}{{"SUCCEEDED", succeeded}, {"FAILED", failedRuns}} {
		files[f.status] = []any{}
		if len(f.runs) == 0 {
			continue
		}
		key := dir + f.status + "_0.json"
		data := w.encode(f.runs)
		if se := th.x.e.putObject(bucket, key, data); se != nil {
			return nil, se
		}
		files[f.status] = []any{expr.NewObject([]expr.Member{{Key: "Key", Value: key}, {Key: "Size", Value: json.Number(strconv.Itoa(len(data)))}})}
	}
	manifest := expr.NewObject([]expr.Member{
		{Key: "DestinationBucket", Value: bucket},
		{Key: "MapRunArn", Value: run.arn},
		{Key: "ResultFiles", Value: expr.NewObject([]expr.Member{
			{Key: "FAILED", Value: files["FAILED"]}, {Key: "PENDING", Value: []any{}}, {Key: "SUCCEEDED", Value: files["SUCCEEDED"]},
		})},
	})
	if se := th.x.e.putObject(bucket, dir+"manifest.json", mustEncode(manifest)); se != nil {
		return nil, se
	}
	return expr.NewObject([]expr.Member{
		{Key: "MapRunArn", Value: run.arn},
		{Key: "ResultWriterDetails", Value: expr.NewObject([]expr.Member{{Key: "Bucket", Value: bucket}, {Key: "Key", Value: dir + "manifest.json"}})},
	}), nil
}

// previewResults is the state's result of a ResultWriter with WriterConfig
// alone: the entries the files would hold, in item order, as a JSON array
// (OutputType JSON) or as the JSON Lines text itself (JSONL).
func (th *thread) previewResults(st *state, run *mapRun, items, results []any, failed []*stateError, entered time.Time) any {
	w := st.dist.writer
	_, _, all := th.resultEntries(st, run, items, results, failed, entered)
	if w.output() == "JSONL" {
		return string(w.encode(all))
	}
	return all
}

// resultEntries shapes each child's result as WriterConfig.Transformation
// says: NONE gives the child execution's record (ARN, input, output,
// status, dates), COMPACT its output, FLATTEN its output with an array
// spliced into the entries. A failed child keeps its NONE record whatever
// the Transformation. ok holds the successful children's entries, bad the
// failed ones', all both in item order.
func (th *thread) resultEntries(st *state, run *mapRun, items, results []any, failed []*stateError, entered time.Time) (ok, bad, all []any) {
	start, stop := formatTime(entered), formatTime(th.x.e.now())
	transformation := st.dist.writer.transform()
	ok, bad, all = []any{}, []any{}, []any{}
	for i := range items {
		if failed[i] != nil || transformation == "NONE" {
			rec := th.childRecord(run, i, items[i], results[i], failed[i], start, stop)
			if failed[i] != nil {
				bad = append(bad, rec)
			} else {
				ok = append(ok, rec)
			}
			all = append(all, rec)
			continue
		}
		if a, isArray := results[i].([]any); isArray && transformation == "FLATTEN" {
			ok = append(ok, a...)
			all = append(all, a...)
			continue
		}
		ok = append(ok, results[i])
		all = append(all, results[i])
	}
	return ok, bad, all
}

// childRecord describes child execution i as AWS's NONE layout does, with
// its input and output (or error and cause) as JSON text.
func (th *thread) childRecord(run *mapRun, i int, item, result any, se *stateError, start, stop string) *expr.Object {
	name := uuid.NewSHA1(uuid.NameSpaceURL, []byte(run.arn+"#"+strconv.Itoa(i))).String()
	ms := []expr.Member{
		{Key: "ExecutionArn", Value: run.childPrefix + name},
		{Key: "Input", Value: string(mustEncode(item))},
		{Key: "InputDetails", Value: expr.NewObject([]expr.Member{{Key: "Included", Value: true}})},
		{Key: "Name", Value: name},
	}
	status := "SUCCEEDED"
	if se != nil {
		status = "FAILED"
		ms = append(ms, expr.Member{Key: "Error", Value: se.Name}, expr.Member{Key: "Cause", Value: se.Cause})
	} else {
		ms = append(ms, expr.Member{Key: "Output", Value: string(mustEncode(result))},
			expr.Member{Key: "OutputDetails", Value: expr.NewObject([]expr.Member{{Key: "Included", Value: true}})})
	}
	ms = append(ms,
		expr.Member{Key: "RedriveCount", Value: json.Number("0")},
		expr.Member{Key: "StartDate", Value: start},
		expr.Member{Key: "StateMachineArn", Value: th.x.sm.info.Arn},
		expr.Member{Key: "Status", Value: status},
		expr.Member{Key: "StopDate", Value: stop})
	return expr.NewObject(ms)
}

// transform is the Transformation in effect: as written, else NONE when
// the results go to S3 and COMPACT (the Map's plain output) when not.
func (w *resultWriter) transform() string {
	switch {
	case w.transformation != "":
		return w.transformation
	case w.toS3:
		return "NONE"
	}
	return "COMPACT"
}

// output is the OutputType in effect, JSON when absent.
func (w *resultWriter) output() string {
	if w.outputType == "" {
		return "JSON"
	}
	return w.outputType
}

// encode lays entries out as OutputType says: one JSON array, or one JSON
// value per line, each line ending in a newline (JSON Lines).
func (w *resultWriter) encode(entries []any) []byte {
	if w.output() != "JSONL" {
		return mustEncode(entries)
	}
	var b []byte
	for _, e := range entries {
		b = append(b, mustEncode(e)...)
		b = append(b, '\n')
	}
	return b
}
