// Package sfnapi serves the AWS Step Functions API over HTTP in front of the
// local engine, so the same aws-sdk-go-v2 sfn client (or `aws stepfunctions
// --endpoint-url`) talks to AWS in the cloud and to the local stack here.
//
// The wire format is AWS JSON 1.0: every call is a POST whose
// X-Amz-Target header names the action (AWSStepFunctions.StartExecution)
// and whose body is a JSON object with the API reference's camelCase field
// names. Errors use AWS's shape, {"__type": "...#Code", "message": "..."},
// which the SDK turns into its typed errors (*types.ExecutionDoesNotExist,
// ...). Like Step Functions Local, requests are not authenticated: SigV4
// signatures are accepted and ignored, so the server must only listen on
// loopback.
package sfnapi
