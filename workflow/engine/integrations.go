package engine

import "strings"

// optimisedServices are the services of Step Functions' optimised
// integrations (arn:aws:states:::<service>:<action>). AWS refuses a
// definition naming any other; arn:aws:states:::aws-sdk:<service>:<action>
// reaches every SDK service and is checked for its shape only.
var optimisedServices = map[string]bool{
	"lambda": true, "batch": true, "dynamodb": true, "ecs": true, "sns": true, "sqs": true,
	"glue": true, "sagemaker": true, "states": true, "events": true, "apigateway": true,
	"codebuild": true, "eks": true, "elasticmapreduce": true, "emr-containers": true,
	"emr-serverless": true, "athena": true, "glue-databrew": true, "mediaconvert": true,
	"bedrock": true, "http": true,
}

// integrationPatterns are the suffixes that pick the service integration
// pattern: run a job (.sync, .sync:2) or wait for a callback.
var integrationPatterns = []string{".waitForTaskToken", ".sync:2", ".sync"}

// checkIntegration checks the resource part after arn:aws:states::: and
// returns AWS's message for one it does not recognise, or "".
func checkIntegration(arn, rest string) string {
	for _, p := range integrationPatterns {
		if r, ok := strings.CutSuffix(rest, p); ok {
			rest = r
			break
		}
	}
	service, action, _ := strings.Cut(rest, ":")
	ok := false
	switch {
	case service == "aws-sdk":
		svc, act, _ := strings.Cut(action, ":")
		ok = svc != "" && act != "" && !strings.Contains(act, ":")
	case optimisedServices[service]:
		ok = action != "" && !strings.Contains(action, ":")
	}
	if ok {
		return ""
	}
	return "The resource provided " + arn + " is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
}
