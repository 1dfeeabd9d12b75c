package sam

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/tracks"
	"github.com/kaiban/kaiban/workflow"
)

// Problem is one disagreement between the template, the definition, the
// Makefile, the catalog of steps and the code.
type Problem struct {
	Where string // a logical ID, a file or a step
	What  string
}

func (p Problem) String() string { return p.Where + ": " + p.What }

const (
	typeFunction     = "AWS::Serverless::Function"
	typeStateMachine = "AWS::Serverless::StateMachine"
	tableID          = "ApplicationsTable"
	// The documents' bucket (s3 actions are granted on its documents/
	// prefix only) and the platform's signing key (kms:Sign).
	documentsBucketID = "DocumentsBucket"
	documentsPrefix   = "${DocumentsBucket.Arn}/documents/*"
	signingKeyID      = "SigningKey"
)

// withoutResourceLevel lists the actions this template grants on Resource
// '*' because AWS offers no resource-level permission for them.
var withoutResourceLevel = map[string]bool{
	actionPutMetricData: true,
	// An SMS to a phone number has no resource (SNS scopes Publish to
	// topics only).
	actionPublish: true,
	// CloudWatch Logs vended-log delivery, for the state machine's logging.
	"logs:CreateLogDelivery": true, "logs:GetLogDelivery": true, "logs:UpdateLogDelivery": true,
	"logs:DeleteLogDelivery": true, "logs:ListLogDeliveries": true, "logs:PutResourcePolicy": true,
	"logs:DescribeResourcePolicies": true, "logs:DescribeLogGroups": true,
}

// The build every function must have.
var buildFlags = []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64", "-tags lambda.norpc", "-trimpath", "-ldflags='-s -w'", "-gcflags=all=-l", "-o $(ARTIFACTS_DIR)/bootstrap"}

var (
	placeholder  = regexp.MustCompile(`\$\{([^}]*)\}`)
	functionPath = regexp.MustCompile(`\./functions/([A-Za-z0-9_-]+)(\s|$)`)
)

// Check runs every cross-check and returns the problems found, sorted.
func (r *Repo) Check() []Problem {
	var ps problems
	t, err := ParseTemplate(r.Template)
	if err != nil {
		ps.add("template.yaml", "%v", err)
		return ps
	}
	runs := r.checkFunctions(t, &ps)
	r.checkStateMachine(t, runs, &ps)
	sort.Slice(ps, func(i, j int) bool { return ps[i].String() < ps[j].String() })
	return ps
}

type problems []Problem

func (ps *problems) add(where, format string, args ...any) {
	*ps = append(*ps, Problem{Where: where, What: fmt.Sprintf(format, args...)})
}

// checkFunctions holds every function to its Makefile target, to what it
// runs (functions/api, or the step bootstrap with the step KAIBAN_STEP
// names), to that step's fixture, its environment and the actions its code
// calls; it returns what each function runs.
func (r *Repo) checkFunctions(t *Template, ps *problems) map[string]string {
	mf := ParseMakefile(r.Makefile)
	runs := map[string]string{}
	deployed := map[string]string{}
	for _, id := range t.OfType(typeFunction) {
		if got := asString(t.FunctionProperty(id, "Runtime")); got != "provided.al2023" {
			ps.add(id, "Runtime is %q, want provided.al2023", got)
		}
		if got := asString(t.FunctionProperty(id, "Handler")); got != "bootstrap" {
			ps.add(id, "Handler is %q, want bootstrap", got)
		}
		if got := asList(t.FunctionProperty(id, "Architectures")); len(got) != 1 || got[0] != "arm64" {
			ps.add(id, "Architectures is %v, want [arm64]", got)
		}
		if got := asString(t.Resources[id].Metadata["BuildMethod"]); got != "makefile" {
			ps.add(id, "Metadata.BuildMethod is %q, want makefile", got)
		}
		recipe, ok := mf.Recipe("build-" + id)
		if !ok {
			ps.add(id, "the Makefile has no build-%s target for sam build", id)
			continue
		}
		for _, flag := range buildFlags {
			if !strings.Contains(recipe, flag) {
				ps.add(id, "build-%s does not build with %s", id, flag)
			}
		}
		m := functionPath.FindStringSubmatch(recipe)
		if m == nil {
			ps.add(id, "build-%s builds no ./functions/<name> package", id)
			continue
		}
		var what string
		switch step := asString(path(t.Resources[id].Properties, "Environment", "Variables", "KAIBAN_STEP")); m[1] {
		case APIFunction:
			what = APIFunction
		case tracks.BootstrapStep:
			st, ok := tracks.StepNamed(step)
			if !ok {
				ps.add(id, "builds the step bootstrap, but KAIBAN_STEP %q is not a step of tracks.Steps", step)
				continue
			}
			if !st.Own() {
				ps.add(id, "builds the step bootstrap, but step %s runs functions/%s", step, st.Program())
				continue
			}
			what = step
			r.checkEvent(step, ps)
		default:
			// A step with a bootstrap of its own (tracks.Step.Bootstrap).
			st, ok := stepOfBootstrap(m[1])
			if !ok {
				ps.add(id, "build-%s builds functions/%s, which is neither functions/api nor the bootstrap of a step", id, m[1])
				continue
			}
			if step != "" {
				ps.add(id, "sets KAIBAN_STEP, which functions/%s does not read", m[1])
			}
			what = st.Name
			r.checkEvent(st.Name, ps)
		}
		runs[id] = what
		if other, dup := deployed[what]; dup {
			ps.add(id, "runs %s, which %s runs too", what, other)
		}
		deployed[what] = id
		r.checkEnvironment(t, id, what, ps)
		r.checkPolicies(t, id, what, ps)
	}
	for _, st := range tracks.Steps {
		if _, ok := deployed[st.Name]; !ok {
			ps.add("step "+st.Name, "no AWS::Serverless::Function in template.yaml runs it (KAIBAN_STEP)")
		}
	}
	return runs
}

// stepOfBootstrap returns the step whose own bootstrap is
// functions/<program>.
func stepOfBootstrap(program string) (tracks.Step, bool) {
	for _, st := range tracks.Steps {
		if !st.Own() && st.Program() == program {
			return st, true
		}
	}
	return tracks.Step{}, false
}

func (r *Repo) checkEvent(step string, ps *problems) {
	ev, ok := r.Events[step]
	if !ok {
		ps.add("step "+step, "has no fixture infra/events/%s.json for sam local invoke -e", step)
		return
	}
	if !json.Valid(ev) {
		ps.add("infra/events/"+step+".json", "is not valid JSON")
	}
}

// checkEnvironment holds the template to the variables the code documents:
// a misspelt or stale variable is a setting nobody reads.
func (r *Repo) checkEnvironment(t *Template, id, what string, ps *problems) {
	documented := r.EnvDocs[what]
	got := t.EnvironmentNames(id)
	for _, name := range got {
		if !slices.Contains(documented, name) {
			ps.add(id, "sets %s, which %s does not read (it documents %v)", name, what, documented)
		}
	}
	if !slices.Contains(got, "TABLE_NAME") {
		ps.add(id, "does not set TABLE_NAME")
	}
}

// statement is one Allow statement of a function's or state machine's
// policies, with SAM policy templates expanded.
type statement struct {
	actions   []string
	resources []any
	condition any
	template  string // the SAM policy template it came from, if any
	args      any
}

// policyTemplates are the SAM policy templates a check can expand.
var policyTemplates = map[string][]string{
	"LambdaInvokePolicy":           {"lambda:InvokeFunction"},
	"CloudWatchPutMetricPolicy":    {actionPutMetricData},
	"StepFunctionsExecutionPolicy": {"states:StartExecution"},
	"DynamoDBReadPolicy":           {"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"},
	"DynamoDBCrudPolicy": {"dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query",
		"dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"},
}

func statements(where string, policies any, ps *problems) []statement {
	var out []statement
	for _, p := range asList(policies) {
		m, ok := p.(map[string]any)
		if !ok {
			ps.add(where, "policy %v is a managed policy or ARN, which this check cannot verify; use a Statement", p)
			continue
		}
		if stmts, ok := m["Statement"]; ok {
			for _, s := range asList(stmts) {
				sm := asMap(s)
				if asString(sm["Effect"]) != "Allow" {
					continue
				}
				var acts []string
				for _, a := range asList(sm["Action"]) {
					acts = append(acts, asString(a))
				}
				out = append(out, statement{actions: acts, resources: asList(sm["Resource"]), condition: sm["Condition"]})
			}
			continue
		}
		for name, args := range m {
			acts, ok := policyTemplates[name]
			if !ok {
				ps.add(where, "policy template %s is not one this check knows; use a Statement", name)
				continue
			}
			out = append(out, statement{actions: acts, template: name, args: args, resources: []any{args}})
		}
	}
	return out
}

// checkPolicies: a function is granted exactly what its code calls, each
// on the resource it concerns, and '*' only where AWS requires it.
func (r *Repo) checkPolicies(t *Template, id, what string, ps *problems) {
	need := r.Needs[what]
	granted := map[string]bool{}
	for _, s := range statements(id, t.Resources[id].Properties["Policies"], ps) {
		for _, a := range s.actions {
			granted[a] = true
			if strings.Contains(a, "*") {
				ps.add(id, "grants the wildcard action %s", a)
			} else if !need[a] {
				ps.add(id, "grants %s, which %s never calls", a, what)
			}
		}
		checkResources(id, s, ps)
	}
	for _, a := range sortedKeys(need) {
		if !granted[a] {
			ps.add(id, "%s calls %s, which is not granted", what, a)
		}
	}
}

func checkResources(where string, s statement, ps *problems) {
	star := false
	for _, res := range s.resources {
		if res == "*" {
			star = true
		}
	}
	if star {
		for _, a := range s.actions {
			if !withoutResourceLevel[a] {
				ps.add(where, "grants %s on Resource '*', but AWS scopes it to resources", a)
			}
		}
		if slices.Contains(s.actions, actionPutMetricData) {
			ns := path(s.condition, "StringEquals", "cloudwatch:namespace")
			if ns != kaiban.MetricNamespace {
				ps.add(where, "grants cloudwatch:PutMetricData without a StringEquals cloudwatch:namespace = %s condition", kaiban.MetricNamespace)
			}
		}
		return
	}
	var want string
	for _, a := range s.actions {
		switch service, _, _ := strings.Cut(a, ":"); service {
		case "dynamodb":
			want = tableID
		case "states":
			want = "OneStopStateMachine"
		case "s3":
			want = documentsBucketID
		case "kms":
			want = signingKeyID
		default:
			continue
		}
		refs := Refs(s.resources)
		if len(refs) == 0 || slices.ContainsFunc(refs, func(r string) bool { return r != want }) {
			ps.add(where, "grants %s on %v, want only %s", a, refs, want)
		}
		if want == documentsBucketID {
			for _, res := range s.resources {
				if sub := asString(asMap(res)["Fn::Sub"]); sub != documentsPrefix {
					ps.add(where, "grants %s on %v, want only the documents prefix %s", a, res, documentsPrefix)
				}
			}
		}
	}
}

// checkStateMachine: every ${…} of the definition has a substitution and
// every substitution is used; each names the function that runs the step
// workflow.Functions says; the state machine may invoke exactly those
// functions.
func (r *Repo) checkStateMachine(t *Template, runs map[string]string, ps *problems) {
	ids := t.OfType(typeStateMachine)
	if len(ids) != 1 {
		ps.add("template.yaml", "has %d state machines, want 1", len(ids))
		return
	}
	id := ids[0]
	props := t.Resources[id].Properties
	if asString(props["Type"]) != "STANDARD" {
		ps.add(id, "Type is %q, want STANDARD", props["Type"])
	}
	if v := path(props, "Logging", "IncludeExecutionData"); v != "false" {
		ps.add(id, "Logging.IncludeExecutionData is %v: execution data holds personal data, want false", v)
	}
	if v := path(props, "Tracing", "Enabled"); v != "true" {
		ps.add(id, "Tracing.Enabled is %v, want true", v)
	}
	used := map[string]bool{}
	for _, m := range placeholder.FindAllSubmatch(r.Definition, -1) {
		used[string(m[1])] = true
	}
	subs := asMap(props["DefinitionSubstitutions"])
	for name := range used {
		if _, ok := subs[name]; !ok {
			ps.add(id, "the definition uses ${%s}, which DefinitionSubstitutions does not fill", name)
		}
	}
	invoked := map[string]bool{}
	for name, v := range subs {
		if !used[name] {
			ps.add(id, "DefinitionSubstitutions.%s is not used by the definition", name)
		}
		refs := Refs(v)
		if len(refs) != 1 || t.Resources[refs[0]].Type != typeFunction {
			ps.add(id, "DefinitionSubstitutions.%s is not the ARN of one function of the template", name)
			continue
		}
		fn := refs[0]
		invoked[fn] = true
		if want, ok := workflow.Functions[name]; !ok {
			ps.add(id, "DefinitionSubstitutions.%s is not in workflow.Functions", name)
		} else if got := runs[fn]; got != want {
			ps.add(id, "DefinitionSubstitutions.%s is %s (running %s), but workflow.Functions maps it to step %s", name, fn, got, want)
		}
	}
	allowed := map[string]bool{}
	for _, s := range statements(id, props["Policies"], ps) {
		if s.template == "LambdaInvokePolicy" {
			for _, fn := range Refs(s.args) {
				allowed[fn] = true
				if !invoked[fn] {
					ps.add(id, "may invoke %s, which the definition never calls", fn)
				}
			}
			continue
		}
		for _, a := range s.actions {
			if !withoutResourceLevel[a] || strings.HasPrefix(a, "cloudwatch:") {
				ps.add(id, "grants %s: the state machine may only invoke its functions and deliver its logs", a)
			}
		}
		checkResources(id, s, ps)
	}
	for _, fn := range sortedKeys(invoked) {
		if !allowed[fn] {
			ps.add(id, "calls %s but has no LambdaInvokePolicy for it", fn)
		}
	}
}
