package api

// RouteKeys lists the route table as "METHOD pattern" for the tests of
// the published document.
func RouteKeys(s *Server) []string {
	var out []string
	for _, r := range s.routeTable() {
		out = append(out, r.method+" "+r.pattern)
	}
	return out
}

// OpenAPIDocument is the embedded document GET /openapi.json serves.
func OpenAPIDocument() []byte { return openAPIDocument }
