package dynamodb

import (
	"os"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"gopkg.in/yaml.v3"
)

// yamlValue turns a node into maps, slices and strings, reading through
// CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, ...), which a
// plain yaml.Unmarshal refuses.
func yamlValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return yamlValue(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = yamlValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			l = append(l, yamlValue(c))
		}
		return l
	case yaml.AliasNode:
		return yamlValue(n.Alias)
	}
	return n.Value
}

func parseTemplate(tb testing.TB, src []byte) map[string]any {
	tb.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		tb.Fatalf("template.yaml: %v", err)
	}
	m, ok := yamlValue(&doc).(map[string]any)
	if !ok {
		tb.Fatal("template.yaml is not a mapping")
	}
	return m
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

func TestYAMLReaderTakesCloudFormationTags(t *testing.T) {
	src := []byte(`
Resources:
  Fn:
    Properties:
      Table: !Ref ApplicationsTable
      Arn: !GetAtt ApplicationsTable.Arn
      Name: !Sub "${AWS::StackName}-x"
      Joined: !Join [":", [a, b]]
`)
	m := parseTemplate(t, src)
	props := path(m, "Resources", "Fn", "Properties")
	want := map[string]any{"Table": "ApplicationsTable", "Arn": "ApplicationsTable.Arn", "Name": "${AWS::StackName}-x",
		"Joined": []any{":", []any{"a", "b"}}}
	if !reflect.DeepEqual(props, want) {
		t.Errorf("got %#v", props)
	}
}

// TestTemplateMatchesTableSchema keeps template.yaml and TableSchema in
// step: the keys, indexes and TTL attribute the code relies on are the ones
// CloudFormation creates, and the table is protected as the handbook asks.
func TestTemplateMatchesTableSchema(t *testing.T) {
	src, err := os.ReadFile("../../../template.yaml")
	if err != nil {
		t.Fatalf("template.yaml: %v", err)
	}
	tbl := path(parseTemplate(t, src), "Resources", "ApplicationsTable")
	if tbl == nil {
		t.Fatal("template.yaml has no Resources.ApplicationsTable")
	}
	if typ := path(tbl, "Type"); typ != "AWS::DynamoDB::Table" {
		t.Fatalf("ApplicationsTable has type %v", typ)
	}
	props := path(tbl, "Properties")
	sc := TableSchema()

	type kv = map[string]string
	var wantAttrs, gotAttrs []kv
	for _, a := range sc.AttributeDefinitions {
		wantAttrs = append(wantAttrs, kv{"AttributeName": aws.ToString(a.AttributeName), "AttributeType": string(a.AttributeType)})
	}
	for _, a := range asList(path(props, "AttributeDefinitions")) {
		gotAttrs = append(gotAttrs, kv{"AttributeName": str2(path(a, "AttributeName")), "AttributeType": str2(path(a, "AttributeType"))})
	}
	sortKV(wantAttrs, "AttributeName")
	sortKV(gotAttrs, "AttributeName")
	if !reflect.DeepEqual(gotAttrs, wantAttrs) {
		t.Errorf("AttributeDefinitions: template %v, code %v", gotAttrs, wantAttrs)
	}

	keys := func(v any) []kv {
		var out []kv
		for _, k := range asList(v) {
			out = append(out, kv{"AttributeName": str2(path(k, "AttributeName")), "KeyType": str2(path(k, "KeyType"))})
		}
		return out
	}
	var wantKey []kv
	for _, k := range sc.KeySchema {
		wantKey = append(wantKey, kv{"AttributeName": aws.ToString(k.AttributeName), "KeyType": string(k.KeyType)})
	}
	if got := keys(path(props, "KeySchema")); !reflect.DeepEqual(got, wantKey) {
		t.Errorf("KeySchema: template %v, code %v", got, wantKey)
	}

	gotGSI := map[string]any{}
	for _, g := range asList(path(props, "GlobalSecondaryIndexes")) {
		gotGSI[str2(path(g, "IndexName"))] = map[string]any{"keys": keys(path(g, "KeySchema")), "projection": str2(path(g, "Projection", "ProjectionType"))}
	}
	wantGSI := map[string]any{}
	for _, g := range sc.GlobalSecondaryIndexes {
		var ks []kv
		for _, k := range g.KeySchema {
			ks = append(ks, kv{"AttributeName": aws.ToString(k.AttributeName), "KeyType": string(k.KeyType)})
		}
		wantGSI[aws.ToString(g.IndexName)] = map[string]any{"keys": ks, "projection": string(g.Projection.ProjectionType)}
	}
	if !reflect.DeepEqual(gotGSI, wantGSI) {
		t.Errorf("GlobalSecondaryIndexes: template %v, code %v", gotGSI, wantGSI)
	}

	checks := []struct {
		what string
		got  any
		want string
	}{
		{"TTL attribute", path(props, "TimeToLiveSpecification", "AttributeName"), sc.TTLAttribute},
		{"TTL enabled", path(props, "TimeToLiveSpecification", "Enabled"), "true"},
		{"billing mode", path(props, "BillingMode"), string(sc.BillingMode)},
		{"point-in-time recovery", path(props, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"), "true"},
		{"encryption at rest", path(props, "SSESpecification", "SSEEnabled"), "true"},
		{"KMS encryption", path(props, "SSESpecification", "SSEType"), "KMS"},
		{"deletion policy", path(tbl, "DeletionPolicy"), "Retain"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: template has %v, want %s", c.what, c.got, c.want)
		}
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func str2(v any) string {
	s, _ := v.(string)
	return s
}

func sortKV(l []map[string]string, k string) {
	sort.Slice(l, func(i, j int) bool { return l[i][k] < l[j][k] })
}
