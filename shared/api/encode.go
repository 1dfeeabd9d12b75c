package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// errorBody is the one error shape of the API.
type errorBody struct {
	Errors []kaiban.FieldError `json:"errors"`
}

// jsonHeaders are sent with every JSON answer: API answers are personal
// and must not be cached anywhere.
func jsonHeaders() map[string]string {
	return map[string]string{
		"Content-Type":           "application/json; charset=utf-8",
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	}
}

// jsonResponse encodes v. Encoding can only fail for a programming error
// (an unencodable type), which is answered 500 in the error shape.
func jsonResponse(status int, v any) events.APIGatewayV2HTTPResponse {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{Errors: []kaiban.FieldError{{Code: kaiban.ErrInternal, Message: message(kaiban.ErrInternal, "")}}})
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: jsonHeaders(), Body: string(b)}
}

func writeErrors(status int, fields []kaiban.FieldError) events.APIGatewayV2HTTPResponse {
	return jsonResponse(status, errorBody{Errors: fields})
}

// errorResponse answers err in the error shape. Field errors from the
// validator keep their fields and messages (already in the request's
// language); every other error becomes one entry with field "" and its
// stable name, with a message chosen here so no internal text leaks.
func errorResponse(lang validate.Lang, err error) events.APIGatewayV2HTTPResponse {
	status := kaiban.HTTPStatus(err)
	name := kaiban.ErrorName(err)
	var fields []kaiban.FieldError
	var ke *kaiban.Error
	if errors.As(err, &ke) && len(ke.Fields) > 0 {
		switch ke.Name {
		case kaiban.ErrValidation, kaiban.ErrMalformed, kaiban.ErrTooLarge:
			fields = ke.Fields
		}
	}
	if len(fields) == 0 {
		fields = []kaiban.FieldError{{Code: name, Message: message(name, lang)}}
	}
	resp := writeErrors(status, fields)
	if status == http.StatusUnauthorized {
		resp.Headers["WWW-Authenticate"] = `Bearer realm="kaiban"`
	}
	return resp
}

// jsonBody returns the body of a JSON request: application/json in UTF-8,
// at most validate.MaxBodyBytes, base64-decoded if API Gateway encoded it.
func jsonBody(ev *events.APIGatewayV2HTTPRequest) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(header(ev, "content-type"))
	if err != nil || mt != "application/json" {
		return nil, kaiban.Errorf(kaiban.ErrUnsupportedMedia, "content type must be application/json")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, kaiban.Errorf(kaiban.ErrUnsupportedMedia, "charset must be utf-8")
	}
	var body []byte
	if ev.IsBase64Encoded {
		// Bound the work before decoding.
		if base64.StdEncoding.DecodedLen(len(ev.Body)) > validate.MaxBodyBytes+2 {
			return nil, kaiban.Errorf(kaiban.ErrTooLarge, "body too large")
		}
		body, err = base64.StdEncoding.DecodeString(ev.Body)
		if err != nil {
			return nil, kaiban.Errorf(kaiban.ErrMalformed, "body is not valid base64")
		}
	} else {
		body = []byte(ev.Body)
	}
	if len(body) > validate.MaxBodyBytes {
		return nil, kaiban.Errorf(kaiban.ErrTooLarge, "body too large")
	}
	if len(body) == 0 {
		return nil, kaiban.Errorf(kaiban.ErrMalformed, "empty body")
	}
	return body, nil
}

// decodeBody reads the request's JSON body strictly into v (unknown and
// repeated fields refused, every problem with its path), with messages in
// the request's language.
func decodeBody(r *request, v any) error {
	body, err := jsonBody(r.ev)
	if err != nil {
		return err
	}
	return validate.DecodeStrict(body, v, r.lang)
}
