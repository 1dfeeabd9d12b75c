package logging

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/sirupsen/logrus"
)

// Field names every entry about a request or an application carries, so
// one query finds everything that happened to one application.
const (
	FieldRequestID     = "requestId"
	FieldApplicationID = "applicationId"
)

// New returns a logger writing JSON lines to w at level ("debug", "info",
// "warn", "error"; anything else means info, so a bad setting never stops
// a function from starting), with masking installed.
func New(w io.Writer, level string) *logrus.Logger {
	l := logrus.New()
	l.SetOutput(w)
	lvl, err := logrus.ParseLevel(level)
	if err != nil {
		lvl = logrus.InfoLevel
	}
	l.SetLevel(lvl)
	l.SetFormatter(&MaskingFormatter{Inner: &logrus.JSONFormatter{TimestampFormat: "2006-01-02T15:04:05.000Z07:00"}})
	l.AddHook(MaskingHook{})
	return l
}

// WithIDs returns an entry carrying the request and application IDs; empty
// IDs are left out.
func WithIDs(l logrus.FieldLogger, requestID, applicationID string) *logrus.Entry {
	f := logrus.Fields{}
	if requestID != "" {
		f[FieldRequestID] = requestID
	}
	if applicationID != "" {
		f[FieldApplicationID] = applicationID
	}
	return l.WithFields(f)
}

type ctxKey struct{}

// NewContext returns ctx carrying e, so code deep in a request logs with
// the request's IDs without passing a logger through every call.
func NewContext(ctx context.Context, e *logrus.Entry) context.Context {
	return context.WithValue(ctx, ctxKey{}, e)
}

// fallback is used when a context carries no entry: masked JSON to
// stderr, so nothing is lost and nothing leaks.
var fallback = logrus.NewEntry(New(os.Stderr, "info"))

// FromContext returns the entry NewContext stored, or a masked stderr
// logger.
func FromContext(ctx context.Context) *logrus.Entry {
	if e, ok := ctx.Value(ctxKey{}).(*logrus.Entry); ok && e != nil {
		return e
	}
	return fallback
}

// MaskingHook masks the message and every string, error or Stringer field
// of an entry before it is formatted. logrus hands hooks a copy of the
// entry's fields, so the caller's values are not changed.
type MaskingHook struct{}

var _ logrus.Hook = MaskingHook{}

// Levels returns every level: masking is not optional.
func (MaskingHook) Levels() []logrus.Level { return logrus.AllLevels }

// Fire masks e in place.
func (MaskingHook) Fire(e *logrus.Entry) error {
	e.Message = Mask(e.Message)
	for k, v := range e.Data {
		switch v := v.(type) {
		case string:
			e.Data[k] = Mask(v)
		case error:
			e.Data[k] = Mask(v.Error())
		case fmt.Stringer:
			e.Data[k] = Mask(v.String())
		}
	}
	return nil
}

// MaskingFormatter formats with Inner and masks the finished line.
type MaskingFormatter struct {
	Inner logrus.Formatter
}

var _ logrus.Formatter = (*MaskingFormatter)(nil)

// Format implements logrus.Formatter.
func (f *MaskingFormatter) Format(e *logrus.Entry) ([]byte, error) {
	b, err := f.Inner.Format(e)
	if err != nil {
		return nil, err
	}
	maskBytes(b)
	return b, nil
}
