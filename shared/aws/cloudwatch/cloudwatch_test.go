package cloudwatch

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/kaiban/kaiban/shared/kaiban"
)

type fakeAPI struct {
	got *cloudwatch.PutMetricDataInput
	err error
}

func (f *fakeAPI) PutMetricData(_ context.Context, in *cloudwatch.PutMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error) {
	f.got = in
	return &cloudwatch.PutMetricDataOutput{}, f.err
}

// The alarm in template.yaml matches namespace, name and the Stage
// dimension; a datum without them would never trigger it.
func TestPublishUsesTheAlarmsNamespaceAndDimension(t *testing.T) {
	f := &fakeAPI{}
	if err := New(f, "prod").Publish(context.Background(), kaiban.Metric{Name: kaiban.MetricLateApplications, Value: 3, Unit: "Count"}, kaiban.Metric{Name: kaiban.MetricAtRisk, Value: 5, Unit: "Count"}); err != nil {
		t.Fatal(err)
	}
	if len(f.got.MetricData) != 2 {
		t.Fatalf("two figures went in %d data", len(f.got.MetricData))
	}
	d := f.got.MetricData[0]
	if *f.got.Namespace != "Kaiban" || *d.MetricName != "ApplicationsPastDeadline" || *d.Value != 3 || *d.Dimensions[0].Value != "prod" {
		t.Fatalf("unexpected datum %+v in %s", d, *f.got.Namespace)
	}
	f.err = errors.New("throttled")
	if err := New(f, "prod").Publish(context.Background(), kaiban.Metric{Name: "x", Value: 1, Unit: "Count"}); !kaiban.IsName(err, kaiban.ErrStoreUnavailable) {
		t.Fatalf("a failure is a typed transient error, got %v", err)
	}
}
