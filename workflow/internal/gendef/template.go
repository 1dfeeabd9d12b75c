package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/kaiban/kaiban/shared/tracks"
)

// The parts of template.yaml that list the step functions are written
// from tracks.Steps between marker lines; the rest of the template is
// edited by hand. A region is the lines strictly between
// "# BEGIN GENERATED <name>" and "# END GENERATED <name>".
const (
	beginMarker = "# BEGIN GENERATED "
	endMarker   = "# END GENERATED "
)

// grant is what a step function may do besides running: the template's
// IAM policy, which infra/sam holds against the calls its code makes.
type grant struct {
	query   bool // Query on the table and its indexes (clerk tasks, open applications)
	metrics bool // PutMetricData in the Kaiban namespace
	notify  bool // tells the applicant of a milestone: claim (DeleteItem), SNS, SES
	links   bool // sends the founders' links: TOKEN_SECRET derives their tokens, PUBLIC_BASE_URL is their base
	base    bool // links to the portal (PUBLIC_BASE_URL): "certificate ready" links to the documents
}

// trackGrant is every track step's grant: it queries the application's
// open clerk tasks when it completes.
var trackGrant = grant{query: true, notify: true, base: true}

// grants holds the other workflow steps; a step missing here and not a
// track stops the generator, so a new step's permissions are a decision.
var grants = map[string]grant{
	tracks.FnIdentity:   {},
	tracks.FnConfirm:    {query: true, notify: true, links: true},
	tracks.FnReserve:    {},
	tracks.FnEscalate:   {notify: true},
	tracks.FnCompensate: {query: true, notify: true},
	tracks.FnFinalize:   {query: true, metrics: true, notify: true}, // Query: the trail says whether a clerk took part (the dashboard)
}

// regions returns the generated text of every region, by name.
func regions() (map[string]string, error) {
	var fns, subs, invoke, logs strings.Builder
	for _, st := range tracks.Steps {
		fmt.Fprintf(&logs, `  %sLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/kaiban/${Stage}/%s'
      RetentionInDays: !Ref LogRetentionDays

`, st.LogicalID, st.Name)
		if st.Scheduled {
			continue // its schedule, queue and alarms are written by hand
		}
		fmt.Fprintf(&subs, "        %s: !GetAtt %s.Arn\n", st.ArnPlaceholder(), st.LogicalID)
		fmt.Fprintf(&invoke, "        - LambdaInvokePolicy:\n            FunctionName: !Ref %s\n", st.LogicalID)
		if st.Program() == tracks.BootstrapDocuments {
			fmt.Fprintf(&fns, documentsFunction, st.Summary, st.LogicalID, st.LogicalID, st.Summary)
			continue
		}
		if !st.Own() {
			return nil, fmt.Errorf("step %s runs the %s bootstrap, which workflow/internal/gendef/template.go cannot write", st.Name, st.Program())
		}
		g, ok := grants[st.Name]
		if st.Track != "" {
			g, ok = trackGrant, true
		}
		if !ok {
			return nil, fmt.Errorf("step %s has no grant: add it to grants in workflow/internal/gendef/template.go", st.Name)
		}
		fmt.Fprintf(&fns, `  # %s
  %s:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: makefile
    Properties:
      CodeUri: .
      LoggingConfig:
        LogGroup: !Ref %sLogGroup
      Description: %s
      Environment:
        Variables:
          KAIBAN_STEP: %s
          KAIBAN_AGENCY_URL: !If [HasAgencyBaseUrl, !Ref AgencyBaseUrl, !Ref AWS::NoValue]
          KAIBAN_AGENCY_CONFIG: !If [HasAgencyConfigFile, !Sub '/var/task/${AgencyConfigFile}', !Ref AWS::NoValue]
          KAIBAN_AGENCY_TIMEOUT: !Ref AgencyTimeout
          STAGE: !Ref Stage
`, st.Summary, st.LogicalID, st.LogicalID, st.Summary, st.Name)
		if g.notify {
			fns.WriteString("          NOTIFY_SENDER_EMAIL: !Ref NotifySenderEmail\n          NOTIFY_EMAIL_TEMPLATE: !Ref NotificationEmailTemplate\n")
		}
		if g.links {
			fns.WriteString("          TOKEN_SECRET: !Sub '{{resolve:secretsmanager:${TokenSecret}:SecretString}}'\n          PUBLIC_BASE_URL: !Ref PublicBaseUrl\n")
		} else if g.base {
			fns.WriteString("          PUBLIC_BASE_URL: !Ref PublicBaseUrl\n")
		}
		fns.WriteString(`      Policies:
        - Statement:
            - Sid: Store
              Effect: Allow
              Action:
`)
		if g.notify {
			fns.WriteString("                - dynamodb:DeleteItem\n")
		}
		fns.WriteString("                - dynamodb:GetItem\n                - dynamodb:PutItem\n")
		if g.query {
			fns.WriteString("                - dynamodb:Query\n")
		}
		fns.WriteString("                - dynamodb:UpdateItem\n              Resource:\n                - !GetAtt ApplicationsTable.Arn\n")
		if g.query {
			fns.WriteString("                - !Sub '${ApplicationsTable.Arn}/index/*'\n")
		}
		if g.metrics {
			fns.WriteString(`            # PutMetricData has no resource-level permissions: AWS requires
            # Resource '*'. The namespace condition confines it to Kaiban's.
            - Sid: Metrics
              Effect: Allow
              Action: cloudwatch:PutMetricData
              Resource: '*'
              Condition:
                StringEquals:
                  cloudwatch:namespace: Kaiban
`)
		}
		if g.notify {
			fns.WriteString(notifyStatements)
		}
		fns.WriteString("\n")
	}
	return map[string]string{
		"step functions":              fns.String(),
		"step function substitutions": subs.String(),
		"step function invocations":   invoke.String(),
		"step function log groups":    logs.String(),
	}, nil
}

// Template returns src with every generated region rewritten; it fails
// when a region is missing, unterminated or unknown.
func Template(src []byte) ([]byte, error) {
	want, err := regions()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out bytes.Buffer
	lines := strings.SplitAfter(string(src), "\n")
	for i := 0; i < len(lines); i++ {
		out.WriteString(lines[i])
		name, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), beginMarker)
		if !ok {
			continue
		}
		text, known := want[name]
		if !known {
			return nil, fmt.Errorf("template.yaml line %d: no generated region called %q", i+1, name)
		}
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != strings.TrimSpace(endMarker+name) {
			end++
		}
		if end == len(lines) {
			return nil, fmt.Errorf("template.yaml line %d: region %q has no %q line", i+1, name, endMarker+name)
		}
		out.WriteString(text)
		out.WriteString(lines[end])
		seen[name] = true
		i = end
	}
	for name := range want {
		if !seen[name] {
			return nil, fmt.Errorf("template.yaml has no region %q (a %q line)", name, beginMarker+name)
		}
	}
	return out.Bytes(), nil
}

// notifyStatements grant telling the applicant: an SMS to a phone number
// (SNS offers no resource for it, so '*'), an e-mail from the one sender
// address (any identity of the account, but only as that From address)
// laid out by the stack's one template.
const notifyStatements = `            - Sid: Sms
              Effect: Allow
              Action: sns:Publish
              Resource: '*'
            - Sid: Email
              Effect: Allow
              Action: ses:SendTemplatedEmail
              Resource:
                - !Sub 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*'
                - !Sub 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:template/${NotificationEmailTemplate}'
              Condition:
                StringEquals:
                  ses:FromAddress: !Ref NotifySenderEmail
`

// documentsFunction is the documents step's function (its own bootstrap,
// functions/documents): it reads the application and the documents it
// already has, writes the records, puts the bytes under the bucket's
// documents/ prefix and signs each digest with the platform's key. The
// bucket's key lets the account's principals encrypt through S3 (its key
// policy), so no kms:GenerateDataKey is granted here. Arguments: summary,
// logical ID, logical ID (its log group), summary.
const documentsFunction = `  # %s
  %s:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: makefile
    Properties:
      CodeUri: .
      LoggingConfig:
        LogGroup: !Ref %sLogGroup
      Description: %s
      # Rendering a bundle (fonts, PDF layout) wants more memory, and with
      # it more CPU, than a step's agency call.
      MemorySize: 512
      Environment:
        Variables:
          DOCUMENTS_BUCKET: !Ref DocumentsBucket
          DOCUMENTS_KEY_ID: !GetAtt DocumentsKey.Arn
          SIGNING_KEY_ID: !GetAtt SigningKey.Arn
          TOKEN_SECRET: !Sub '{{resolve:secretsmanager:${TokenSecret}:SecretString}}'
          PUBLIC_BASE_URL: !Ref PublicBaseUrl
      Policies:
        - Statement:
            - Sid: Store
              Effect: Allow
              Action:
                - dynamodb:GetItem
                - dynamodb:PutItem
                - dynamodb:Query
                - dynamodb:UpdateItem
              Resource:
                - !GetAtt ApplicationsTable.Arn
                - !Sub '${ApplicationsTable.Arn}/index/*'
            - Sid: PutDocuments
              Effect: Allow
              Action: s3:PutObject
              Resource: !Sub '${DocumentsBucket.Arn}/documents/*'
            - Sid: SignDocuments
              Effect: Allow
              Action: kms:Sign
              Resource: !GetAtt SigningKey.Arn

`
