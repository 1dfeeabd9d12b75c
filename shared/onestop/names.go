package onestop

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/validate"
)

// NameCheckRequest is the body of a name check: a full name, or the
// form's four parts, not both.
type NameCheckRequest struct {
	Name      *string      `json:"name"`
	NameParts *names.Parts `json:"nameParts"`
}

// Limits of a name check's input, the form's own (kaiban.Company).
const (
	maxNameRunes = 100
	maxPartRunes = 30
)

// CheckName checks a proposed company name against the rules and the
// registered-names index and explains the verdict in lang. Bad input is
// kaiban.ErrValidation (or ErrMalformed) with field errors; a verdict of
// refused is an answer, not an error.
func (s *Service) CheckName(ctx context.Context, body []byte, lang validate.Lang) (names.View, error) {
	if s.names == nil {
		return names.View{}, kaiban.Errorf(kaiban.ErrConfig, "onestop: no name checker configured")
	}
	var q NameCheckRequest
	if err := validate.DecodeStrict(body, &q, lang); err != nil {
		return names.View{}, err
	}
	if fields := nameRequestFields(q, lang); len(fields) > 0 {
		return names.View{}, &kaiban.Error{Name: kaiban.ErrValidation, Message: pickLang(lang, "名称核查请求有误", "the name check request is invalid"), Fields: fields}
	}
	req := names.Request{Parts: q.NameParts}
	if q.Name != nil {
		req.Name = *q.Name
	}
	res, err := s.names.Check(ctx, req)
	if err != nil {
		return names.View{}, err
	}
	return res.In(string(lang)), nil
}

func nameRequestFields(q NameCheckRequest, lang validate.Lang) []kaiban.FieldError {
	var out []kaiban.FieldError
	bad := func(field, code, zh, en string) {
		out = append(out, kaiban.FieldError{Field: field, Code: code, Message: pickLang(lang, zh, en)})
	}
	switch {
	case (q.Name == nil) == (q.NameParts == nil):
		bad("name", "required", "请提供 name（完整名称）或 nameParts（名称各部分）之一", "give either name (the full name) or nameParts (its parts), not both")
	case q.Name != nil && strings.TrimSpace(*q.Name) == "":
		bad("name", "required", "名称不能为空", "the name is empty")
	case q.Name != nil && utf8.RuneCountInString(*q.Name) > maxNameRunes:
		bad("name", "max", "名称不能超过 100 个字符", "the name is longer than 100 characters")
	case q.NameParts != nil:
		p := q.NameParts
		for _, f := range []struct{ field, v string }{
			{"nameParts.region", p.Region}, {"nameParts.tradeName", p.TradeName}, {"nameParts.industry", p.Industry}, {"nameParts.orgForm", p.OrgForm},
		} {
			switch {
			case strings.TrimSpace(f.v) == "":
				bad(f.field, "required", "不能为空", "is required")
			case utf8.RuneCountInString(f.v) > maxPartRunes:
				bad(f.field, "max", "不能超过 30 个字符", "is longer than 30 characters")
			}
		}
	}
	return out
}

// tradeNameCodes are the reasons that concern the trade name; the form
// reports them on nameParts.tradeName, the others on name.
var tradeNameCodes = []string{"NAME_CHARSET", "NAME_TRADE_MISSING", "NAME_TRADE_TOO_SHORT", "NAME_TRADE_IS_REGION",
	"NAME_TRADE_IS_INDUSTRY", "NAME_TRADE_IS_ORG_FORM", "NAME_IDENTICAL", "NAME_STATE_WORDS", "NAME_PARTY_STATE",
	"NAME_FOREIGN", "NAME_VULGAR", "NAME_DISCRIMINATION", "NAME_MISLEADING"}

// checkFormName runs the name check on a valid form: a refused name is a
// validation error on the field it concerns (review is not: a clerk
// decides after submission).
func (s *Service) checkFormName(ctx context.Context, f *kaiban.Form, lang validate.Lang) error {
	if s.names == nil {
		return nil
	}
	p := f.Company.NameParts
	city, _ := cnid.CityOf(f.Company.Address.RegionCode)
	res, err := s.names.Check(ctx, names.Request{Parts: &names.Parts{Region: p.Region, TradeName: p.TradeName, Industry: p.Industry, OrgForm: p.OrgForm}, City: city})
	if err != nil || res.Verdict != names.Refused {
		return err
	}
	v := res.In(string(lang))
	var fields []kaiban.FieldError
	for _, r := range v.Reasons {
		field := "company.name"
		if slices.Contains(tradeNameCodes, r.Code) {
			field = "company.nameParts.tradeName"
		}
		msg := r.Message + pickLang(lang, "（", " (") + r.Rule + pickLang(lang, "）", ")")
		if len(v.Suggestions) > 0 {
			msg += pickLang(lang, "；可用名称：", "; available instead: ") + strings.Join(v.Suggestions, pickLang(lang, "、", ", "))
		}
		fields = append(fields, kaiban.FieldError{Field: field, Code: strings.ToLower(r.Code), Message: msg})
	}
	return &kaiban.Error{Name: kaiban.ErrValidation, Message: pickLang(lang, "企业名称不予登记", "the company name cannot be registered"), Fields: fields}
}

// pickLang is pick for a validation language.
func pickLang(lang validate.Lang, zh, en string) string {
	return pick(lang == validate.LangEN, zh, en)
}
