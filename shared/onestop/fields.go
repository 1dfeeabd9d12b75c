package onestop

import (
	"fmt"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// fieldMessages are the texts of the API's own field errors (query
// parameters and the resolution body); the form's come from
// shared/validate.
var fieldMessages = map[string][2]string{ // field/code → {zh, en}
	"status/oneof":     {"状态须为 OPEN、CLAIMED 或 RESOLVED", "status must be OPEN, CLAIMED or RESOLVED"},
	"track/oneof":      {"事项须为七个办理事项之一或 name", "track must be one of the seven tracks or name"},
	"limit/range":      {"limit 须为 1 至 200 之间的整数", "limit must be a whole number from 1 to 200"},
	"decision/oneof":   {"处理决定须为 retry、complete、reject、acknowledge 或 correct", "decision must be retry, complete, reject, acknowledge or correct"},
	"decision/correct": {"此任务不能退回补正（没有等待中的办理事项）", "this task cannot be sent back for correction (no track waits on it)"},
	"fields/required":  {"请至少选择一个需要补正的字段", "name at least one field to correct"},
	"fields/oneof":     {"须为可补正的表单字段（见字段与办理事项对照表），且不重复", "must be a correctable form field (see the field → track map), each once"},
	"reasonCode/oneof": {"请从列表中选择补正原因", "reasonCode must be one of the listed reasons"},
	"changes/required": {"请至少修改一个字段", "change at least one field"},
	"city/ln_city":     {"city 须为辽宁省地级市代码（如 2101）或其下辖县区代码（如 210112）", "city must be the code of a Liaoning city (e.g. 2101) or of a county in it (e.g. 210112)"},
	"note/max":         {"备注不能超过 2000 个字符", "note must be at most 2000 characters"},
	"data/object":      {"data 须为 JSON 对象", "data must be a JSON object"},
	// kaiban.MaxTrackBytes: what a track completed by hand can store.
	"data/max": {fmt.Sprintf("办结数据与备注合计不能超过 %d KiB", kaiban.MaxTrackBytes>>10),
		fmt.Sprintf("data and note together must fit in %d KiB", kaiban.MaxTrackBytes>>10)},
}

func fieldError(field, code string, lang validate.Lang) kaiban.FieldError {
	m := fieldMessages[field+"/"+code]
	msg := m[0]
	if lang == validate.LangEN {
		msg = m[1]
	}
	return kaiban.FieldError{Field: field, Code: code, Message: msg}
}
