package validate

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strconv"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// MaxBodyBytes is the largest request body accepted (64 KiB). A complete
// form with 50 shareholders is well under 32 KiB.
const MaxBodyBytes = 64 << 10

// bodyField is the Field of errors about the body as a whole.
const bodyField = "body"

// codeMalformed is the Code of every decoding error.
const codeMalformed = "malformed"

// maxDecodeErrors bounds the field errors one body can produce.
const maxDecodeErrors = 20

// DecodeForm strictly decodes a request body into a form. Unknown or
// duplicate fields (matched case-sensitively), wrong types, trailing data,
// invalid UTF-8 and bodies over MaxBodyBytes give a *kaiban.Error named
// kaiban.ErrMalformed (kaiban.ErrTooLarge for size) whose Fields have code
// "malformed" and the JSON path of the offending value, or "body".
func (v *Validator) DecodeForm(body []byte, lang Lang) (kaiban.Form, error) {
	var f kaiban.Form
	if err := DecodeStrict(body, &f, lang); err != nil {
		return kaiban.Form{}, err
	}
	return f, nil
}

// StrictUnmarshal decodes JSON into v with the same strictness as
// DecodeForm, with messages in Chinese. Other handlers use it for their
// own inputs; DecodeStrict chooses the language.
func StrictUnmarshal(data []byte, v any) error {
	return DecodeStrict(data, v, LangZH)
}

// DecodeStrict is StrictUnmarshal with messages in lang. v must be a
// non-nil pointer.
//
// encoding/json alone is lenient in ways a public API must not be: it
// matches keys case-insensitively, keeps the last of duplicate keys and,
// with DisallowUnknownFields, reports only the first problem without its
// array index. So a first pass walks the tokens alongside v's type and
// reports every problem with its full path; only a body that passes is
// handed to encoding/json.
func DecodeStrict(data []byte, v any, lang Lang) error {
	lang = lang.normalize()
	switch {
	case len(data) > MaxBodyBytes:
		return bodyError(kaiban.ErrTooLarge, lang, msgTooLarge)
	case !utf8.Valid(data):
		return bodyError(kaiban.ErrMalformed, lang, msgNotUTF8)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return kaiban.Errorf(kaiban.ErrInternal, "validate: DecodeStrict needs a non-nil pointer, got %T", v)
	}
	w := &walker{dec: json.NewDecoder(bytes.NewReader(data)), lang: lang}
	w.dec.UseNumber()
	w.root(rv.Type().Elem())
	if len(w.fields) > 0 {
		return &kaiban.Error{Name: kaiban.ErrMalformed, Message: text(lang, msgMalformed), Fields: w.fields}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		e := bodyError(kaiban.ErrMalformed, lang, msgMalformed)
		e.Err = err
		return e
	}
	return nil
}

func bodyError(name string, lang Lang, id msgID) *kaiban.Error {
	return &kaiban.Error{Name: name, Message: text(lang, id),
		Fields: []kaiban.FieldError{{Field: bodyField, Code: codeMalformed, Message: text(lang, id)}}}
}

// walker checks a JSON document against a Go type, token by token.
type walker struct {
	dec    *json.Decoder
	lang   Lang
	fields []kaiban.FieldError
	broken bool // a syntax error: nothing after it can be trusted
}

// maxDepth bounds nesting for recursive types; the form nests 4 deep.
const maxDepth = 64

func (w *walker) root(t reflect.Type) {
	tok, err := w.dec.Token()
	if err == io.EOF {
		w.fail(bodyField, text(w.lang, msgEmpty))
		return
	}
	if err != nil {
		w.syntax()
		return
	}
	if k := deref(t).Kind(); tok == nil && (k == reflect.Struct || k == reflect.Map) {
		w.fail(bodyField, text(w.lang, msgNotObject))
		return
	}
	w.value(tok, t, "", 0)
	if w.broken {
		return
	}
	if _, err := w.dec.Token(); err != io.EOF {
		w.fail(bodyField, text(w.lang, msgTrailing))
	}
}

func (w *walker) value(tok json.Token, t reflect.Type, path string, depth int) {
	t = deref(t)
	if tok == nil {
		return // null leaves the value unchanged, as in encoding/json
	}
	if depth > maxDepth {
		w.fail(orBody(path), text(w.lang, msgTooDeep))
		w.broken = true
		return
	}
	if opaque(t, tok) {
		w.skip(tok)
		return
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch {
		case tok == '{' && t.Kind() == reflect.Struct:
			w.object(t, path, depth)
		case tok == '{' && t.Kind() == reflect.Map:
			w.mapObject(t, path, depth)
		case tok == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			w.array(t.Elem(), path, depth)
		default:
			w.wrongType(path, t)
			w.skip(tok)
		}
	case string:
		if t.Kind() != reflect.String && !(t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8) {
			w.wrongType(path, t)
		}
	case json.Number:
		if !numberFits(tok, t) {
			w.wrongType(path, t)
		}
	case bool:
		if t.Kind() != reflect.Bool {
			w.wrongType(path, t)
		}
	}
}

func (w *walker) object(t reflect.Type, path string, depth int) {
	fields := structFields(t)
	seen := make(map[string]bool, len(fields))
	for !w.broken {
		key, done := w.key()
		if done {
			return
		}
		p := join(path, key)
		tok, err := w.dec.Token()
		if err != nil {
			w.syntax()
			return
		}
		ft, known := fields[key]
		switch {
		case seen[key]:
			w.fail(p, text(w.lang, msgDuplicateField))
			w.skip(tok)
		case !known:
			w.fail(p, text(w.lang, msgUnknownField))
			w.skip(tok)
		default:
			w.value(tok, ft, p, depth+1)
		}
		seen[key] = true
	}
}

func (w *walker) mapObject(t reflect.Type, path string, depth int) {
	seen := map[string]bool{}
	for !w.broken {
		key, done := w.key()
		if done {
			return
		}
		p := join(path, key)
		tok, err := w.dec.Token()
		if err != nil {
			w.syntax()
			return
		}
		if seen[key] {
			w.fail(p, text(w.lang, msgDuplicateField))
			w.skip(tok)
			continue
		}
		seen[key] = true
		w.value(tok, t.Elem(), p, depth+1)
	}
}

// key reads an object key, or reports done at the closing brace.
func (w *walker) key() (key string, done bool) {
	tok, err := w.dec.Token()
	if err != nil {
		w.syntax()
		return "", true
	}
	if d, ok := tok.(json.Delim); ok && d == '}' {
		return "", true
	}
	key, _ = tok.(string) // the decoder only returns strings in key position
	return key, false
}

func (w *walker) array(elem reflect.Type, path string, depth int) {
	for i := 0; !w.broken; i++ {
		tok, err := w.dec.Token()
		if err != nil {
			w.syntax()
			return
		}
		if d, ok := tok.(json.Delim); ok && d == ']' {
			return
		}
		w.value(tok, elem, index(path, i), depth+1)
	}
}

// skip consumes the rest of a value whose first token is tok.
func (w *walker) skip(tok json.Token) {
	d, ok := tok.(json.Delim)
	if !ok || d == '}' || d == ']' {
		return
	}
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			w.syntax()
			return
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

func (w *walker) syntax() {
	w.broken = true
	w.fields = w.fields[:0]
	w.fail(bodyField, text(w.lang, msgSyntax))
}

func (w *walker) wrongType(path string, t reflect.Type) {
	w.fail(orBody(path), text(w.lang, msgWrongType)+kindText(w.lang, jsonKind(t)))
}

func (w *walker) fail(path, msg string) {
	if len(w.fields) < maxDecodeErrors {
		w.fields = append(w.fields, kaiban.FieldError{Field: path, Code: codeMalformed, Message: msg})
	}
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
)

// opaque reports whether a value of type t is decoded by its own code
// (json.RawMessage, time.Time, interfaces) rather than field by field.
func opaque(t reflect.Type, tok json.Token) bool {
	if t.Kind() == reflect.Interface || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return true
	}
	_, isString := tok.(string)
	return isString && reflect.PointerTo(t).Implements(textUnmarshaler)
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func orBody(path string) string {
	if path == "" {
		return bodyField
	}
	return path
}

// numberFits reports whether the JSON number n can be stored in t without
// loss: whole numbers in range for integer types, finite numbers in range
// for floats.
func numberFits(n json.Number, t reflect.Type) bool {
	var err error
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err = strconv.ParseInt(string(n), 10, t.Bits())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		_, err = strconv.ParseUint(string(n), 10, t.Bits())
	case reflect.Float32, reflect.Float64:
		_, err = strconv.ParseFloat(string(n), t.Bits())
	default:
		return false
	}
	return err == nil
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}
