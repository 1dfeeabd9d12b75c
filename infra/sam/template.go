package sam

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template is a SAM template read into maps, slices and strings, with
// CloudFormation's short-form tags turned into their long form (!Ref X
// becomes {"Ref": "X"}, !GetAtt A.B becomes {"Fn::GetAtt": ["A", "B"]}),
// so a check can tell a reference from a literal.
type Template struct {
	Root      map[string]any
	Resources map[string]Resource
}

// Resource is one entry of the template's Resources.
type Resource struct {
	Type       string
	Properties map[string]any
	Metadata   map[string]any
}

// ParseTemplate reads a SAM template.
func ParseTemplate(src []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	root, ok := nodeValue(&doc).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("template: not a mapping")
	}
	t := &Template{Root: root, Resources: map[string]Resource{}}
	res, _ := root["Resources"].(map[string]any)
	for id, v := range res {
		m, _ := v.(map[string]any)
		r := Resource{Properties: asMap(m["Properties"]), Metadata: asMap(m["Metadata"])}
		r.Type, _ = m["Type"].(string)
		t.Resources[id] = r
	}
	return t, nil
}

// OfType returns the logical IDs of the resources of type typ, sorted.
func (t *Template) OfType(typ string) []string {
	var ids []string
	for id, r := range t.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// FunctionProperty returns a function's property, falling back to the
// Globals section as SAM does.
func (t *Template) FunctionProperty(id, name string) any {
	if v, ok := t.Resources[id].Properties[name]; ok {
		return v
	}
	return path(t.Root, "Globals", "Function", name)
}

// EnvironmentNames returns the environment variables a function gets, its
// own and the Globals', sorted.
func (t *Template) EnvironmentNames(id string) []string {
	names := map[string]bool{}
	for _, v := range []any{
		path(t.Root, "Globals", "Function", "Environment", "Variables"),
		path(t.Resources[id].Properties, "Environment", "Variables"),
	} {
		for k := range asMap(v) {
			names[k] = true
		}
	}
	return sortedKeys(names)
}

func nodeValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return nodeValue(n.Content[0])
	case yaml.AliasNode:
		return nodeValue(n.Alias)
	}
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = nodeValue(n.Content[i+1])
		}
		v = m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			l = append(l, nodeValue(c))
		}
		v = l
	default:
		v = n.Value
	}
	tag, ok := strings.CutPrefix(n.Tag, "!")
	if !ok || strings.HasPrefix(tag, "!") { // "!!str" and other YAML core tags
		return v
	}
	switch tag {
	case "Ref", "Condition":
		return map[string]any{tag: v}
	case "GetAtt":
		if s, ok := v.(string); ok {
			a, b, _ := strings.Cut(s, ".")
			v = []any{a, b}
		}
	}
	return map[string]any{"Fn::" + tag: v}
}

var subRef = regexp.MustCompile(`\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}`)

// Refs returns the logical IDs and parameters that v refers to through Ref,
// Fn::GetAtt or a ${Name} in Fn::Sub, sorted. Pseudo parameters
// (AWS::Region) are left out.
func Refs(v any) []string {
	out := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				switch k {
				case "Ref":
					if s, ok := c.(string); ok && !strings.HasPrefix(s, "AWS::") {
						out[s] = true
					}
				case "Fn::GetAtt":
					if l, ok := c.([]any); ok && len(l) > 0 {
						if s, ok := l[0].(string); ok {
							out[s] = true
						}
					}
				case "Fn::Sub":
					s, _ := c.(string)
					if l, ok := c.([]any); ok && len(l) > 0 {
						s, _ = l[0].(string)
					}
					for _, m := range subRef.FindAllStringSubmatch(s, -1) {
						out[m[1]] = true
					}
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return sortedKeys(out)
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
