package onestop

import (
	"fmt"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// auditReasons says what each verification reason means, in Chinese and
// English.
var auditReasons = map[string][2]string{
	kaiban.AuditEdited:       {"记录被修改（与其签名不符）", "an event was edited (it does not match its MAC)"},
	kaiban.AuditInserted:     {"记录被插入", "an event was inserted"},
	kaiban.AuditDeleted:      {"记录被删除", "an event was deleted"},
	kaiban.AuditReordered:    {"记录顺序被改变", "events were reordered"},
	kaiban.AuditTruncated:    {"链头签名无效：最新记录被删除或链头被改写", "the head's signature is invalid: the newest events were deleted or the head rewritten"},
	kaiban.AuditStateDiffers: {"当前数据与审计记录不符", "state differs from the audit trail"},
	kaiban.AuditNotCovered:   {"未被审计记录覆盖", "not covered by the audit trail"},
}

// auditFields names the checked fields; tracks and tasks are named by
// their prefix.
var auditFields = map[string][2]string{
	"audit":      {"审计链", "audit chain"},
	"form":       {"申请表", "form"},
	"status":     {"申请状态", "application status"},
	"creditCode": {"统一社会信用代码", "credit code"},
}

// auditProblemMessage renders p for a person: the field, what is wrong and
// the event it concerns.
func auditProblemMessage(p kaiban.AuditProblem, lang validate.Lang) string {
	i := 0
	if lang == validate.LangEN {
		i = 1
	}
	field := p.Field
	if f, ok := auditFields[p.Field]; ok {
		field = f[i]
	} else if rest, ok := strings.CutPrefix(p.Field, "tracks."); ok {
		name, part, _ := strings.Cut(rest, ".")
		field = [2]string{"事项 " + name + " 的" + map[string]string{"status": "状态", "result": "办理结果"}[part],
			"track " + name + " " + part}[i]
	} else if rest, ok := strings.CutPrefix(p.Field, "tasks."); ok {
		id, part, _ := strings.Cut(rest, ".")
		field = [2]string{"待办 " + id + map[string]string{"": "", "status": " 的状态", "decision": " 的处理决定"}[part],
			strings.TrimSpace("task " + id + " " + part)}[i]
	}
	reason := p.Reason
	if r, ok := auditReasons[p.Reason]; ok {
		reason = r[i]
	}
	switch {
	case p.Seq == 0 && i == 0:
		return field + "：" + reason
	case p.Seq == 0:
		return field + ": " + reason
	case i == 0:
		return fmt.Sprintf("%s：%s（第 %d 条记录）", field, reason, p.Seq)
	}
	return fmt.Sprintf("%s: %s (event %d)", field, reason, p.Seq)
}
