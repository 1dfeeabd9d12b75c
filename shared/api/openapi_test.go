package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/kaiban/kaiban/shared/api"
)

// The published document (shared/api/openapi.json, served at
// GET /openapi.json) is held to the router both ways, and the answers
// of the service to its schemas.

// oaDoc is the part of an OpenAPI document these tests read.
type oaDoc struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Parameters map[string]oaParam         `json:"parameters"`
		Responses  map[string]json.RawMessage `json:"responses"`
		Schemas    map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

type oaParam struct {
	Ref  string `json:"$ref"`
	Name string `json:"name"`
	In   string `json:"in"`
}

type oaOperation struct {
	Parameters  []oaParam                  `json:"parameters"`
	RequestBody json.RawMessage            `json:"requestBody"`
	Responses   map[string]json.RawMessage `json:"responses"`
	Security    []map[string][]string      `json:"security"`
}

var oaMethods = []string{"get", "put", "post", "delete", "patch", "head", "options"}

func loadDoc(t *testing.T) oaDoc {
	t.Helper()
	var d oaDoc
	if err := json.Unmarshal(api.OpenAPIDocument(), &d); err != nil {
		t.Fatalf("shared/api/openapi.json: %v", err)
	}
	return d
}

// docPath is a route pattern as an OpenAPI path: the router's final
// "{name...}" (the rest of the path) is "{name}" there.
func docPath(pattern string) string { return strings.ReplaceAll(pattern, "...}", "}") }

var templateParam = regexp.MustCompile(`\{([^}]+)\}`)

// param resolves a parameter's $ref.
func (d oaDoc) param(p oaParam) oaParam {
	if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
		return d.Components.Parameters[name]
	}
	return p
}

func (d oaDoc) operation(t *testing.T, path, method string) (oaOperation, []oaParam) {
	t.Helper()
	var op oaOperation
	if err := json.Unmarshal(d.Paths[path][method], &op); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	var shared struct {
		Parameters []oaParam `json:"parameters"`
	}
	if raw, ok := d.Paths[path]["parameters"]; ok {
		if err := json.Unmarshal(raw, &shared.Parameters); err != nil {
			t.Fatalf("%s parameters: %v", path, err)
		}
	}
	var params []oaParam
	for _, p := range append(shared.Parameters, op.Parameters...) {
		params = append(params, d.param(p))
	}
	return op, params
}

// TestOpenAPICoversRoutes: every route of the router is documented under
// the same method and path, with its path parameters named as the router
// names them; and the document names no route the router lacks.
func TestOpenAPICoversRoutes(t *testing.T) {
	d := loadDoc(t)
	srv := newEnv(t).srv
	routed := map[string]bool{}
	for _, key := range api.RouteKeys(srv) {
		method, pattern, _ := strings.Cut(key, " ")
		path := docPath(pattern)
		m := strings.ToLower(method)
		routed[m+" "+path] = true
		if _, ok := d.Paths[path][m]; !ok {
			t.Errorf("route %s %s is not in shared/api/openapi.json: add paths[%q].%s (copy a neighbour's operation: operationId, responses, security)", method, pattern, path, m)
			continue
		}
		_, params := d.operation(t, path, m)
		var declared []string
		for _, p := range params {
			if p.In == "path" {
				declared = append(declared, p.Name)
			}
		}
		var want []string
		for _, sm := range templateParam.FindAllStringSubmatch(path, -1) {
			want = append(want, sm[1])
		}
		sort.Strings(declared)
		sort.Strings(want)
		if !slices.Equal(declared, want) {
			t.Errorf("%s %s: the document declares path parameters %v, the route has %v", method, pattern, declared, want)
		}
	}
	for path, item := range d.Paths {
		for m := range item {
			if slices.Contains(oaMethods, m) && !routed[m+" "+path] {
				t.Errorf("shared/api/openapi.json documents %s %s, which the router does not have", strings.ToUpper(m), path)
			}
		}
	}
}

// TestOpenAPIErrorCodes: the document lists every stable error name of
// shared/kaiban (clients switch on them) and the router's own.
func TestOpenAPIErrorCodes(t *testing.T) {
	var codes struct {
		Enum []string `json:"enum"`
	}
	if err := json.Unmarshal(loadDoc(t).Components.Schemas["ErrorCode"], &codes); err != nil {
		t.Fatal(err)
	}
	names := []string{api.CodeMethodNotAllowed}
	files, _ := filepath.Glob("../kaiban/*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range af.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if !strings.HasPrefix(id.Name, "Err") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						names = append(names, s)
					}
				}
			}
		}
	}
	if len(names) < 20 {
		t.Fatalf("found only %d error names in shared/kaiban: %v", len(names), names)
	}
	for _, n := range names {
		if !slices.Contains(codes.Enum, n) {
			t.Errorf("error name %q is missing from components.schemas.ErrorCode.enum of shared/api/openapi.json", n)
		}
	}
}

// docChecker validates answers against the document's schemas.
type docChecker struct {
	d     oaDoc
	c     *jsonschema.Compiler
	codes map[string]bool // ErrorCode ∪ ValidationCode
}

func newDocChecker(t *testing.T) *docChecker {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPIDocument()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	dc := &docChecker{d: loadDoc(t), c: c, codes: map[string]bool{}}
	for _, name := range []string{"ErrorCode", "ValidationCode"} {
		var s struct {
			Enum []string `json:"enum"`
		}
		if err := json.Unmarshal(dc.d.Components.Schemas[name], &s); err != nil {
			t.Fatal(err)
		}
		for _, c := range s.Enum {
			dc.codes[c] = true
		}
	}
	return dc
}

func pointer(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString("/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(p))
	}
	return b.String()
}

// check fails unless the answer of the documented operation has a
// documented status and a body its schema accepts, with error codes the
// document lists.
func (dc *docChecker) check(t *testing.T, path, method string, resp events.APIGatewayV2HTTPResponse) {
	t.Helper()
	what := fmt.Sprintf("%s %s → %d", strings.ToUpper(method), path, resp.StatusCode)
	op, _ := dc.d.operation(t, path, method)
	status := strconv.Itoa(resp.StatusCode)
	raw, ok := op.Responses[status]
	if !ok {
		t.Errorf("%s: status %s is not documented for the operation (body %.300s)", what, status, resp.Body)
		return
	}
	loc := pointer("paths", path, method, "responses", status)
	var ref struct {
		Ref     string                     `json:"$ref"`
		Content map[string]json.RawMessage `json:"content"`
	}
	_ = json.Unmarshal(raw, &ref)
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/responses/"); ok {
		loc = pointer("components", "responses", name)
		_ = json.Unmarshal(dc.d.Components.Responses[name], &ref)
	}
	if _, ok := ref.Content["application/json"]; !ok || method == "head" {
		return
	}
	sch, err := dc.c.Compile("openapi.json#" + loc + pointer("content", "application/json", "schema"))
	if err != nil {
		t.Fatalf("%s: compiling its schema: %v", what, err)
	}
	body, err := jsonschema.UnmarshalJSON(strings.NewReader(resp.Body))
	if err != nil {
		t.Errorf("%s: body is not JSON: %v: %.300s", what, err, resp.Body)
		return
	}
	if err := sch.Validate(body); err != nil {
		t.Errorf("%s: the body does not match the documented schema: %v\nbody: %.1000s", what, err, resp.Body)
	}
	if resp.StatusCode >= 400 {
		var e struct {
			Errors []struct {
				Code string `json:"code"`
			} `json:"errors"`
		}
		_ = json.Unmarshal([]byte(resp.Body), &e)
		for _, fe := range e.Errors {
			if !dc.codes[fe.Code] {
				t.Errorf("%s: error code %q is in neither ErrorCode nor ValidationCode of the document", what, fe.Code)
			}
		}
	}
}

// routedTo is the route the request log names for the last request
// (the router adds it to the log once it has matched), or "".
func (e *env) routedTo(t *testing.T, before int) string {
	t.Helper()
	var last string
	for _, line := range strings.Split(e.logs.String()[before:], "\n") {
		var l struct {
			Msg   string `json:"msg"`
			Route string `json:"route"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "request" {
			last = l.Route
		}
	}
	return last
}

// TestOpenAPIDocumentedRoutesAnswer drives every documented operation
// through the server's handler with a minimal request (path parameters
// "x", an empty JSON object as body, a token where one is required):
// each must reach the route the document names (not the router's "no
// such route" or 405), answer a status the operation documents and a
// body its schema accepts.
func TestOpenAPIDocumentedRoutesAnswer(t *testing.T) {
	e := newNamesEnv(t)
	dc := newDocChecker(t)
	var paths []string
	for p := range dc.d.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		for _, m := range oaMethods {
			if _, ok := dc.d.Paths[path][m]; !ok {
				continue
			}
			op, params := dc.d.operation(t, path, m)
			r := req{method: strings.ToUpper(m), path: templateParam.ReplaceAllString(path, "x"), query: map[string]string{}, headers: map[string]string{}}
			for _, p := range params {
				if p.In == "query" && p.Name == "city" {
					r.query["city"] = "2101"
				}
			}
			if op.RequestBody != nil {
				r.headers["Content-Type"], r.body = "application/json", "{}"
			}
			for _, s := range op.Security {
				if _, ok := s["clerkJwt"]; ok {
					r.claims = clerkClaims("openapi")
				} else {
					r.headers["Authorization"] = "Bearer x"
				}
			}
			before := len(e.logs.String())
			resp := e.do(t, r)
			route := e.routedTo(t, before)
			if route == "" || docPath(route[strings.Index(route, " ")+1:]) != path || !strings.EqualFold(route[:strings.Index(route, " ")], m) {
				t.Errorf("documented %s %s was routed to %q (status %d %.200s)", strings.ToUpper(m), path, route, resp.StatusCode, resp.Body)
				continue
			}
			dc.check(t, path, m, resp)
		}
	}
}

// TestOpenAPIKeyAnswers checks the answers of a filing followed to its
// status, and of the lists around it, against the document's schemas.
func TestOpenAPIKeyAnswers(t *testing.T) {
	e := newNamesEnv(t)
	dc := newDocChecker(t)
	do := func(path, method string, r req) events.APIGatewayV2HTTPResponse {
		t.Helper()
		r.method = strings.ToUpper(method)
		resp := e.do(t, r)
		dc.check(t, path, method, resp)
		return resp
	}
	form := string(validForm(t))
	if resp := do("/v1/applications/validate", "post", req{path: "/v1/applications/validate", headers: jsonHeaders(), body: form}); resp.StatusCode != 200 {
		t.Fatalf("validate: %d %s", resp.StatusCode, resp.Body)
	}
	bad := map[string]any{}
	_ = json.Unmarshal(validForm(t), &bad)
	bad["company"].(map[string]any)["address"].(map[string]any)["postalCode"] = "1100"
	badBody, _ := json.Marshal(bad)
	en := map[string]string{"Content-Type": "application/json", "Accept-Language": "en"}
	if resp := do("/v1/applications/validate", "post", req{path: "/v1/applications/validate", headers: en, body: string(badBody)}); resp.StatusCode != 400 {
		t.Fatalf("validate of a bad form: %d %s", resp.StatusCode, resp.Body)
	}
	sub := do("/v1/applications", "post", req{path: "/v1/applications", headers: map[string]string{"Content-Type": "application/json", "Idempotency-Key": "oa-1"}, body: form})
	if sub.StatusCode != 202 {
		t.Fatalf("submit: %d %s", sub.StatusCode, sub.Body)
	}
	var s submittedApp
	_ = json.Unmarshal([]byte(sub.Body), &s)
	status := do("/v1/applications/{id}", "get", req{path: "/v1/applications/" + url.PathEscape(s.ID), headers: map[string]string{"Authorization": "Bearer " + s.AccessToken}})
	if status.StatusCode != 200 {
		t.Fatalf("status: %d %s", status.StatusCode, status.Body)
	}
	clerk := clerkClaims("oa")
	do("/v1/clerk/tasks", "get", req{path: "/v1/clerk/tasks", claims: clerk})
	escalate(t, e, "oa-task")
	if resp := do("/v1/clerk/tasks", "get", req{path: "/v1/clerk/tasks", claims: clerk}); !strings.Contains(resp.Body, `"oa-task"`) {
		t.Fatalf("task list: %d %s", resp.StatusCode, resp.Body)
	}
	for _, step := range []struct{ op, body string }{{"claim", ""}, {"release", ""}, {"claim", ""}, {"resolve", `{"decision":"retry","note":"已电话确认"}`}} {
		r := req{path: "/v1/clerk/tasks/oa-task/" + step.op, claims: clerk}
		if step.body != "" {
			r.headers, r.body = jsonHeaders(), step.body
		}
		if resp := do("/v1/clerk/tasks/{id}/"+step.op, "post", r); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", step.op, resp.StatusCode, resp.Body)
		}
	}
	if resp := do("/v1/clerk/applications/{id}", "get", req{path: "/v1/clerk/applications/" + s.ID, claims: clerk}); resp.StatusCode != 200 {
		t.Fatalf("clerk application: %d %s", resp.StatusCode, resp.Body)
	}
	if resp := do("/v1/names/check", "post", req{path: "/v1/names/check", headers: jsonHeaders(), body: `{"name":"沈阳鑫源置业有限公司"}`}); resp.StatusCode != 200 {
		t.Fatalf("name check: %d %s", resp.StatusCode, resp.Body)
	}
	do("/v1/reference/regions", "get", req{path: "/v1/reference/regions"})
	do("/v1/reference/banks", "get", req{path: "/v1/reference/banks", query: map[string]string{"city": "2101"}})
	do("/v1/reference/engravers", "get", req{path: "/v1/reference/engravers", query: map[string]string{"city": "2101"}})
	draft := do("/v1/drafts", "post", req{path: "/v1/drafts", headers: jsonHeaders(), body: `{"company":{"name":"沈阳"}}`})
	var dr struct{ ID, Token string }
	_ = json.Unmarshal([]byte(draft.Body), &dr)
	if resp := do("/v1/drafts/{id}", "get", req{path: "/v1/drafts/" + dr.ID, headers: map[string]string{"Authorization": "Bearer " + dr.Token}}); resp.StatusCode != 200 {
		t.Fatalf("draft: %d %s", resp.StatusCode, resp.Body)
	}
	doc := do("/openapi.json", "get", req{path: "/openapi.json"})
	if doc.StatusCode != 200 || doc.Body != string(api.OpenAPIDocument()) || !strings.HasPrefix(doc.Headers["Content-Type"], "application/json") {
		t.Errorf("GET /openapi.json: %d %s, not the embedded document", doc.StatusCode, doc.Headers["Content-Type"])
	}
}

// TestOpenAPIFormExamples: the document's example form and the committed
// example forms match its Form schema, and a form without a required part
// does not.
func TestOpenAPIFormExamples(t *testing.T) {
	dc := newDocChecker(t)
	sch, err := dc.c.Compile("openapi.json#/components/schemas/Form")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Examples map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"examples"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	noBank := map[string]any{}
	_ = json.Unmarshal(validForm(t), &noBank)
	delete(noBank, "bank")
	missing, _ := json.Marshal(noBank)
	for _, c := range []struct {
		name string
		body []byte
		ok   bool
	}{
		{"components.examples.Form", doc.Components.Examples["Form"].Value, true},
		{"infra/examples/valid-llc.json", validForm(t), true},
		{"valid-llc.json without bank", missing, false},
	} {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := sch.Validate(v); (err == nil) != c.ok {
			t.Errorf("%s: Form schema accepts=%v, want %v (%v)", c.name, err == nil, c.ok, err)
		}
	}
}
