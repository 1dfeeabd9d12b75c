package kaiban

import "context"

// Metrics publishes operational figures (applications past their deadline,
// completion times) that the SLA alarms watch. CloudWatch on AWS; the log
// locally.
type Metrics interface {
	Publish(ctx context.Context, name string, value float64, unit string) error
}

// Metric names; template.yaml's alarms refer to them.
const (
	MetricNamespace         = "Kaiban"
	MetricLateApplications  = "ApplicationsPastDeadline"
	MetricAtRisk            = "ApplicationsAtRisk"
	MetricCompletionMinutes = "CompletionMinutes"
	MetricOldestTaskMinutes = "OldestClerkTaskMinutes"
)
