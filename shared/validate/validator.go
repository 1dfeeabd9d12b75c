package validate

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Validator checks forms. Build it once with New and share it: it is safe
// for concurrent use (the compiled tags are cached per struct type).
type Validator struct {
	e *engine
}

// New builds the validator: built-in and custom tags, struct-level rules,
// with the form's tags compiled up front.
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
	checks := make(map[string]check, len(fieldTags))
	for tag, fn := range fieldTags {
		if _, builtin := builtins[tag]; builtin {
			return nil, fmt.Errorf("validate: tag %s is a built-in", tag)
		}
		checks[tag] = fn
	}
	e := &engine{checks: checks, structRules: map[reflect.Type]func(context.Context, *structLevel){
		reflect.TypeFor[kaiban.Form]():    formRules,
		reflect.TypeFor[kaiban.Company](): noContext(companyRules),
		reflect.TypeFor[kaiban.Invoice](): noContext(invoiceRules),
		reflect.TypeFor[kaiban.Bank]():    noContext(bankRules),
	}}
	if _, err := e.validate(context.Background(), &kaiban.Form{}); err != nil {
		return nil, err // a tag of the form does not compile
	}
	return &Validator{e: e}, nil
}

// noContext adapts a struct-level rule that needs no submission time.
func noContext(rule func(*structLevel)) func(context.Context, *structLevel) {
	return func(_ context.Context, sl *structLevel) { rule(sl) }
}

// jsonName names fields by their JSON names, so error paths
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
	errs, err := v.e.validate(ctx, f)
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInternal, err, "validation could not run")
	}
	if len(errs) == 0 {
		return nil
	}
	return toError(errs, lang)
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

// toError puts failed rules into the one error shape, keeping the first
// error of each field.
func toError(errs []fieldErr, lang Lang) *kaiban.Error {
	fields := make([]kaiban.FieldError, 0, len(errs))
	seen := make(map[string]bool, len(errs))
	for _, fe := range errs {
		if seen[fe.path] {
			continue
		}
		seen[fe.path] = true
		fields = append(fields, kaiban.FieldError{Field: fe.path, Code: fe.tag, Message: fe.message(lang)})
	}
	return &kaiban.Error{Name: kaiban.ErrValidation, Message: text(lang, msgInvalidForm), Fields: fields}
}
