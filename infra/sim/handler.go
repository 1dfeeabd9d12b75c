package sim

import "net/http"

// Handler returns the agencies' HTTP handler, for callers that serve them
// in-process instead of over the loopback port. The day simulation does so
// because a request handed straight to the handler keeps the caller's
// context: the virtual clock's hold that the engine gives a task handler
// reaches the simulator's Sleeper, so agency latency runs in virtual time
// instead of freezing it.
func (s *Server) Handler() http.Handler { return s.srv.Handler }
