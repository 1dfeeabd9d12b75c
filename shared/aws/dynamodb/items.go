package dynamodb

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Key prefixes and fixed sort keys.
const (
	skMeta    = "META"
	skIdem    = "IDEM"
	skTask    = "TASK"
	skAudit   = "AUDIT#"
	dueShards = 8
	kindApp   = "APP"
	kindTask  = "TASK"
	kindIdem  = "IDEM"
	kindAudit = "AUDIT"
	kindMsg   = "MSG"
)

func appPK(id string) string   { return "APP#" + id }
func idemPK(key string) string { return "IDEM#" + key }
func taskPK(id string) string  { return "TASK#" + id }
func auditSK(seq int64) string { return fmt.Sprintf("%s%020d", skAudit, seq) }

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: pk},
		attrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

// dueShard spreads open applications over the GSI2 partitions.
func dueShard(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return dueShardName(int(h.Sum32() % dueShards))
}

func dueShardName(n int) string { return "DUE#" + strconv.Itoa(n) }

// timeLayout is fixed-width so times sort as strings.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func fmtTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return fmtTime(*t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "a stored time is unreadable")
	}
	return t.UTC(), nil
}

func parseTimePtr(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := parseTime(s)
	return &t, err
}

// appItem is the application item (SK=META).
type appItem struct {
	PK          string               `dynamodbav:"PK"`
	SK          string               `dynamodbav:"SK"`
	Kind        string               `dynamodbav:"kind"`
	ID          string               `dynamodbav:"id"`
	Status      string               `dynamodbav:"status"`
	Form        string               `dynamodbav:"form"`
	CreditCode  string               `dynamodbav:"creditCode,omitempty"`
	SubmittedAt string               `dynamodbav:"submittedAt"`
	Deadline    string               `dynamodbav:"deadline"`
	CompletedAt string               `dynamodbav:"completedAt,omitempty"`
	Message     string               `dynamodbav:"message,omitempty"`
	UpdatedAt   string               `dynamodbav:"updatedAt"`
	Lang        string               `dynamodbav:"lang,omitempty"`
	TokenHash   []byte               `dynamodbav:"tokenHash"`
	Tracks      map[string]trackItem `dynamodbav:"tracks"`
	AuditSeq    int64                `dynamodbav:"auditSeq"`
	AuditHash   string               `dynamodbav:"auditHash"`
	AuditMAC    string               `dynamodbav:"auditMac"`
	Pending     *auditItem           `dynamodbav:"auditPending,omitempty"`
	GSI2PK      string               `dynamodbav:"GSI2PK,omitempty"`
	GSI2SK      string               `dynamodbav:"GSI2SK,omitempty"`
}

// trackItem is one track inside the application item.
type trackItem struct {
	Status     string `dynamodbav:"status"`
	Attempts   int    `dynamodbav:"attempts"`
	StartedAt  string `dynamodbav:"startedAt,omitempty"`
	FinishedAt string `dynamodbav:"finishedAt,omitempty"`
	Result     string `dynamodbav:"result,omitempty"`
	Message    string `dynamodbav:"message,omitempty"`
	Version    int64  `dynamodbav:"version"`
}

func toTrackItem(t kaiban.Track, version int64) trackItem {
	return trackItem{
		Status: string(t.Status), Attempts: t.Attempts, StartedAt: fmtTimePtr(t.StartedAt), FinishedAt: fmtTimePtr(t.FinishedAt),
		Result: string(t.Result), Message: t.Message, Version: version,
	}
}

func (ti trackItem) track(name kaiban.TrackName) (kaiban.Track, error) {
	t := kaiban.Track{Name: name, Status: kaiban.TrackStatus(ti.Status), Attempts: ti.Attempts, Message: ti.Message, Version: ti.Version}
	if ti.Result != "" {
		t.Result = json.RawMessage(ti.Result)
	}
	var err error
	if t.StartedAt, err = parseTimePtr(ti.StartedAt); err != nil {
		return t, err
	}
	t.FinishedAt, err = parseTimePtr(ti.FinishedAt)
	return t, err
}

// newAppItem builds the item of a new application; form is the JSON to
// store (already sealed when the store seals).
func newAppItem(a kaiban.Application, form []byte, tokenHash [32]byte) appItem {
	updated := a.UpdatedAt
	if updated.IsZero() {
		updated = a.SubmittedAt
	}
	it := appItem{
		PK: appPK(a.ID), SK: skMeta, Kind: kindApp, ID: a.ID, Status: string(a.Status), Form: string(form),
		CreditCode: a.CreditCode, SubmittedAt: fmtTime(a.SubmittedAt), Deadline: fmtTime(a.Deadline),
		CompletedAt: fmtTimePtr(a.CompletedAt), Message: a.Message, UpdatedAt: fmtTime(updated), Lang: a.Lang,
		TokenHash: tokenHash[:], Tracks: map[string]trackItem{},
	}
	for _, t := range kaiban.NewTracks() {
		it.Tracks[string(t.Name)] = toTrackItem(t, 0)
	}
	if !a.Status.Terminal() {
		it.GSI2PK, it.GSI2SK = dueShard(a.ID), it.Deadline
	}
	return it
}

// idemItem is an idempotency record, written in the same transaction as
// the application it names; a replaying caller reads the application's ID
// and the sealed token from it.
type idemItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	Kind        string `dynamodbav:"kind"`
	BodyHash    string `dynamodbav:"bodyHash"`
	AppID       string `dynamodbav:"applicationId"`
	Sealed      []byte `dynamodbav:"sealed,omitempty"`
	TokenHash   []byte `dynamodbav:"tokenHash"`
	Status      string `dynamodbav:"status"`
	SubmittedAt string `dynamodbav:"submittedAt"`
	Deadline    string `dynamodbav:"deadline"`
	UpdatedAt   string `dynamodbav:"updatedAt"`
	ExpiresAt   int64  `dynamodbav:"expiresAt"` // epoch seconds, the table's TTL attribute
}

// taskItem is a clerk task.
type taskItem struct {
	PK            string `dynamodbav:"PK"`
	SK            string `dynamodbav:"SK"`
	Kind          string `dynamodbav:"kind"`
	ID            string `dynamodbav:"id"`
	ApplicationID string `dynamodbav:"applicationId"`
	Track         string `dynamodbav:"track"`
	TaskKind      string `dynamodbav:"taskKind"`
	Status        string `dynamodbav:"status"`
	ErrorName     string `dynamodbav:"errorName,omitempty"`
	Reason        string `dynamodbav:"reason,omitempty"`
	TaskToken     string `dynamodbav:"taskToken,omitempty"`
	Deadline      string `dynamodbav:"deadline"`
	Priority      int    `dynamodbav:"priority"`
	CreatedAt     string `dynamodbav:"createdAt"`
	ClaimedBy     string `dynamodbav:"claimedBy,omitempty"`
	ClaimedAt     string `dynamodbav:"claimedAt,omitempty"`
	ResolvedBy    string `dynamodbav:"resolvedBy,omitempty"`
	ResolvedAt    string `dynamodbav:"resolvedAt,omitempty"`
	Decision      string `dynamodbav:"decision,omitempty"`
	Note          string `dynamodbav:"note,omitempty"`
	Data          string `dynamodbav:"data,omitempty"`
	DeliveredAt   string `dynamodbav:"deliveredAt,omitempty"`
	GSI1PK        string `dynamodbav:"GSI1PK"`
	GSI1SK        string `dynamodbav:"GSI1SK"`
	GSI2PK        string `dynamodbav:"GSI2PK,omitempty"`
	GSI2SK        string `dynamodbav:"GSI2SK,omitempty"`
	GSI3PK        string `dynamodbav:"GSI3PK,omitempty"`
	GSI3SK        string `dynamodbav:"GSI3SK,omitempty"`
}

func queuePK(status kaiban.TaskStatus) string { return "TASKS#" + string(status) }

// queueSK orders a status partition: priority (highest first), deadline,
// creation, ID.
func queueSK(priority int, deadline, created, id string) string {
	return fmt.Sprintf("%010d#%s#%s#%s", kaiban.MaxPriority-priority, deadline, created, id)
}

func appTasksPK(appID string) string { return "APPTASKS#" + appID }

// undeliveredPK is the GSI2 partition of resolved tasks whose decision has
// not reached its workflow yet; the sort key is the resolution time and ID.
const undeliveredPK = "UNDELIVERED"

func newTaskItem(t kaiban.ClerkTask) taskItem {
	it := taskItem{
		PK: taskPK(t.ID), SK: skTask, Kind: kindTask, ID: t.ID, ApplicationID: t.ApplicationID, Track: t.Track,
		TaskKind: string(t.Kind), Status: string(kaiban.TaskOpen), ErrorName: t.ErrorName, Reason: t.Reason,
		TaskToken: t.TaskToken, Deadline: fmtTime(t.Deadline), Priority: t.Priority, CreatedAt: fmtTime(t.CreatedAt),
		Data: string(t.Data),
	}
	it.GSI1PK, it.GSI1SK = queuePK(kaiban.TaskOpen), queueSK(it.Priority, it.Deadline, it.CreatedAt, it.ID)
	it.GSI2PK, it.GSI2SK = appTasksPK(t.ApplicationID), it.CreatedAt+"#"+it.ID
	return it
}

func (it taskItem) task() (kaiban.ClerkTask, error) {
	t := kaiban.ClerkTask{
		ID: it.ID, ApplicationID: it.ApplicationID, Track: it.Track, Kind: kaiban.TaskKind(it.TaskKind),
		Status: kaiban.TaskStatus(it.Status), ErrorName: it.ErrorName, Reason: it.Reason, TaskToken: it.TaskToken,
		Priority: it.Priority, ClaimedBy: it.ClaimedBy, ResolvedBy: it.ResolvedBy, Decision: kaiban.Decision(it.Decision),
		Note: it.Note,
	}
	if it.Data != "" {
		t.Data = json.RawMessage(it.Data)
	}
	var err error
	if t.Deadline, err = parseTime(it.Deadline); err != nil {
		return t, err
	}
	if t.CreatedAt, err = parseTime(it.CreatedAt); err != nil {
		return t, err
	}
	if t.ClaimedAt, err = parseTimePtr(it.ClaimedAt); err != nil {
		return t, err
	}
	if t.ResolvedAt, err = parseTimePtr(it.ResolvedAt); err != nil {
		return t, err
	}
	t.DeliveredAt, err = parseTimePtr(it.DeliveredAt)
	return t, err
}

// auditItem is one audit event (and, inside the application item, the
// pending one).
type auditItem struct {
	PK            string `dynamodbav:"PK,omitempty"`
	SK            string `dynamodbav:"SK,omitempty"`
	Kind          string `dynamodbav:"kind,omitempty"`
	ApplicationID string `dynamodbav:"applicationId"`
	Seq           int64  `dynamodbav:"seq"`
	Time          string `dynamodbav:"time"`
	Actor         string `dynamodbav:"actor"`
	Action        string `dynamodbav:"action"`
	Before        string `dynamodbav:"before,omitempty"`
	After         string `dynamodbav:"after,omitempty"`
	PrevHash      string `dynamodbav:"prevHash"`
	Hash          string `dynamodbav:"hash"`
}

func toAuditItem(e kaiban.AuditEvent) auditItem {
	return auditItem{
		PK: appPK(e.ApplicationID), SK: auditSK(e.Seq), Kind: kindAudit, ApplicationID: e.ApplicationID, Seq: e.Seq,
		Time: fmtTime(e.Time), Actor: e.Actor, Action: e.Action, Before: string(e.Before), After: string(e.After),
		PrevHash: e.PrevHash, Hash: e.Hash,
	}
}

func (it auditItem) event() (kaiban.AuditEvent, error) {
	e := kaiban.AuditEvent{ApplicationID: it.ApplicationID, Seq: it.Seq, Actor: it.Actor, Action: it.Action, PrevHash: it.PrevHash, Hash: it.Hash}
	if it.Before != "" {
		e.Before = json.RawMessage(it.Before)
	}
	if it.After != "" {
		e.After = json.RawMessage(it.After)
	}
	var err error
	e.Time, err = parseTime(it.Time)
	return e, err
}

func marshal(v any) (map[string]types.AttributeValue, error) {
	m, err := attributevalue.MarshalMap(v)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the item")
	}
	return m, nil
}

func unmarshal(m map[string]types.AttributeValue, v any) error {
	if err := attributevalue.UnmarshalMap(m, v); err != nil {
		return kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "a stored item is unreadable")
	}
	return nil
}

// maxItemBytes is DynamoDB's item size limit.
const maxItemBytes = 400 * 1024

// itemSize is DynamoDB's measure of an item: attribute names plus values.
func itemSize(m map[string]types.AttributeValue) int {
	n := 0
	for k, v := range m {
		n += len(k) + valueSize(v)
	}
	return n
}

func valueSize(v types.AttributeValue) int {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return len(v.Value)
	case *types.AttributeValueMemberN:
		return len(v.Value)/2 + 1
	case *types.AttributeValueMemberB:
		return len(v.Value)
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberM:
		n := 3
		for k, e := range v.Value {
			n += len(k) + valueSize(e) + 1
		}
		return n
	case *types.AttributeValueMemberL:
		n := 3
		for _, e := range v.Value {
			n += valueSize(e) + 1
		}
		return n
	case *types.AttributeValueMemberSS:
		n := 0
		for _, e := range v.Value {
			n += len(e)
		}
		return n
	}
	return 0
}

// checkSize refuses an item DynamoDB would refuse, before anything is
// written.
func checkSize(m map[string]types.AttributeValue) error {
	if itemSize(m) > maxItemBytes {
		return kaiban.Errorf(kaiban.ErrInput, "the item is larger than %d bytes", maxItemBytes)
	}
	return nil
}
