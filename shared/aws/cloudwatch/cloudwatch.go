// Package cloudwatch publishes Kaiban's operational metrics (applications
// past their deadline, completion times, oldest clerk task) to Amazon
// CloudWatch, where template.yaml's SLA alarms watch them.
package cloudwatch

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// API is the part of the CloudWatch client Metrics uses.
type API interface {
	PutMetricData(ctx context.Context, in *cloudwatch.PutMetricDataInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error)
}

// Metrics implements kaiban.Metrics with PutMetricData in the Kaiban
// namespace, dimensioned by stage.
type Metrics struct {
	api   API
	stage string
}

var _ kaiban.Metrics = (*Metrics)(nil)

// New returns Metrics publishing through api for the given stage.
func New(api API, stage string) *Metrics { return &Metrics{api: api, stage: stage} }

// Publish sends one data point.
func (m *Metrics) Publish(ctx context.Context, ms ...kaiban.Metric) error {
	if len(ms) == 0 {
		return nil
	}
	data := make([]types.MetricDatum, len(ms))
	for i, x := range ms {
		data[i] = types.MetricDatum{
			MetricName: aws.String(x.Name),
			Value:      aws.Float64(x.Value),
			Unit:       types.StandardUnit(x.Unit),
			Dimensions: []types.Dimension{{Name: aws.String("Stage"), Value: aws.String(m.stage)}},
		}
	}
	_, err := m.api.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace:  aws.String(kaiban.MetricNamespace),
		MetricData: data,
	})
	if err != nil {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "publishing a metric failed")
	}
	return nil
}
