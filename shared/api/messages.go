package api

import (
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// messages holds the client-facing text of every error the API answers
// with field "", in Chinese and English. Store and SDK messages are never
// shown: they are written for logs.
var messages = map[string][2]string{ // name → {zh, en}
	kaiban.ErrValidation:             {"表单填写有误，请按提示修改", "The form has errors; please correct the fields listed"},
	kaiban.ErrMalformed:              {"请求格式不正确", "The request is malformed"},
	kaiban.ErrTooLarge:               {"请求内容过大（上限 64 KiB）", "The request body is too large (limit 64 KiB)"},
	kaiban.ErrUnsupportedMedia:       {"请求内容类型必须为 application/json", "The request must be application/json"},
	kaiban.ErrNotFound:               {"未找到该资源", "Not found"},
	kaiban.ErrUnauthorized:           {"请先登录或提供有效的访问令牌", "A valid token is required"},
	kaiban.ErrForbidden:              {"您没有执行此操作的权限", "You are not allowed to do this"},
	kaiban.ErrIdempotencyConflict:    {"该幂等键已用于另一份申请", "This Idempotency-Key was used for a different request"},
	kaiban.ErrVersionConflict:        {"数据已被他人修改，请刷新后重试", "The data changed meanwhile; reload and try again"},
	kaiban.ErrTaskClaimed:            {"该任务已被其他工作人员认领", "Another clerk has claimed this task"},
	kaiban.ErrTaskNotClaimed:         {"请先认领该任务", "Claim this task before resolving it"},
	kaiban.ErrTaskResolved:           {"该任务已处理完毕", "This task is already resolved"},
	kaiban.ErrInput:                  {"请求参数不正确", "The request is invalid"},
	kaiban.ErrStoreUnavailable:       {"服务暂时繁忙，请稍后重试", "The service is busy; please retry shortly"},
	kaiban.ErrWorkflowUnavailable:    {"服务暂时繁忙，请稍后重试", "The service is busy; please retry shortly"},
	kaiban.ErrAgencyUnavailable:      {"服务暂时繁忙，请稍后重试", "The service is busy; please retry shortly"},
	kaiban.ErrInternal:               {"系统内部错误，请稍后重试", "Internal error; please retry later"},
	CodeMethodNotAllowed:             {"不支持该请求方法", "Method not allowed"},
	kaiban.ErrConfirmationDecided:    {"您已作出决定，不能再次签署或拒绝", "You have already decided; the decision cannot be made again"},
	kaiban.ErrConfirmationUnverified: {"请先完成身份核验", "Verify your identity first"},
	kaiban.ErrRatingExists:           {"该申请已评价，每件申请只能评价一次", "This application has been rated; each is rated once"},
	kaiban.ErrRatingNotEnded:         {"申请办结或终止后才能评价", "An application can be rated once it has ended"},
	kaiban.ErrNotAwaitingCorrection:  {"该申请当前无需补正", "This application is not waiting for a correction"},
	kaiban.ErrApplicationFinished:    {"该申请已办结或终止，状态不能再更改", "This application has finished; its status can no longer change"},
}

// message returns the text for an error name in lang (Chinese unless
// lang is English); unknown names get the internal-error text.
func message(name string, lang validate.Lang) string {
	m, ok := messages[name]
	if !ok {
		m = messages[kaiban.ErrInternal]
	}
	if lang == validate.LangEN {
		return m[1]
	}
	return m[0]
}
