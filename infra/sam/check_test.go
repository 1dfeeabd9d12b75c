package sam

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const repoRoot = "../.."

func mustLoad(tb testing.TB) *Repo {
	tb.Helper()
	r, err := LoadRepo(repoRoot)
	if err != nil {
		tb.Fatalf("LoadRepo: %v", err)
	}
	return r
}

// The repository as committed: template, definition, Makefile, fixtures
// and code agree.
func TestRepositoryAgrees(t *testing.T) {
	for _, p := range mustLoad(t).Check() {
		t.Errorf("%s", p)
	}
}

// Every check fails on a deliberately broken copy, naming what is wrong.
func TestBrokenCopiesAreCaught(t *testing.T) {
	replace := func(field func(*Repo) *[]byte, old, new string) func(*testing.T, *Repo) {
		return func(t *testing.T, r *Repo) {
			t.Helper()
			b := field(r)
			if !bytes.Contains(*b, []byte(old)) {
				t.Fatalf("the file no longer contains %q; update the test", old)
			}
			*b = bytes.Replace(*b, []byte(old), []byte(new), 1)
		}
	}
	tmpl := func(r *Repo) *[]byte { return &r.Template }
	def := func(r *Repo) *[]byte { return &r.Definition }
	mk := func(r *Repo) *[]byte { return &r.Makefile }
	cases := []struct {
		name   string
		break_ func(*testing.T, *Repo)
		want   string
	}{
		{"a substitution is missing", replace(tmpl, "        FinalizeFunctionArn: !GetAtt FinalizeFunction.Arn\n", ""),
			"the definition uses ${FinalizeFunctionArn}, which DefinitionSubstitutions does not fill"},
		{"a substitution is unused", replace(def, "${FinalizeFunctionArn}", "arn:aws:lambda:cn-north-1:000000000000:function:finalize"),
			"DefinitionSubstitutions.FinalizeFunctionArn is not used by the definition"},
		{"a substitution points at the wrong function", replace(tmpl, "SealFunctionArn: !GetAtt SealFunction.Arn", "SealFunctionArn: !GetAtt TaxFunction.Arn"),
			"DefinitionSubstitutions.SealFunctionArn is TaxFunction (running tax), but workflow.Functions maps it to step seal"},
		{"a function has no Makefile target", replace(mk, "build-%Function:", "build-%Functions:"),
			"BankFunction: the Makefile has no build-BankFunction target"},
		{"a target builds for the wrong architecture", replace(mk, "GOARCH=arm64", "GOARCH=amd64"),
			"build-ApiFunction does not build with GOARCH=arm64"},
		{"a step has no function", replace(tmpl, "KAIBAN_STEP: bank\n", "KAIBAN_STEP: tax\n"),
			"step bank: no AWS::Serverless::Function in template.yaml runs it"},
		{"two functions run one step", replace(tmpl, "KAIBAN_STEP: bank\n", "KAIBAN_STEP: tax\n"),
			"runs tax, which "},
		{"a function runs a step the catalog does not list", replace(tmpl, "KAIBAN_STEP: bank\n", "KAIBAN_STEP: notary\n"),
			`BankFunction: builds the step bootstrap, but KAIBAN_STEP "notary" is not a step of tracks.Steps`},
		{"a step has no fixture", func(t *testing.T, r *Repo) { delete(r.Events, "tax") },
			"step tax: has no fixture infra/events/tax.json"},
		{"a track function may call states", replace(tmpl, "            - Sid: Metrics\n              Effect: Allow\n              Action: cloudwatch:PutMetricData",
			"            - Sid: Metrics\n              Effect: Allow\n              Action: [cloudwatch:PutMetricData, states:StartExecution]"),
			"FinalizeFunction: grants states:StartExecution, which finalize never calls"},
		{"a function without metrics may publish them", func(t *testing.T, r *Repo) {
			fn := bytes.Index(r.Template, []byte("  IdentityFunction:\n"))
			pol := bytes.Index(r.Template[fn:], []byte("      Policies:\n"))
			if fn < 0 || pol < 0 {
				t.Fatal("IdentityFunction's Policies not found; update the test")
			}
			at := fn + pol + len("      Policies:\n")
			r.Template = append(r.Template[:at:at], append([]byte("        - CloudWatchPutMetricPolicy: {}\n"), r.Template[at:]...)...)
		},
			"IdentityFunction: grants cloudwatch:PutMetricData, which identity never calls"},
		{"a function may scan the table", replace(tmpl, "                - dynamodb:GetItem\n", "                - dynamodb:GetItem\n                - dynamodb:Scan\n"),
			"ApiFunction: grants dynamodb:Scan, which api never calls"},
		{"a function lacks an action its code calls", replace(tmpl, "            - Sid: AnswerClerkTasks\n              Effect: Allow\n              Action: states:SendTaskSuccess\n", "            - Sid: AnswerClerkTasks\n              Effect: Allow\n              Action: states:DescribeExecution\n"),
			"ApiFunction: api calls states:SendTaskSuccess, which is not granted"},
		{"the table actions are granted on '*'", replace(tmpl, "                - !GetAtt ApplicationsTable.Arn\n                - !Sub '${ApplicationsTable.Arn}/index/*'\n            - Sid: StartOneStop", "                - '*'\n            - Sid: StartOneStop"),
			"ApiFunction: grants dynamodb:GetItem on Resource '*', but AWS scopes it to resources"},
		{"metrics without the namespace condition", replace(tmpl, "                  cloudwatch:namespace: Kaiban\n", "                  cloudwatch:namespace: Other\n"),
			"without a StringEquals cloudwatch:namespace = Kaiban condition"},
		{"the state machine may invoke a function it never calls", replace(tmpl, "        - LambdaInvokePolicy:\n            FunctionName: !Ref IdentityFunction\n",
			"        - LambdaInvokePolicy:\n            FunctionName: !Ref IdentityFunction\n        - LambdaInvokePolicy:\n            FunctionName: !Ref ApiFunction\n"),
			"OneStopStateMachine: may invoke ApiFunction, which the definition never calls"},
		{"the state machine lacks an invoke permission", replace(tmpl, "        - LambdaInvokePolicy:\n            FunctionName: !Ref BankFunction\n", ""),
			"OneStopStateMachine: calls BankFunction but has no LambdaInvokePolicy for it"},
		{"the state machine logs personal data", replace(tmpl, "        IncludeExecutionData: false", "        IncludeExecutionData: true"),
			"Logging.IncludeExecutionData is true"},
		{"a misspelt environment variable", replace(tmpl, "          CLERK_GROUP: clerks", "          CLERKS_GROUP: clerks"),
			"ApiFunction: sets CLERKS_GROUP, which api does not read"},
		{"the documents may be put anywhere in the bucket", replace(tmpl, "Action: s3:PutObject\n              Resource: !Sub '${DocumentsBucket.Arn}/documents/*'", "Action: s3:PutObject\n              Resource: !Sub '${DocumentsBucket.Arn}/*'"),
			"DocumentsFunction: grants s3:PutObject on map[Fn::Sub:${DocumentsBucket.Arn}/*], want only the documents prefix"},
		{"the documents function cannot sign", replace(tmpl, "            - Sid: SignDocuments\n              Effect: Allow\n              Action: kms:Sign\n              Resource: !GetAtt SigningKey.Arn\n", ""),
			"DocumentsFunction: documents calls kms:Sign, which is not granted"},
		{"the documents function signs with another key", replace(tmpl, "              Action: kms:Sign\n              Resource: !GetAtt SigningKey.Arn\n\n", "              Action: kms:Sign\n              Resource: !GetAtt DocumentsKey.Arn\n\n"),
			"DocumentsFunction: grants kms:Sign on [DocumentsKey], want only SigningKey"},
		{"the api cannot read the documents' public key", replace(tmpl, "              Action: kms:GetPublicKey\n", "              Action: kms:DescribeKey\n"),
			"ApiFunction: api calls kms:GetPublicKey, which is not granted"},
		{"the documents step built as a step", replace(mk, "build-DocumentsFunction:\n\t$(LAMBDA_BUILD) ./functions/documents\n", ""),
			"DocumentsFunction: builds the step bootstrap, but KAIBAN_STEP \"\" is not a step"},
		{"the wrong runtime", replace(tmpl, "    Runtime: provided.al2023", "    Runtime: provided.al2"),
			`Runtime is "provided.al2", want provided.al2023`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustLoad(t)
			c.break_(t, r)
			ps := r.Check()
			for _, p := range ps {
				if strings.Contains(p.String(), c.want) {
					return
				}
			}
			t.Errorf("no problem says %q; got %v", c.want, ps)
		})
	}
}

// cfn-lint, which `make lint` runs, refuses a template with a misspelt
// property, proving the lint step guards the deploy.
func TestCfnLintRejectsATypo(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("cfn-lint is not installed, and CI must run it (pip install cfn-lint)")
		}
		t.Skip("skipped: cfn-lint is not installed here (pip install cfn-lint); make lint fails without it")
	}
	src, err := os.ReadFile(filepath.Join(repoRoot, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, old, new string
		wantOK         bool
	}{
		{"as committed", "", "", true},
		{"a misspelt HttpApi property", "      FailOnWarnings: true", "      FailOnWarning: true", false},
		{"a misspelt alarm property", "      ComparisonOperator: GreaterThanOrEqualToThreshold\n", "      ComparisonOperater: GreaterThanOrEqualToThreshold\n", false},
		{"a reference to a missing resource", "TopicArn: !Ref AlarmTopic", "TopicArn: !Ref AlarmTopics", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each is a separate cfn-lint process
			b := src
			if c.old != "" {
				if !bytes.Contains(b, []byte(c.old)) {
					t.Fatalf("template.yaml no longer contains %q; update the test", c.old)
				}
				b = bytes.Replace(b, []byte(c.old), []byte(c.new), 1)
			}
			file := filepath.Join(t.TempDir(), "template.yaml")
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(lint, file).CombinedOutput()
			if ok := err == nil; ok != c.wantOK {
				t.Errorf("cfn-lint passed=%v, want %v:\n%s", ok, c.wantOK, out)
			}
		})
	}
}

// asl-validator, which `make lint` runs on workflow/*.asl.json, refuses a
// definition with a misspelt state type and accepts the committed one.
func TestASLValidatorRejectsABrokenDefinition(t *testing.T) {
	validator := filepath.Join(repoRoot, "infra", "lint", "node_modules", ".bin", "asl-validator")
	if _, err := os.Stat(validator); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("asl-validator is not installed; make lint installs it (npm ci in infra/lint) before make test")
		}
		t.Skip("skipped: asl-validator is not installed; run make lint (npm ci in infra/lint) first")
	}
	def, err := os.ReadFile(filepath.Join(repoRoot, "workflow", "onestop.asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, old, new string
		wantOK         bool
	}{
		{"as committed", "", "", true},
		{"a misspelt state type", `"Type": "Parallel"`, `"Type": "Paralel"`, false},
		{"a transition to a missing state", `"Next": "Finalize"`, `"Next": "Finalise"`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := def
			if c.old != "" {
				if !bytes.Contains(b, []byte(c.old)) {
					t.Fatalf("the definition no longer contains %q; update the test", c.old)
				}
				b = bytes.Replace(b, []byte(c.old), []byte(c.new), 1)
			}
			file := filepath.Join(t.TempDir(), "onestop.asl.json")
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(validator, "--json-path", file).CombinedOutput()
			if ok := err == nil; ok != c.wantOK {
				t.Errorf("asl-validator passed=%v, want %v:\n%s", ok, c.wantOK, out)
			}
		})
	}
}
