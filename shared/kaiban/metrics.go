package kaiban

import "context"

// Metrics publishes operational figures (applications past their deadline,
// completion times) that the SLA alarms watch. CloudWatch on AWS; the log
// locally.
type Metrics interface {
	// Publish sends the figures together, in one request where the
	// backend allows (CloudWatch takes up to 1,000 per call).
	Publish(ctx context.Context, ms ...Metric) error
}

// Metric is one figure: its name (below), value and CloudWatch unit
// ("Count", "None", ...).
type Metric struct {
	Name  string
	Value float64
	Unit  string
}

// Metric names; template.yaml's alarms refer to them.
const (
	MetricNamespace         = "Kaiban"
	MetricLateApplications  = "ApplicationsPastDeadline"
	MetricAtRisk            = "ApplicationsAtRisk"
	MetricCompletionMinutes = "CompletionMinutes"
	MetricOldestTaskMinutes = "OldestClerkTaskMinutes"
)
