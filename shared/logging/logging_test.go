package logging_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/logging"
)

const (
	id     = "210102198503120316"
	mobile = "13840012345"
)

type person struct {
	Name     string `json:"name"`
	IDNumber string `json:"idNumber"`
}

type stringer struct{}

func (stringer) String() string { return "holder " + id }

// A log entry with ID numbers and mobiles in the message and in fields of
// every shape comes out masked, with the request and application IDs.
func TestLoggedEntriesAreMasked(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, "info")
	e := logging.WithIDs(log, "req-1", "app-1")
	e.WithFields(logrus.Fields{
		"idNumber": id,
		"mobile":   mobile,
		"err":      fmt.Errorf("agency rejected %s: %w", id, errors.New("mismatch")),
		"holder":   person{Name: "张伟", IDNumber: id},
		"nested":   map[string]any{"contacts": []string{mobile}},
		"who":      stringer{},
		"count":    3,
	}).Infof("checking %s, mobile %s", id, mobile)

	line := buf.String()
	for _, secret := range []string{id, mobile, "1985031203", "40012345"} {
		if strings.Contains(line, secret) {
			t.Errorf("log line contains %q:\n%s", secret, line)
		}
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(line), &got); err != nil {
		t.Fatalf("not one JSON line: %v\n%s", err, line)
	}
	want := map[string]any{
		"msg":                      "checking 210*************16, mobile 138****2345",
		"idNumber":                 "210*************16",
		"mobile":                   "138****2345",
		"err":                      "agency rejected 210*************16: mismatch",
		"who":                      "holder 210*************16",
		logging.FieldRequestID:     "req-1",
		logging.FieldApplicationID: "app-1",
		"level":                    "info",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if got["count"] != float64(3) {
		t.Errorf("count = %v: masking changed a non-sensitive field", got["count"])
	}
	if !strings.Contains(line, `"idNumber":"210*************16"`) || !strings.Contains(line, `"contacts":["138****2345"]`) {
		t.Errorf("nested values not masked as expected:\n%s", line)
	}
}

func TestLevel(t *testing.T) {
	tests := []struct {
		level     string
		debugSeen bool
		infoSeen  bool
	}{
		{"debug", true, true},
		{"info", false, true},
		{"error", false, false},
		{"nonsense", false, true}, // falls back to info
		{"", false, true},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		log := logging.New(&buf, tt.level)
		log.Debug("d")
		log.Info("i")
		out := buf.String()
		if strings.Contains(out, `"msg":"d"`) != tt.debugSeen || strings.Contains(out, `"msg":"i"`) != tt.infoSeen {
			t.Errorf("level %q: output %q", tt.level, out)
		}
	}
}

func TestContext(t *testing.T) {
	var buf bytes.Buffer
	e := logging.WithIDs(logging.New(&buf, "info"), "req-9", "")
	ctx := logging.NewContext(context.Background(), e)
	logging.FromContext(ctx).Info("hello " + mobile)
	line := buf.String()
	if !strings.Contains(line, `"requestId":"req-9"`) || strings.Contains(line, "applicationId") {
		t.Errorf("IDs wrong: %s", line)
	}
	if strings.Contains(line, mobile) {
		t.Errorf("mobile not masked: %s", line)
	}
	if logging.FromContext(context.Background()) == nil {
		t.Error("FromContext without an entry returned nil")
	}
}

// Entries logged concurrently stay one JSON object per line.
func TestConcurrentLinesStayWhole(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, "info")
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 100; i++ {
				logging.WithIDs(log, "r", "a").WithField("mobile", mobile).Info(id)
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	sc := bufio.NewScanner(&buf)
	n := 0
	for sc.Scan() {
		n++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if m["msg"] != "210*************16" {
			t.Fatalf("line %d: msg %v", n, m["msg"])
		}
	}
	if n != 400 {
		t.Errorf("%d lines, want 400", n)
	}
}
