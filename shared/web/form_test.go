package web

import (
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/refdata"
	"github.com/kaiban/kaiban/shared/validate"
)

// control is one data-path element of the portal's form.
type control struct {
	path     string
	dataType string
	options  []string // values of <option>s (select) or checkboxes (set)
}

// formControls returns the portal's data-path controls, with row templates
// expanded once per group that uses them ({i} → 0, {group} → the group).
func formControls(t *testing.T) map[string]control {
	t.Helper()
	doc := mustPage(t, "/")
	templates := map[string]*html.Node{}
	groupsOf := map[string][]string{} // template id → groups
	walk(doc, func(el *html.Node, _ bool) {
		id, _ := attr(el, "id")
		if el.Data == "template" {
			templates[id] = el
		}
		if tpl, ok := attr(el, "data-template"); ok {
			g, _ := attr(el, "data-group")
			groupsOf[tpl] = append(groupsOf[tpl], g)
		}
	})
	out := map[string]control{}
	add := func(el *html.Node, expand func(string) string) {
		p, ok := attr(el, "data-path")
		if !ok {
			return
		}
		c := control{path: expand(p)}
		c.dataType, _ = attr(el, "data-type")
		walk(el, func(o *html.Node, _ bool) {
			v, has := attr(o, "value")
			typ, _ := attr(o, "type")
			if has && v != "" && (o.Data == "option" || typ == "checkbox") {
				c.options = append(c.options, v)
			}
		})
		if _, dup := out[c.path]; dup {
			t.Errorf("two controls fill %s", c.path)
		}
		out[c.path] = c
	}
	walk(doc, func(el *html.Node, inTpl bool) {
		if !inTpl {
			add(el, func(s string) string { return s })
		}
	})
	for id, tpl := range templates {
		for _, g := range groupsOf[id] {
			r := strings.NewReplacer("{i}", "0", "{n}", "1", "{group}", g)
			walk(tpl, func(el *html.Node, _ bool) { add(el, r.Replace) })
		}
	}
	return out
}

// formFields returns every JSON path of kaiban.Form that holds a value
// (slices of structs as [0]) with its Go field.
func formFields() map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	var rec func(t reflect.Type, prefix string)
	rec = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			name := jsonName(f)
			if name == "" {
				continue
			}
			p := name
			if prefix != "" {
				p = prefix + "." + name
			}
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch {
			case ft.Kind() == reflect.Struct:
				rec(ft, p)
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				rec(ft.Elem(), p+"[0]")
			default:
				out[p] = f
			}
		}
	}
	rec(reflect.TypeOf(kaiban.Form{}), "")
	return out
}

// The form on the page and the API's Form are the same form: every input
// fills a real field, with the JSON type the field has, and every field has
// an input.
func TestPortalFormMatchesTheAPIForm(t *testing.T) {
	controls := formControls(t)
	fields := formFields()
	for p, c := range controls {
		f, ok := fields[p]
		if !ok {
			t.Errorf("the page fills %s, which kaiban.Form does not have", p)
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		want := map[reflect.Kind]string{
			reflect.Int: "int", reflect.Int64: "int", reflect.Float64: "float",
			reflect.Bool: "bool", reflect.Slice: "set", reflect.String: "",
		}[ft.Kind()]
		if c.dataType != want {
			t.Errorf("%s: data-type %q, want %q for Go %s", p, c.dataType, want, ft)
		}
	}
	for p := range fields {
		if _, ok := controls[p]; !ok {
			t.Errorf("kaiban.Form has %s but the page has no input for it", p)
		}
	}
}

var oneof = regexp.MustCompile(`oneof=([^,]+)`)

// Every choice the page offers is one the API accepts, and every value the
// API accepts is offered.
func TestPortalChoicesMatchTheRules(t *testing.T) {
	controls := formControls(t)
	fields := formFields()
	checked := 0
	for p, f := range fields {
		m := oneof.FindStringSubmatch(f.Tag.Get("validate"))
		if m == nil {
			continue
		}
		checked++
		want := strings.Fields(m[1])
		got := slices.Clone(controls[p].options)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s offers %v, the rules accept %v", p, got, want)
		}
	}
	if checked < 5 {
		t.Errorf("only %d enumerated fields checked; the oneof tags moved?", checked)
	}
}

// The example behind the "fill example" button is a complete, valid form
// (the page moves its dates relative to today; here the clock is set to a
// day on which the file's own dates are valid).
func TestExampleIsAValidForm(t *testing.T) {
	body, _, ok := Asset("/static/example.json")
	if !ok {
		t.Fatal("example.json not served")
	}
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, cst)
	f, err := validate.New().Check(body, now, validate.LangZH)
	if err != nil {
		var ke *kaiban.Error
		if errors.As(err, &ke) {
			for _, fe := range ke.Fields {
				t.Errorf("%s: %s (%s)", fe.Field, fe.Message, fe.Code)
			}
		}
		t.Fatalf("example.json is not valid: %v", err)
	}
	if len(f.Shareholders) < 2 || len(f.Tax.Invoices) == 0 || f.Manager == nil {
		t.Errorf("the example should show repeatable rows and the optional manager: %d shareholders, %d invoices, manager %v",
			len(f.Shareholders), len(f.Tax.Invoices), f.Manager != nil)
	}
}

// The bank select offers exactly the banks whose branches the branch
// picker lists (shared/refdata), so every bank has branches to pick.
func TestPortalBanksMatchTheBranchList(t *testing.T) {
	var want []string
	for _, b := range refdata.Banks() {
		want = append(want, b.Code)
	}
	got := slices.DeleteFunc(slices.Clone(formControls(t)["bank.bankCode"].options), func(v string) bool { return v == "" })
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the page offers banks %v, the branch list has %v", got, want)
	}
}
