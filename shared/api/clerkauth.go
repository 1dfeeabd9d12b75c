package api

import (
	"strings"
	"unicode"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// groupsClaim is where Cognito puts a user's groups.
const groupsClaim = "cognito:groups"

// clerkFrom reads the clerk from the claims API Gateway's JWT authorizer
// put in the request context (already validated by the gateway): no claims
// or no usable subject is 401, a subject outside the clerk group 403.
func (s *Server) clerkFrom(ev *events.APIGatewayV2HTTPRequest) (kaiban.ClerkIdentity, error) {
	az := ev.RequestContext.Authorizer
	if az == nil || az.JWT == nil || len(az.JWT.Claims) == 0 {
		return kaiban.ClerkIdentity{}, kaiban.Errorf(kaiban.ErrUnauthorized, "no authorizer claims")
	}
	claims := az.JWT.Claims
	sub := claims["sub"]
	if err := kaiban.CheckKey("clerk", sub); err != nil {
		return kaiban.ClerkIdentity{}, kaiban.Wrap(kaiban.ErrUnauthorized, err, "unusable subject")
	}
	groups := parseGroups(claims[groupsClaim])
	if !contains(groups, s.clerkGroup) {
		return kaiban.ClerkIdentity{}, kaiban.Errorf(kaiban.ErrForbidden, "not in the clerk group")
	}
	id := kaiban.ClerkIdentity{Sub: sub, Groups: groups}
	for _, k := range []string{"username", "cognito:username", "email"} {
		if v := claims[k]; v != "" {
			id.Username = v
			break
		}
	}
	return id, nil
}

// parseGroups reads the groups claim in the one form it arrives in. Cognito
// puts cognito:groups in the token as a JSON array, and the HTTP API's JWT
// authorizer (and the local one, which renders claims the same way) hands
// it to the function as a string: the names inside square brackets,
// separated by single spaces ("[clerks admins]"). Cognito group names
// cannot contain white space, so the split is unambiguous. Anything else
// (a bare string, commas, a JSON string or array written into a string
// claim) is not how the gateway renders a group list, so it grants
// nothing: a looser reading would let a hand-made string claim such as
// "x,clerks" pass for membership.
func parseGroups(v string) []string {
	inner, ok := strings.CutPrefix(v, "[")
	if !ok {
		return nil
	}
	if inner, ok = strings.CutSuffix(inner, "]"); !ok || inner == "" {
		return nil
	}
	groups := strings.Split(inner, " ")
	for _, g := range groups {
		if g == "" || strings.ContainsFunc(g, unicode.IsSpace) {
			return nil
		}
	}
	return groups
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
