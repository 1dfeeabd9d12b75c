package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// state parses one state; links collects its transitions for resolution.
func (p *parser) state(name, loc string, raw json.RawMessage, links *[]link) *state {
	o := p.object(loc, raw)
	if o == nil {
		return nil
	}
	st := &state{name: name}
	typ, ok := o.requiredStr("Type")
	if !ok {
		return nil
	}
	kind := -1
	for i, n := range kindNames {
		if n == typ {
			kind = i
		}
	}
	if kind < 0 {
		p.addf(o.at("Type"), "unknown state type %q", typ)
		return nil
	}
	st.kind = stateKind(kind)
	o.str("Comment")
	if p.stateIsJSONata(o) {
		return p.jsonataState(o, st, links)
	}

	if st.kind != kindFail {
		st.inputPath, st.inputNull = p.path(o, "InputPath", false)
		st.outputPath, st.outputNull = p.path(o, "OutputPath", false)
	}
	if st.kind != kindSucceed && st.kind != kindFail {
		st.assign = p.assignTemplate(o, st)
	}
	switch st.kind {
	case kindPass:
		st.parameters = p.template(o, "Parameters", st)
		st.resultPath, st.resultNull = p.path(o, "ResultPath", true)
		if raw, ok := o.raw("Result"); ok {
			v, err := expr.Decode(raw)
			if err != nil {
				p.addf(o.at("Result"), "%v", err)
			}
			st.result, st.hasResult = v, true
		}
	case kindTask:
		p.task(o, st)
	case kindChoice:
		p.choices(o, st, links)
	case kindWait:
		p.wait(o, st)
	case kindSucceed:
	case kindFail:
		p.fail(o, st)
	case kindParallel:
		st.parameters = p.template(o, "Parameters", st)
		st.resultSelector = p.template(o, "ResultSelector", st)
		st.resultPath, st.resultNull = p.path(o, "ResultPath", true)
		p.branches(o, st)
	case kindMap:
		p.mapState(o, st)
	}
	if st.kind == kindTask || st.kind == kindParallel || st.kind == kindMap {
		p.retriers(o, st)
		p.catchers(o, st, links)
	}
	if st.kind != kindChoice && st.kind != kindSucceed && st.kind != kindFail {
		p.transition(o, st, links)
	}
	o.done()
	return st
}

// transition reads Next/End: exactly one of them.
func (p *parser) transition(o *object, st *state, links *[]link) {
	next, hasNext := o.str("Next")
	end, hasEnd := o.boolean("End")
	switch {
	case hasNext && hasEnd && end:
		p.addf(o.loc, "End and Next must not be used together")
	case hasNext:
		*links = append(*links, link{loc: o.at("Next"), target: next, set: func(t *state) { st.next = t }})
	case hasEnd && end:
		st.end = true
	case !o.has("Next"):
		p.addf(o.loc, "state needs Next or \"End\": true")
	}
}

// path compiles a path field; JSON null is reported as null=true.
func (p *parser) path(o *object, key string, reference bool) (*expr.Path, bool) {
	raw, ok := o.raw(key)
	if !ok {
		return nil, false
	}
	if isNull(raw) {
		return nil, true
	}
	s, ok := o.str(key)
	if !ok {
		return nil, false
	}
	path := p.compilePath(o.at(key), s, reference)
	if path != nil && path.Variable() != "" && (key == "ResultPath" || key == "OutputPath") {
		p.addf(o.at(key), "%s cannot reference a variable ($%s)", key, path.Variable())
		return nil, false
	}
	return path, false
}

func (p *parser) compilePath(loc, s string, reference bool) *expr.Path {
	var (
		path *expr.Path
		err  error
	)
	if reference {
		path, err = expr.CompileReferencePath(s)
	} else {
		path, err = expr.CompilePath(s)
	}
	if err != nil {
		p.addf(loc, "invalid path %q: %v", s, err)
		return nil
	}
	return path
}

// referencePath reads a required-if-present reference path (no null).
func (p *parser) referencePath(o *object, key string) *expr.Path {
	s, ok := o.str(key)
	if !ok {
		return nil
	}
	return p.compilePath(o.at(key), s, true)
}

func (p *parser) template(o *object, key string, st *state) *expr.Template {
	raw, ok := o.raw(key)
	if !ok {
		return nil
	}
	v, err := expr.Decode(raw)
	if err != nil {
		p.addf(o.at(key), "%v", err)
		return nil
	}
	if _, isObj := v.(*expr.Object); !isObj {
		p.addf(o.at(key), "must be a JSON object")
		return nil
	}
	t, err := expr.CompileTemplate(v)
	if err != nil {
		p.addf(o.at(key), "%v", err)
		return nil
	}
	if bytes.Contains(raw, []byte("$$")) {
		st.usesContext = true
	}
	return t
}

func (p *parser) task(o *object, st *state) {
	if res, ok := o.requiredStr("Resource"); ok {
		st.resource = res
		if err := classifyResource(st, res); err != "" {
			p.addf(o.at("Resource"), "%s", err)
		}
	}
	o.raw("Credentials") // accepted; credentials do not apply locally
	st.parameters = p.template(o, "Parameters", st)
	st.resultSelector = p.template(o, "ResultSelector", st)
	st.resultPath, st.resultNull = p.path(o, "ResultPath", true)
	if n, ok := o.integer("TimeoutSeconds"); ok {
		if n < 1 {
			p.addf(o.at("TimeoutSeconds"), "must be a positive integer")
		}
		st.timeoutSeconds = n
	}
	if o.has("TimeoutSecondsPath") {
		st.timeoutPath = p.referencePath(o, "TimeoutSecondsPath")
		if o.has("TimeoutSeconds") {
			p.addf(o.loc, "TimeoutSeconds and TimeoutSecondsPath must not be used together")
		}
	}
	if n, ok := o.integer("HeartbeatSeconds"); ok {
		if n < 1 {
			p.addf(o.at("HeartbeatSeconds"), "must be a positive integer")
		}
		st.heartbeatSeconds = n
		if st.timeoutSeconds > 0 && n >= st.timeoutSeconds {
			p.addf(o.at("HeartbeatSeconds"), "must be smaller than TimeoutSeconds")
		}
	}
	if o.has("HeartbeatSecondsPath") {
		st.heartbeatPath = p.referencePath(o, "HeartbeatSecondsPath")
		if o.has("HeartbeatSeconds") {
			p.addf(o.loc, "HeartbeatSeconds and HeartbeatSecondsPath must not be used together")
		}
	}
}

// classifyResource decides how a Task's Resource runs; it returns a
// problem, or "".
func classifyResource(st *state, res string) string {
	parts := strings.SplitN(res, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return fmt.Sprintf("%q is not an ARN (arn:partition:service:region:account:resource)", res)
	}
	service, region, account, rest := parts[2], parts[3], parts[4], parts[5]
	st.resType, st.resName = service, rest
	if service == "states" && region == "" && account == "" {
		// an optimised integration: arn:aws:states:::lambda:invoke → lambda / invoke
		st.resType, st.resName, _ = strings.Cut(rest, ":")
	}
	switch {
	case service == "states" && region == "" && account == "" && rest == "lambda:invoke":
		st.resKind = resLambdaInvoke
	case service == "states" && region == "" && account == "" && rest == "lambda:invoke.waitForTaskToken":
		st.resKind = resLambdaToken
	case service == "states" && region == "" && account == "":
		if problem := checkIntegration(res, rest); problem != "" {
			return problem
		}
		st.resKind = resOther
	case service == "lambda":
		name, ok := strings.CutPrefix(rest, "function:")
		if !ok || name == "" {
			return fmt.Sprintf("%q is not a Lambda function ARN", res)
		}
		st.resKind = resLambdaARN
		st.functionName, _, _ = strings.Cut(name, ":")
	default:
		st.resKind = resOther
	}
	return ""
}

// waitsForToken reports whether the state pauses for a task token.
func (st *state) waitsForToken() bool {
	return st.resKind == resLambdaToken || strings.HasSuffix(st.resource, ".waitForTaskToken")
}

func (p *parser) choices(o *object, st *state, links *[]link) {
	items, ok := o.array("Choices")
	switch {
	case !o.has("Choices"):
		p.addf(o.at("Choices"), "required field is missing")
	case ok && len(items) == 0:
		p.addf(o.at("Choices"), "must not be empty")
	}
	st.choices = make([]choice, len(items))
	for i, raw := range items {
		loc := fmt.Sprintf("%s[%d]", o.at("Choices"), i)
		if bytes.Contains(raw, []byte("$$")) {
			st.usesContext = true
		}
		var top struct {
			Next *string `json:"Next"`
		}
		if err := json.Unmarshal(raw, &top); err != nil {
			p.addf(loc, "must be a JSON object with Next")
			continue
		}
		if top.Next == nil {
			p.addf(loc+".Next", "required field is missing")
		} else {
			c := &st.choices[i]
			*links = append(*links, link{loc: loc + ".Next", target: *top.Next, set: func(t *state) { c.next = t }})
		}
		rule, err := expr.CompileChoiceRule(raw)
		if err != nil {
			p.addf(loc, "%v", err)
			continue
		}
		st.choices[i].rule = rule
		if ro := p.object(loc, raw); ro != nil {
			st.choices[i].assign = p.assignTemplate(ro, st)
		}
	}
	if def, ok := o.str("Default"); ok {
		*links = append(*links, link{loc: o.at("Default"), target: def, set: func(t *state) { st.defaultNext = t }})
	}
}

func (p *parser) wait(o *object, st *state) {
	n := 0
	if s, ok := o.integer("Seconds"); ok {
		n++
		if s < 0 {
			p.addf(o.at("Seconds"), "must not be negative")
		}
		st.waitSeconds, st.hasSeconds = s, true
	}
	if ts, ok := o.str("Timestamp"); ok {
		n++
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			p.addf(o.at("Timestamp"), "must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z")
		}
		st.waitTimestamp, st.hasTimestamp = t, true
	}
	if o.has("SecondsPath") {
		n++
		st.secondsPath = p.referencePath(o, "SecondsPath")
	}
	if o.has("TimestampPath") {
		n++
		st.timestampPath = p.referencePath(o, "TimestampPath")
	}
	if n != 1 {
		p.addf(o.loc, "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath")
	}
}

func (p *parser) fail(o *object, st *state) {
	st.errName, _ = o.str("Error")
	st.cause, _ = o.str("Cause")
	st.errorExpr = p.valueExpr(o, "ErrorPath", st)
	st.causeExpr = p.valueExpr(o, "CausePath", st)
	if o.has("Error") && o.has("ErrorPath") {
		p.addf(o.loc, "Error and ErrorPath must not be used together")
	}
	if o.has("Cause") && o.has("CausePath") {
		p.addf(o.loc, "Cause and CausePath must not be used together")
	}
}

// valueExpr reads a field holding a reference path or an intrinsic.
func (p *parser) valueExpr(o *object, key string, st *state) *valueExpr {
	s, ok := o.str(key)
	if !ok {
		return nil
	}
	if strings.Contains(s, "$$") {
		st.usesContext = true
	}
	if expr.IsIntrinsic(s) {
		f, err := expr.CompileIntrinsic(s)
		if err != nil {
			p.addf(o.at(key), "%v", err)
			return nil
		}
		return &valueExpr{intrinsic: f}
	}
	path := p.compilePath(o.at(key), s, true)
	if path == nil {
		return nil
	}
	return &valueExpr{path: path}
}

func (p *parser) branches(o *object, st *state) {
	items, ok := o.array("Branches")
	switch {
	case !o.has("Branches"):
		p.addf(o.at("Branches"), "required field is missing")
	case ok && len(items) == 0:
		p.addf(o.at("Branches"), "must not be empty")
	}
	for i, raw := range items {
		bo := p.object(fmt.Sprintf("%s[%d]", o.at("Branches"), i), raw)
		if bo == nil {
			continue
		}
		bo.str("Comment")
		st.branches = append(st.branches, p.machine(bo, bo.loc))
		bo.done()
	}
}

func (p *parser) mapState(o *object, st *state) {
	st.itemsPath = nil
	if o.has("ItemsPath") {
		st.itemsPath = p.referencePath(o, "ItemsPath")
	}
	switch {
	case o.has("ItemSelector") && o.has("Parameters"):
		p.addf(o.loc, "ItemSelector and Parameters must not be used together")
	case o.has("ItemSelector"):
		st.itemSelector = p.template(o, "ItemSelector", st)
	default:
		st.itemSelector = p.template(o, "Parameters", st)
	}
	st.resultSelector = p.template(o, "ResultSelector", st)
	st.resultPath, st.resultNull = p.path(o, "ResultPath", true)
	if n, ok := o.integer("MaxConcurrency"); ok {
		if n < 0 {
			p.addf(o.at("MaxConcurrency"), "must not be negative")
		}
		st.maxConcurrency = n
	}
	if o.has("MaxConcurrencyPath") {
		st.maxConcurrencyPath = p.referencePath(o, "MaxConcurrencyPath")
		if o.has("MaxConcurrency") {
			p.addf(o.loc, "MaxConcurrency and MaxConcurrencyPath must not be used together")
		}
	}
	if n, ok := o.integer("ToleratedFailureCount"); ok {
		if n < 0 {
			p.addf(o.at("ToleratedFailureCount"), "must not be negative")
		}
		st.toleratedCount, st.hasToleratedCount = n, true
	}
	if f, ok := o.float("ToleratedFailurePercentage"); ok {
		if f < 0 || f > 100 {
			p.addf(o.at("ToleratedFailurePercentage"), "must be between 0 and 100")
		}
		st.toleratedPercent, st.hasToleratedPct = f, true
	}
	switch {
	case o.has("ItemProcessor") && o.has("Iterator"):
		o.raw("Iterator")
		p.addf(o.loc, "ItemProcessor and Iterator must not be used together")
		p.processor(o, st, "ItemProcessor")
	case o.has("ItemProcessor"):
		p.processor(o, st, "ItemProcessor")
	case o.has("Iterator"):
		p.processor(o, st, "Iterator")
	default:
		p.addf(o.at("ItemProcessor"), "required field is missing")
	}
	if label, ok := o.str("Label"); ok && st.dist != nil {
		st.dist.label = label
	}
	p.distributedFields(o, st)
}

func (p *parser) processor(o *object, st *state, key string) {
	raw, _ := o.raw(key)
	po := p.object(o.at(key), raw)
	if po == nil {
		return
	}
	po.str("Comment")
	// ProcessorConfig is accepted in the legacy Iterator too, as AWS does.
	if craw, ok := po.raw("ProcessorConfig"); ok {
		if co := p.object(po.at("ProcessorConfig"), craw); co != nil {
			mode, _ := co.str("Mode")
			et, hasET := co.str("ExecutionType")
			switch mode {
			case "", "INLINE":
			case "DISTRIBUTED":
				st.dist = &distMap{executionType: et}
				if !hasET {
					p.addf(co.at("ExecutionType"), "required with Mode DISTRIBUTED (STANDARD or EXPRESS)")
				}
			default:
				p.addf(co.at("Mode"), "must be INLINE or DISTRIBUTED, got %q", mode)
			}
			if hasET && et != "STANDARD" && et != "EXPRESS" {
				p.addf(co.at("ExecutionType"), "must be STANDARD or EXPRESS")
			}
			co.done()
		}
	}
	st.processor = p.machine(po, po.loc)
	po.done()
}

func (p *parser) retriers(o *object, st *state) {
	items, _ := o.array("Retry")
	for i, raw := range items {
		ro := p.object(fmt.Sprintf("%s[%d]", o.at("Retry"), i), raw)
		if ro == nil {
			continue
		}
		r := &retrier{intervalSeconds: 1, maxAttempts: 3, backoffRate: 2.0}
		ro.str("Comment")
		r.errorEquals = p.errorEquals(ro, i == len(items)-1)
		if n, ok := ro.integer("IntervalSeconds"); ok {
			if n < 1 {
				p.addf(ro.at("IntervalSeconds"), "must be a positive integer")
			}
			r.intervalSeconds = n
		}
		if n, ok := ro.integer("MaxAttempts"); ok {
			if n < 0 {
				p.addf(ro.at("MaxAttempts"), "must not be negative")
			}
			r.maxAttempts = n
		}
		if f, ok := ro.float("BackoffRate"); ok {
			if f < 1 {
				p.addf(ro.at("BackoffRate"), "must be at least 1.0")
			}
			r.backoffRate = f
		}
		if n, ok := ro.integer("MaxDelaySeconds"); ok {
			if n < 1 {
				p.addf(ro.at("MaxDelaySeconds"), "must be a positive integer")
			}
			r.maxDelaySeconds = n
		}
		if js, ok := ro.str("JitterStrategy"); ok {
			switch js {
			case "FULL":
				r.jitterFull = true
			case "NONE":
			default:
				p.addf(ro.at("JitterStrategy"), "must be FULL or NONE, got %q", js)
			}
		}
		ro.done()
		st.retry = append(st.retry, r)
	}
}

func (p *parser) catchers(o *object, st *state, links *[]link) {
	items, _ := o.array("Catch")
	st.catch = make([]*catcher, 0, len(items))
	for i, raw := range items {
		co := p.object(fmt.Sprintf("%s[%d]", o.at("Catch"), i), raw)
		if co == nil {
			continue
		}
		c := &catcher{}
		co.str("Comment")
		c.errorEquals = p.errorEquals(co, i == len(items)-1)
		if next, ok := co.requiredStr("Next"); ok {
			*links = append(*links, link{loc: co.at("Next"), target: next, set: func(t *state) { c.next = t }})
		}
		c.resultPath, c.resultNull = p.path(co, "ResultPath", true)
		c.assign = p.assignTemplate(co, st)
		co.done()
		st.catch = append(st.catch, c)
	}
}

// errorEquals reads a non-empty ErrorEquals; States.ALL must be alone and
// in the last retrier or catcher.
func (p *parser) errorEquals(o *object, last bool) []string {
	if !o.has("ErrorEquals") {
		p.addf(o.at("ErrorEquals"), "required field is missing")
		return nil
	}
	names, ok := o.stringList("ErrorEquals")
	if ok && len(names) == 0 {
		p.addf(o.at("ErrorEquals"), "must not be empty")
	}
	for _, n := range names {
		if n != ErrAll {
			continue
		}
		if len(names) > 1 {
			p.addf(o.at("ErrorEquals"), "States.ALL must appear alone")
		}
		if !last {
			p.addf(o.at("ErrorEquals"), "States.ALL must be in the last entry")
		}
	}
	return names
}
