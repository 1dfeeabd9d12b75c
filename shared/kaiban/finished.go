package kaiban

// FinishedRefusal is the store guarantee that a finished application's
// status is final: it returns ErrApplicationFinished when u would change
// the status of an application whose current status is terminal
// (COMPLETED, REJECTED), and nil otherwise. Writing the same terminal
// status again (a retried finalisation) and updates that set no status
// (a message only) stay allowed. Every store calls it inside the write
// that applies u, so a writer that read an older status cannot overwrite
// a status another writer made final meanwhile.
func FinishedRefusal(id string, current AppStatus, u ApplicationUpdate) error {
	if !current.Terminal() || u.Status == "" || u.Status == current {
		return nil
	}
	return Errorf(ErrApplicationFinished, "application %s is %s; its status cannot become %s", id, current, u.Status)
}

// Finished reports whether err is the refusal of a status write on a
// finished application: for a caller whose write was a step on the way
// (waiting for a clerk, resumed, asking for a correction), the
// application's end made that step moot.
func Finished(err error) bool { return IsName(err, ErrApplicationFinished) }
