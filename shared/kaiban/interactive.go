package kaiban

import "context"

type interactiveKey struct{}

// WithInteractive marks ctx as a request a person is waiting for (the
// API's), as opposed to background work (the workflows' handlers). A store
// that queues its writes serves interactive ones first, so a burst of
// workflow writes cannot make an applicant wait for a submission to be
// accepted.
func WithInteractive(ctx context.Context) context.Context {
	return context.WithValue(ctx, interactiveKey{}, true)
}

// IsInteractive reports whether ctx was marked by WithInteractive.
func IsInteractive(ctx context.Context) bool {
	v, _ := ctx.Value(interactiveKey{}).(bool)
	return v
}
