package sam

import (
	"reflect"
	"testing"
)

func TestParseTemplateKeepsReferences(t *testing.T) {
	tm, err := ParseTemplate([]byte(`
Globals:
  Function:
    Runtime: provided.al2023
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Arn: !GetAtt Table.Arn
      Sub: !Sub '${Table.Arn}/index/* in ${AWS::Region} for ${Topic}'
      If: !If [Cond, !Ref Queue, !Ref AWS::NoValue]
      Environment:
        Variables:
          STAGE: !Ref Stage
`))
	if err != nil {
		t.Fatal(err)
	}
	props := tm.Resources["Fn"].Properties
	cases := []struct {
		name string
		got  any
		want any
	}{
		{"GetAtt is split", props["Arn"], map[string]any{"Fn::GetAtt": []any{"Table", "Arn"}}},
		{"references of GetAtt", Refs(props["Arn"]), []string{"Table"}},
		{"references inside Sub, without pseudo parameters", Refs(props["Sub"]), []string{"Table", "Topic"}},
		{"references inside If", Refs(props["If"]), []string{"Queue"}},
		{"Globals apply", tm.FunctionProperty("Fn", "Runtime"), "provided.al2023"},
		{"environment merges Globals", tm.EnvironmentNames("Fn"), []string{"STAGE", "TABLE_NAME"}},
		{"functions by type", tm.OfType("AWS::Serverless::Function"), []string{"Fn"}},
	}
	for _, c := range cases {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if _, err := ParseTemplate([]byte("- a list\n")); err == nil {
		t.Error("a template that is not a mapping was accepted")
	}
}

func TestParseMakefileExpandsVariables(t *testing.T) {
	mf := ParseMakefile([]byte(`GO ?= go
FLAGS := -trimpath
BUILD = CGO_ENABLED=0 $(GO) build $(FLAGS) -o $(ARTIFACTS_DIR)/bootstrap

build-Fn:
	$(BUILD) ./functions/fn
	@true
build-%Function:
	$(BUILD) ./functions/step
build-Api%:
	$(BUILD) ./functions/api-any
build-ApiFunction:
	$(BUILD) ./functions/api
other: build-Fn
`))
	cases := []struct {
		target string
		want   string
		ok     bool
	}{
		{"build-Fn", "CGO_ENABLED=0 go build -trimpath -o $(ARTIFACTS_DIR)/bootstrap ./functions/fn\n@true", true},
		{"other", "", true},
		{"missing", "", false},
		// sam build asks for build-<LogicalId>: the pattern rule answers,
		// an explicit rule wins over it, the shortest stem among patterns.
		{"build-BankFunction", "CGO_ENABLED=0 go build -trimpath -o $(ARTIFACTS_DIR)/bootstrap ./functions/step", true},
		{"build-ApiFunction", "CGO_ENABLED=0 go build -trimpath -o $(ARTIFACTS_DIR)/bootstrap ./functions/api", true},
		{"build-ApiXFunction", "CGO_ENABLED=0 go build -trimpath -o $(ARTIFACTS_DIR)/bootstrap ./functions/step", true},
		{"build-Bank", "", false},
	}
	for _, c := range cases {
		got, ok := mf.Recipe(c.target)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %q, %v; want %q, %v", c.target, got, ok, c.want, c.ok)
		}
	}
}

func TestCallGraphFollowsMethodsAndClosures(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "svc.go", `package svc

type S struct{ store Store; metric Metric }

func (s *S) A() { s.helper(); s.store.Get() }
func (s *S) helper() { publish(s) }
func publish(s *S) {}
func (s *S) B() func() { return func() { s.metric.Publish(); s.store.Put() } }
func (s *S) C() { s.store.Delete() }
`)
	writeFile(t, dir, "svc_test.go", `package svc
func (s *S) D() { s.store.Scan() }
`)
	g, err := LoadCallGraph(dir)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		start string
		want  []string
	}{
		{"S.A", []string{"store.Get"}},
		{"S.B", []string{"metric.Publish", "store.Put"}},
		{"S.C", []string{"store.Delete"}},
	}
	for _, c := range cases {
		if got := g.Reachable(c.start); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s reaches %v, want %v", c.start, got, c.want)
		}
	}
	if g.Has("S.D") {
		t.Error("test files were read")
	}
	if got, want := g.AllExternal("store"), []string{"Delete", "Get", "Put"}; !reflect.DeepEqual(got, want) {
		t.Errorf("AllExternal(store) = %v, want %v", got, want)
	}
}

func TestDocumentedEnv(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "main.go", `// Command x does things.
//
// Environment:
//
//	TABLE_NAME   the table (required)
//	LOG_LEVEL    debug|info
//
// Other prose mentioning NOT_A_VAR later.
package main
`)
	got, err := documentedEnv(dir + "/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"TABLE_NAME", "LOG_LEVEL"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestGoBuildTagsReadsTheFunctionsBuild(t *testing.T) {
	mf := ParseMakefile([]byte(`GO ?= go
BUILD = CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -o $(ARTIFACTS_DIR)/bootstrap

build-Api:
	$(BUILD) ./functions/api
build-Quoted:
	$(GO) build -tags='lambda.norpc' -o x ./functions/quoted
build-Plain:
	$(GO) build -o x ./functions/plain
build-Sub:
	$(GO) build -tags lambda.norpc -o x ./functions/apiv2
test:
	$(GO) test -tags other ./functions/tested
`))
	cases := []struct {
		pkg  string
		want string
		ok   bool
	}{
		{"./functions/api", "lambda.norpc", true},
		{"./functions/quoted", "lambda.norpc", true},
		{"./functions/plain", "", true},
		{"./functions/tested", "", false}, // tested, never built
		{"./functions/missing", "", false},
	}
	for _, c := range cases {
		got, ok := mf.GoBuildTags(c.pkg)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %q, %v; want %q, %v", c.pkg, got, ok, c.want, c.ok)
		}
	}
}

// A handler that hands its store to a shared/kaiban helper reaches the
// store calls the helper makes: the graph records the helper as the
// external "kaiban.F", and the helper's graph records calls on its Store
// parameter as "store.M", through closures and further helpers.
func TestCallGraphFollowsTheStoreIntoHelpers(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "svc.go", `package svc

import "github.com/kaiban/kaiban/shared/kaiban"

type S struct{ store kaiban.Store }

func (s *S) A() { kaiban.MutateAudited(nil, s.store) }
`)
	kdir := t.TempDir()
	writeFile(t, kdir, "store.go", `package kaiban

type Store interface{ Get(); Update(); Append() }

func MutateAudited(ctx any, s Store) {
	if w, ok := s.(interface{ Both() }); ok {
		w.Both()
		return
	}
	mutate(s, func() { s.Update() })
	s.Append()
}

func mutate(st Store, write func()) { st.Get(); write() }

func unrelated(other any) { other.(Store).Get() }
`)
	g, err := LoadCallGraph(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.Reachable("S.A"), []string{"kaiban.MutateAudited"}; !reflect.DeepEqual(got, want) {
		t.Errorf("S.A reaches %v, want %v", got, want)
	}
	k, err := LoadCallGraph(kdir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := k.Reachable("MutateAudited"), []string{"store.Append", "store.Get", "store.Update"}; !reflect.DeepEqual(got, want) {
		t.Errorf("MutateAudited reaches %v, want %v", got, want)
	}
	if got := k.Reachable("unrelated"); len(got) != 0 {
		t.Errorf("a function without a Store parameter reaches %v", got)
	}
}
