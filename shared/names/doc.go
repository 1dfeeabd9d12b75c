// Package names checks a proposed company name against the national rules
// (企业名称登记管理规定 2020, 企业名称禁限用规则 and 企业名称相同相近比对规则
// 2017) and the registered-names index, and explains its verdict: which
// rule applies, which registered names conflict and why, and up to three
// names that pass instead.
//
// A name is region + trade name (字号) + industry words + organisational
// form. Its registry is the prefecture-level city of its region; names of
// different registries never conflict. The word lists, the industry
// synonym table (GB/T 4754 divisions) and the character tables are
// embedded data files, not code. The package knows no transport and no
// store: the index is a kaiban.NameIndex.
package names
