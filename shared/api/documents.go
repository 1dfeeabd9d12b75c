package api

import (
	"context"
	"encoding/base64"
	"html"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/validate"
)

// applicationDocuments: GET /v1/applications/{id}/documents with the
// access token → {"documents":[…]}, each with a short-lived link.
func (s *Server) applicationDocuments(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	token, err := requiredToken(r, "access token")
	if err != nil {
		return noResponse, err
	}
	v, err := s.svc.Documents(r.service(ctx), r.params["id"], token, r.lang)
	if err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, r.params["id"])
	resp := jsonResponse(http.StatusOK, v)
	resp.Headers["Cache-Control"] = "no-store" // the links are short-lived
	return resp, nil
}

// applicationDocumentsZip: GET /v1/applications/{id}/documents.zip with
// the access token → every document in one zip ("download all").
func (s *Server) applicationDocumentsZip(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	token, err := requiredToken(r, "access token")
	if err != nil {
		return noResponse, err
	}
	z, err := s.svc.DocumentsArchive(r.service(ctx), r.params["id"], token)
	if err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, r.params["id"])
	return binaryResponse(z, "application/zip", r.params["id"]+"-documents.zip"), nil
}

// clerkDocuments: GET /v1/clerk/applications/{id}/documents, the same
// list for a clerk.
func (s *Server) clerkDocuments(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	v, err := s.svc.ClerkDocuments(r.service(ctx), r.params["id"], r.lang)
	if err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, r.params["id"])
	resp := jsonResponse(http.StatusOK, v)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

// verifyDocument: POST /v1/documents/verify with the document's bytes as
// the body (any content type) → {"valid", "revoked"?, "document"?}.
func (s *Server) verifyDocument(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := rawBody(r.ev, onestop.MaxVerifyBytes)
	if err != nil {
		return noResponse, err
	}
	v, err := s.svc.VerifyDocument(r.service(ctx), body)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, v), nil
}

// documentsPublicKey: GET /.well-known/kaiban-documents.pem, the key that
// verifies the documents' signatures.
func (s *Server) documentsPublicKey(context.Context, *request) (events.APIGatewayV2HTTPResponse, error) {
	p, err := s.svc.DocumentsPublicKey()
	if err != nil {
		return noResponse, err
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusOK, Body: string(p), Headers: map[string]string{
		"Content-Type": "application/x-pem-file", "Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}}, nil
}

// documentParticulars: GET /v1/documents/{id}/particulars → the public
// particulars and validity the verification page shows.
func (s *Server) documentParticulars(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	p, err := s.svc.DocumentParticulars(r.service(ctx), r.params["id"], r.lang)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, p), nil
}

// objectContent: GET /v1/objects/content?key=…&exp=…&sig=…, a download
// link of the local stack, checked before its bytes are served.
func (s *Server) objectContent(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	q := url.Values{}
	for k, v := range r.ev.QueryStringParameters {
		q.Set(k, v)
	}
	d, err := s.svc.OpenDownloadLink(r.service(ctx), q)
	if err != nil {
		return noResponse, err
	}
	return binaryResponse(d.Body, d.MediaType, d.Filename), nil
}

// binaryResponse answers with body as an attachment named filename.
func binaryResponse(body []byte, mediaType, filename string) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusOK, IsBase64Encoded: true,
		Body: base64.StdEncoding.EncodeToString(body), Headers: map[string]string{
			"Content-Type":           mediaType,
			"Content-Disposition":    mime.FormatMediaType("attachment", map[string]string{"filename": filename}),
			"X-Content-Type-Options": "nosniff",
			// An SVG opened from here runs no script of ours' origin.
			"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
			"Cache-Control":           "private, no-store",
		}}
}

// rawBody is the request's body as bytes, at most limit of them.
func rawBody(ev *events.APIGatewayV2HTTPRequest, limit int) ([]byte, error) {
	var body []byte
	if ev.IsBase64Encoded {
		if base64.StdEncoding.DecodedLen(len(ev.Body)) > limit+2 {
			return nil, kaiban.Errorf(kaiban.ErrTooLarge, "body too large")
		}
		b, err := base64.StdEncoding.DecodeString(ev.Body)
		if err != nil {
			return nil, kaiban.Errorf(kaiban.ErrMalformed, "body is not valid base64")
		}
		body = b
	} else {
		body = []byte(ev.Body)
	}
	if len(body) > limit {
		return nil, kaiban.Errorf(kaiban.ErrTooLarge, "body too large")
	}
	if len(body) == 0 {
		return nil, kaiban.Errorf(kaiban.ErrMalformed, "empty body")
	}
	return body, nil
}

// verifyPage: GET /verify/{id}, the public page a licence's QR code
// opens: its particulars and whether it is valid (or revoked), in Chinese
// or, with ?lang=en or Accept-Language: en, English.
func (s *Server) verifyPage(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	lang := r.lang
	if r.ev.QueryStringParameters["lang"] == "en" {
		lang = validate.LangEN
	}
	p, err := s.svc.DocumentParticulars(r.service(ctx), r.params["id"], lang)
	status := http.StatusOK
	if err != nil {
		if kaiban.HTTPStatus(err) >= 500 {
			return noResponse, err
		}
		status = http.StatusNotFound
	}
	l := verifyLabels[validate.LangZH]
	if lang == validate.LangEN {
		l = verifyLabels[validate.LangEN]
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Body: renderVerifyPage(l, p, err == nil, lang == validate.LangEN), Headers: map[string]string{
		"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": ContentSecurityPolicy,
		"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "Cache-Control": "no-cache"}}, nil
}

type verifyText struct {
	Title, Valid, Revoked, Invalid, NotFound, Company, CreditCode, LegalRep, Date, Authority, Document string
}

var verifyLabels = map[validate.Lang]verifyText{
	validate.LangZH: {Title: "开办 · 文件核验", Valid: "有效：本文件由平台签发，签名核验通过。", Revoked: "已撤销：本文件曾由平台签发，其登记已被撤回。",
		Invalid: "无效：签名或文件内容核验未通过。", NotFound: "未找到该文件。", Company: "名称", CreditCode: "统一社会信用代码",
		LegalRep: "法定代表人", Date: "签发日期", Authority: "登记机关", Document: "文件"},
	validate.LangEN: {Title: "Kaiban · Document verification", Valid: "Valid: issued by the platform, signature verified.",
		Revoked: "Revoked: issued by the platform, but its registration was withdrawn.", Invalid: "Not valid: the signature or the content does not verify.",
		NotFound: "No such document.", Company: "Name", CreditCode: "Unified social credit code", LegalRep: "Legal representative",
		Date: "Date of issue", Authority: "Registration authority", Document: "Document"},
}

// renderVerifyPage writes the verification page, every value escaped. It
// is built by hand: html/template would add megabytes to the api
// bootstrap (its reflection keeps every exported method linked).
func renderVerifyPage(l verifyText, p onestop.DocumentParticulars, found, en bool) string {
	e := html.EscapeString
	var b strings.Builder
	lang := "zh-CN"
	if en {
		lang = "en"
	}
	b.WriteString(`<!doctype html>
<html lang="` + lang + `"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + e(l.Title) + `</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main class="verify"><h1>` + e(l.Title) + `</h1>
`)
	switch {
	case !found:
		b.WriteString(`<p id="verdict" data-verdict="notfound">` + e(l.NotFound) + "</p>\n")
	case p.Valid:
		b.WriteString(`<p id="verdict" data-verdict="valid" class="ok">` + e(l.Valid) + "</p>\n")
	case p.Revoked:
		b.WriteString(`<p id="verdict" data-verdict="revoked" class="bad">` + e(l.Revoked) + "</p>\n")
	default:
		b.WriteString(`<p id="verdict" data-verdict="invalid" class="bad">` + e(l.Invalid) + "</p>\n")
	}
	if found {
		b.WriteString("<dl>\n")
		for _, row := range [][3]string{
			{l.Document, "", p.Title},
			{l.Company, "company", p.Company},
			{l.CreditCode, "creditCode", p.CreditCode},
			{l.LegalRep, "", p.LegalRepresentative},
			{l.Date, "", p.IssuedAt.Format("2006-01-02")},
			{l.Authority, "", p.Authority},
		} {
			id := ""
			if row[1] != "" {
				id = ` id="` + row[1] + `"`
			}
			b.WriteString("<dt>" + e(row[0]) + "</dt><dd" + id + ">" + e(row[2]) + "</dd>\n")
		}
		b.WriteString("</dl>\n")
	}
	b.WriteString("</main></body></html>\n")
	return b.String()
}
