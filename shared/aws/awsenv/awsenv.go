// Package awsenv builds the AWS SDK configuration of a Lambda function from
// the environment the Lambda runtime provides (region and the execution
// role's credentials), without config.LoadDefaultConfig: that loader links
// the SSO, STS and IMDS clients, which a function never uses and which push
// every bootstrap past its 10 MB budget.
package awsenv

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Config returns the SDK configuration: AWS_REGION (or AWS_DEFAULT_REGION)
// and the credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN, which Lambda sets for the execution role and keeps
// valid for the life of the execution environment.
func Config(getenv func(string) string) (aws.Config, error) {
	region := getenv("AWS_REGION")
	if region == "" {
		region = getenv("AWS_DEFAULT_REGION")
	}
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	if region == "" || id == "" || secret == "" {
		return aws.Config{}, kaiban.Errorf(kaiban.ErrConfig, "AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required (the Lambda runtime sets them)")
	}
	return aws.Config{
		Region:      region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, getenv("AWS_SESSION_TOKEN"))),
	}, nil
}

// Endpoint returns the endpoint override for a service, as the SDK's
// shared configuration reads it: AWS_ENDPOINT_URL_<SERVICE> (e.g.
// AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SFN), else AWS_ENDPOINT_URL;
// nil means the service's regional endpoint. Used to point functions at a
// local DynamoDB or the local engine.
func Endpoint(getenv func(string) string, service string) *string {
	if v := getenv("AWS_ENDPOINT_URL_" + service); v != "" {
		return aws.String(v)
	}
	if v := getenv("AWS_ENDPOINT_URL"); v != "" {
		return aws.String(v)
	}
	return nil
}
