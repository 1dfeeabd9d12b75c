package api

import (
	"encoding/json"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// groupsClaim is where Cognito puts a user's groups.
const groupsClaim = "cognito:groups"

// clerkFrom reads the clerk from the claims API Gateway's JWT authorizer
// put in the request context (already validated by the gateway): no claims
// or no usable subject is 401, a subject outside the clerk group 403.
func (s *Server) clerkFrom(ev *events.APIGatewayV2HTTPRequest) (ClerkIdentity, error) {
	az := ev.RequestContext.Authorizer
	if az == nil || az.JWT == nil || len(az.JWT.Claims) == 0 {
		return ClerkIdentity{}, kaiban.Errorf(kaiban.ErrUnauthorized, "no authorizer claims")
	}
	claims := az.JWT.Claims
	sub := claims["sub"]
	if err := kaiban.CheckKey("clerk", sub); err != nil {
		return ClerkIdentity{}, kaiban.Wrap(kaiban.ErrUnauthorized, err, "unusable subject")
	}
	if !contains(parseGroups(claims[groupsClaim]), s.clerkGroup) {
		return ClerkIdentity{}, kaiban.Errorf(kaiban.ErrForbidden, "not in the clerk group")
	}
	id := ClerkIdentity{Sub: sub}
	for _, k := range []string{"username", "cognito:username", "email"} {
		if v := claims[k]; v != "" {
			id.Username = v
			break
		}
	}
	return id, nil
}

// parseGroups reads a groups claim in every form it arrives in: API
// Gateway renders a JSON list as "[clerks admins]", tokens built by hand
// may carry a JSON array string ("[\"clerks\"]"), and a single group may
// be a bare string.
func parseGroups(v string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		var list []string
		if json.Unmarshal([]byte(v), &list) == nil {
			return list
		}
		return strings.FieldsFunc(v[1:len(v)-1], func(r rune) bool { return r == ' ' || r == ',' })
	}
	return strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
