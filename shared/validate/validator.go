package validate

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/zh"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Validator checks forms. Build it once with New and share it: it is safe
// for concurrent use (validator caches struct metadata on first use).
type Validator struct {
	v     *validator.Validate
	trans map[Lang]ut.Translator
}

// New builds the validator: custom tags, struct-level rules, and the zh and
// en translations.
func New() *Validator {
	v, err := build()
	if err != nil {
		// Registration only fails on a programming error in this package
		// (a bad tag or message), which every test run catches.
		panic(err)
	}
	return v
}

func build() (*Validator, error) {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(jsonName)
	for tag, fn := range fieldTags {
		if err := v.RegisterValidationCtx(tag, fn); err != nil {
			return nil, fmt.Errorf("validate: tag %s: %w", tag, err)
		}
	}
	v.RegisterStructValidationCtx(formRules, kaiban.Form{})
	v.RegisterStructValidation(companyRules, kaiban.Company{})
	v.RegisterStructValidation(invoiceRules, kaiban.Invoice{})
	v.RegisterStructValidation(bankRules, kaiban.Bank{})

	zhLocale, enLocale := zh.New(), en.New()
	uni := ut.New(zhLocale, zhLocale, enLocale)
	zhT, _ := uni.GetTranslator("zh")
	enT, _ := uni.GetTranslator("en")
	if err := registerBuiltinMessages(v, zhT, enT); err != nil {
		return nil, err
	}
	if err := registerMessages(v, zhT, enT); err != nil {
		return nil, err
	}
	return &Validator{v: v, trans: map[Lang]ut.Translator{LangZH: zhT, LangEN: enT}}, nil
}

// jsonName makes validator name fields by their JSON names, so error paths
// are what the client sent (shareholders[1].idNumber), never Go names.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return name
}

// Validate checks every rule and returns nil or a *kaiban.Error named
// kaiban.ErrValidation listing every failing field once (the first rule
// that fails for it), in form order.
//
// now is the submission time; date rules (adult, not in the past, the
// 5-year capital rule) use its calendar day in China Standard Time.
//
// Validate first rewrites the names in f to their normalised form (NFKC,
// see charset.go), which is the form to store: the rules check that form.
func (v *Validator) Validate(f *kaiban.Form, now time.Time, lang Lang) error {
	lang = lang.normalize()
	if f == nil {
		return &kaiban.Error{Name: kaiban.ErrValidation, Message: text(lang, msgInvalidForm),
			Fields: []kaiban.FieldError{{Field: bodyField, Code: "required", Message: text(lang, msgEmpty)}}}
	}
	normalizeNames(f)
	ctx := context.WithValue(context.Background(), nowKey{}, now)
	err := v.v.StructCtx(ctx, f)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return kaiban.Wrap(kaiban.ErrInternal, err, "validation could not run")
	}
	return v.toError(verrs, lang)
}

// Check decodes body strictly and validates the form. The decoded form,
// with its names normalised, is returned whenever decoding succeeded, even
// if validation failed.
func (v *Validator) Check(body []byte, now time.Time, lang Lang) (kaiban.Form, error) {
	f, err := v.DecodeForm(body, lang)
	if err != nil {
		return kaiban.Form{}, err
	}
	return f, v.Validate(&f, now, lang)
}

// toError converts validator's errors into the one error shape, keeping
// the first error of each field.
func (v *Validator) toError(verrs validator.ValidationErrors, lang Lang) *kaiban.Error {
	trans := v.trans[lang]
	fields := make([]kaiban.FieldError, 0, len(verrs))
	seen := make(map[string]bool, len(verrs))
	for _, fe := range verrs {
		path := jsonPath(fe.Namespace())
		if seen[path] {
			continue
		}
		seen[path] = true
		msg := fe.Translate(trans)
		if msg == "" || msg == fe.Error() {
			msg = text(lang, msgInvalidValue) // a tag without a translation: never show Go internals
		}
		fields = append(fields, kaiban.FieldError{Field: path, Code: fe.Tag(), Message: msg})
	}
	return &kaiban.Error{Name: kaiban.ErrValidation, Message: text(lang, msgInvalidForm), Fields: fields}
}

// jsonPath drops the top-level struct name validator puts in front of the
// namespace ("Form.company.name" → "company.name").
func jsonPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}
