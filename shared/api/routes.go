package api

import "net/http"

// routeTable lists the whole API. Clerk routes need a JWT carrying the
// clerk group (API Gateway's JWT authorizer on AWS, apigw.JWTAuthorizer
// locally); the API checks the claims and the group itself, so a clerk
// route is refused even if the gateway was configured without an
// authorizer.
func (s *Server) routeTable() []route {
	rs := []route{
		{method: http.MethodPost, pattern: "/v1/applications", handle: s.submitApplication},
		{method: http.MethodPost, pattern: "/v1/applications/validate", handle: s.validateApplication},
		{method: http.MethodGet, pattern: "/v1/applications/{id}", handle: s.applicationStatus},
		{method: http.MethodPost, pattern: "/v1/names/check", handle: s.checkName},

		{method: http.MethodGet, pattern: "/v1/clerk/tasks", clerk: true, handle: s.listTasks},
		{method: http.MethodPost, pattern: "/v1/clerk/tasks/{id}/claim", clerk: true, handle: s.claimTask},
		{method: http.MethodPost, pattern: "/v1/clerk/tasks/{id}/release", clerk: true, handle: s.releaseTask},
		{method: http.MethodPost, pattern: "/v1/clerk/tasks/{id}/resolve", clerk: true, handle: s.resolveTask},
		{method: http.MethodGet, pattern: "/v1/clerk/applications/{id}", clerk: true, handle: s.clerkApplication},

		{method: http.MethodGet, pattern: "/healthz", handle: s.healthz},
	}
	for _, p := range []string{"/", "/index.html", "/clerk", "/static/{file...}"} {
		rs = append(rs,
			route{method: http.MethodGet, pattern: p, handle: s.page},
			route{method: http.MethodHead, pattern: p, handle: s.page})
	}
	for i := range rs {
		rs[i].parts = splitPath(rs[i].pattern)
	}
	return rs
}
