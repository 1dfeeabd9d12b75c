package engine

import "testing"

// TestWaitBeyondOneYear checks that a Wait state past AWS's maximum (an
// execution lasts at most one year) fails with States.Runtime, however
// the delay is given, while a wait of exactly a year runs.
func TestWaitBeyondOneYear(t *testing.T) {
	wait := func(field string) string {
		return `{"StartAt":"W","States":{"W":{"Type":"Wait",` + field + `,"End":true}}}`
	}
	const cause = "beyond the maximum duration of an execution (one year)"
	runFlowCases(t, []flowCase{
		{name: "Seconds one year", def: wait(`"Seconds":31536000`), input: `{"a":1}`, output: `{"a":1}`},
		{name: "Seconds past one year", def: wait(`"Seconds":31536001`), input: `{}`, status: StatusFailed, errName: "States.Runtime", causeHas: cause},
		{name: "SecondsPath past one year", def: wait(`"SecondsPath":"$.s"`), input: `{"s":40000000}`, status: StatusFailed, errName: "States.Runtime", causeHas: cause},
		{name: "SecondsPath huge", def: wait(`"SecondsPath":"$.s"`), input: `{"s":9000000000000000000}`, status: StatusFailed, errName: "States.Runtime", causeHas: cause},
		{name: "Timestamp past one year", def: wait(`"Timestamp":"2027-03-01T09:00:00Z"`), input: `{}`, status: StatusFailed, errName: "States.Runtime", causeHas: cause},
		{name: "TimestampPath past one year", def: wait(`"TimestampPath":"$.t"`), input: `{"t":"2030-01-01T00:00:00Z"}`, status: StatusFailed, errName: "States.Runtime", causeHas: cause},
	})
}
