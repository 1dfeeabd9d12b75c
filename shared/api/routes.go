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
		{method: http.MethodPost, pattern: "/v1/applications/{id}/corrections", handle: s.correctApplication},
		{method: http.MethodGet, pattern: "/v1/confirmations/{token}", handle: s.confirmation},
		{method: http.MethodPost, pattern: "/v1/confirmations/{token}/identity", handle: s.confirmIdentity},
		{method: http.MethodPost, pattern: "/v1/confirmations/{token}/decision", handle: s.confirmDecision},
		{method: http.MethodPost, pattern: "/v1/names/check", handle: s.checkName},

		{method: http.MethodGet, pattern: "/v1/clerk/tasks", clerk: true, handle: s.listTasks},
		{method: http.MethodPost, pattern: "/v1/clerk/tasks/{id}/claim", clerk: true, handle: s.claimTask},
		{method: http.MethodPost, pattern: "/v1/clerk/tasks/{id}/release", clerk: true, handle: s.releaseTask},
		{method: http.MethodPost, pattern: "/v1/clerk/tasks/{id}/resolve", clerk: true, handle: s.resolveTask},
		{method: http.MethodGet, pattern: "/v1/clerk/applications/{id}", clerk: true, handle: s.clerkApplication},
		{method: http.MethodPost, pattern: "/v1/clerk/applications", clerk: true, handle: s.fileForApplicant},
		{method: http.MethodGet, pattern: "/v1/clerk/supervisor", clerk: true, handle: s.supervisor},

		{method: http.MethodGet, pattern: "/healthz", handle: s.healthz},
		{method: http.MethodGet, pattern: "/v1/clerk-signin", handle: s.clerkSignIn},

		{method: http.MethodGet, pattern: "/v1/reference/regions", handle: s.referenceRegions},
		{method: http.MethodGet, pattern: "/v1/reference/banks", handle: s.referenceBanks},
		{method: http.MethodGet, pattern: "/v1/reference/engravers", handle: s.referenceEngravers},
		{method: http.MethodGet, pattern: "/v1/reference/workdays", handle: s.referenceWorkdays},
		{method: http.MethodPost, pattern: "/v1/drafts", handle: s.createDraft},
		{method: http.MethodPut, pattern: "/v1/drafts/{id}", handle: s.saveDraft},
		{method: http.MethodGet, pattern: "/v1/drafts/{id}", handle: s.getDraft},
		{method: http.MethodGet, pattern: "/openapi.json", handle: s.openAPI},
		{method: http.MethodPost, pattern: "/v1/applications/{id}/rating", handle: s.rateApplication},
		{method: http.MethodGet, pattern: "/v1/stats", handle: s.stats},
		{method: http.MethodGet, pattern: "/v1/applications/{id}/documents", handle: s.applicationDocuments},
		{method: http.MethodGet, pattern: "/v1/applications/{id}/documents.zip", handle: s.applicationDocumentsZip},
		{method: http.MethodGet, pattern: "/v1/clerk/applications/{id}/documents", clerk: true, handle: s.clerkDocuments},
		{method: http.MethodPost, pattern: "/v1/documents/verify", handle: s.verifyDocument},
		{method: http.MethodGet, pattern: "/v1/documents/{id}/particulars", handle: s.documentParticulars},
		{method: http.MethodGet, pattern: "/v1/objects/content", handle: s.objectContent},
		{method: http.MethodGet, pattern: "/.well-known/kaiban-documents.pem", handle: s.documentsPublicKey},
		{method: http.MethodGet, pattern: "/verify/{id}", handle: s.verifyPage},
	}
	for _, p := range []string{"/", "/index.html", "/clerk", "/confirm", "/static/{file...}"} {
		rs = append(rs,
			route{method: http.MethodGet, pattern: p, handle: s.page},
			route{method: http.MethodHead, pattern: p, handle: s.page})
	}
	rs = append(rs,
		route{method: http.MethodGet, pattern: "/status/{id}", handle: s.statusPage},
		route{method: http.MethodHead, pattern: "/status/{id}", handle: s.statusPage},
		route{method: http.MethodGet, pattern: "/drafts/{id}", handle: s.statusPage},
		route{method: http.MethodHead, pattern: "/drafts/{id}", handle: s.statusPage},
		route{method: http.MethodGet, pattern: "/stats", handle: s.statsPage},
		route{method: http.MethodHead, pattern: "/stats", handle: s.statsPage})
	for i := range rs {
		rs[i].parts = splitPath(rs[i].pattern)
	}
	return rs
}
