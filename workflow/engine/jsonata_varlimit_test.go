package engine

import (
	"strconv"
	"strings"
	"testing"
)

// TestTotalVariablesLimit: the variables in scope may hold 10 MiB in
// all; the Assign that would go past it fails with
// States.DataLimitExceeded, naming the state, while the same Assigns that
// stay under it succeed.
func TestTotalVariablesLimit(t *testing.T) {
	// Each state assigns a new 250,000-character string (250,002 bytes
	// as JSON): 41 fit in 10 MiB, the 42nd does not.
	def := func(states int) string {
		var b strings.Builder
		b.WriteString(`{"QueryLanguage":"JSONata","StartAt":"S0","States":{`)
		for i := range states {
			name := "S" + strconv.Itoa(i)
			b.WriteString(`"` + name + `":{"Type":"Pass","Assign":{"v` + strconv.Itoa(i) + `":"{% $pad('', 250000, 'x') %}"},`)
			if i == states-1 {
				b.WriteString(`"End":true}`)
			} else {
				b.WriteString(`"Next":"S` + strconv.Itoa(i+1) + `"},`)
			}
		}
		b.WriteString(`}}`)
		return b.String()
	}
	e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch)})
	if x := runToEnd(t, e, mustCreate(t, e, "fits", def(41)), `{}`); x.Status != StatusSucceeded {
		t.Fatalf("41 variables of 250 KB: %s %s %s, want SUCCEEDED", x.Status, x.Error, x.Cause)
	}
	x := runToEnd(t, e, mustCreate(t, e, "over", def(42)), `{}`)
	if x.Status != StatusFailed || x.Error != ErrDataLimitExceeded || !strings.Contains(x.Cause, "'S41'") || !strings.Contains(x.Cause, "total size") {
		t.Fatalf("42 variables of 250 KB: %s %s %q, want FAILED %s naming S41", x.Status, x.Error, x.Cause, ErrDataLimitExceeded)
	}
}
