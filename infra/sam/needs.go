package sam

import (
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/tracks"
)

// Needs maps what each function runs (a step name of tracks.Steps, or
// APIFunction for functions/api) to the IAM actions its code can call,
// derived from the code itself: the step's handler, the store, metric and
// Step Functions calls that handler can reach, and the DynamoDB operations
// those store methods make.
type Needs map[string]map[string]bool

// APIFunction is the key of functions/api in Needs and EnvDocs.
const APIFunction = "api"

// Code-derived actions outside DynamoDB.
const (
	actionPutMetricData = "cloudwatch:PutMetricData"
	actionPublish       = "sns:Publish"
	actionSendEmail     = "ses:SendTemplatedEmail"
	actionSign          = "kms:Sign"
	actionGetPublicKey  = "kms:GetPublicKey"
)

// notifyActions are what telling the applicant takes (package notify over
// shared/aws/notifier): the message's claim in the table (put, and a
// delete when the send fails), then an SMS (SNS) or an e-mail (SES).
var notifyActions = []string{"dynamodb:PutItem", "dynamodb:DeleteItem", actionPublish, actionSendEmail}

// LoadNeeds reads the packages under root the handlers live in.
func LoadNeeds(root string) (Needs, error) {
	trackGraph, err := LoadCallGraph(filepath.Join(root, "shared", "tracks"))
	if err != nil {
		return nil, err
	}
	storeGraph, err := LoadCallGraph(filepath.Join(root, "shared", "aws", "dynamodb"))
	if err != nil {
		return nil, err
	}
	// The api function's use cases are the application service's; its
	// package shared/api only adapts events to them.
	apiGraph, err := LoadCallGraph(filepath.Join(root, "shared", "onestop"))
	if err != nil {
		return nil, err
	}
	kaibanGraph, err := LoadCallGraph(filepath.Join(root, "shared", "kaiban"))
	if err != nil {
		return nil, err
	}
	deliveryGraph, err := LoadCallGraph(filepath.Join(root, "shared", "delivery"))
	if err != nil {
		return nil, err
	}
	handlers := trackHandlerMethods()
	// viaKaiban returns the store methods the shared/kaiban helper fn
	// (MutateTrackAudited and the like, which take the store as a
	// parameter) can call.
	viaKaiban := func(fn string) []string {
		var out []string
		for _, call := range kaibanGraph.Reachable(fn) {
			if m, ok := strings.CutPrefix(call, "store."); ok {
				out = append(out, m)
			}
		}
		return out
	}
	storeActions := func(methods []string) map[string]bool {
		out := map[string]bool{}
		for _, m := range methods {
			for _, call := range storeGraph.Reachable("Store." + m) {
				if op, ok := strings.CutPrefix(call, "db."); ok {
					for _, a := range iamActions(op) {
						out[a] = true
					}
				}
			}
		}
		return out
	}

	needs := Needs{}
	for _, st := range tracks.Steps {
		if !st.Own() {
			h, ok := ownBootstraps[st.Program()]
			if !ok {
				return nil, fmt.Errorf("step %s runs the %s bootstrap, whose handler infra/sam does not know", st.Name, st.Program())
			}
			g, err := LoadCallGraph(filepath.Join(root, filepath.FromSlash(h.dir)))
			if err != nil {
				return nil, err
			}
			if !g.Has(h.method) {
				return nil, fmt.Errorf("step %s: %s has no %s", st.Name, h.dir, h.method)
			}
			needs[st.Name] = bootstrapNeeds(g.Reachable(h.method), storeActions)
			continue
		}
		method, ok := handlers[st.Name]
		if !ok {
			return nil, fmt.Errorf("step %s: cannot tell which method of shared/tracks handles it", st.Name)
		}
		var store []string
		set := map[string]bool{}
		for _, call := range trackGraph.Reachable(method) {
			switch field, m, _ := strings.Cut(call, "."); {
			case field == "store":
				store = append(store, m)
			case field == "kaiban":
				store = append(store, viaKaiban(m)...)
			case field == "metric" && m == "Publish":
				set[actionPutMetricData] = true
			case field == "notify":
				for _, a := range notifyActions {
					set[a] = true
				}
			case field == "sigs":
				// The founders' confirmations: the application
				// service's use case, its store (and the confirmations
				// part of it) and its messages.
				for _, c := range apiGraph.Reachable("Service." + m) {
					switch {
					case strings.HasPrefix(c, "store."):
						store = append(store, strings.TrimPrefix(c, "store."))
					case strings.HasPrefix(c, "confirm.Store."):
						store = append(store, strings.TrimPrefix(c, "confirm.Store."))
					case strings.HasPrefix(c, "kaiban."):
						store = append(store, viaKaiban(strings.TrimPrefix(c, "kaiban."))...)
					case strings.HasPrefix(c, "confirm.Notifier."), strings.HasPrefix(c, "notify."):
						for _, a := range notifyActions {
							set[a] = true
						}
					}
				}
			case field == "exec":
				// Reconciliation: the Step Functions calls the
				// service makes through its Executions.
				set["states:"+m] = true
			case field == "delivery":
				// Re-delivering clerk decisions: the store calls of
				// package delivery and every TaskSender method.
				for _, c := range deliveryGraph.Reachable(m) {
					if sm, ok := strings.CutPrefix(c, "store."); ok {
						store = append(store, sm)
					}
				}
				sender := reflect.TypeFor[delivery.TaskSender]()
				for i := range sender.NumMethod() {
					set["states:"+sender.Method(i).Name] = true
				}
			}
		}
		for a := range storeActions(store) {
			set[a] = true
		}
		needs[st.Name] = set
	}
	store := apiGraph.AllExternal("store")
	// Drafts are a store part of their own (kaiban.Drafts), the same
	// DynamoDB store behind it.
	store = append(store, apiGraph.AllExternal("drafts")...)
	for _, fn := range apiGraph.AllExternal("kaiban") {
		store = append(store, viaKaiban(fn)...)
	}
	set := storeActions(store)
	// The service's Workflow port names its methods after the Step
	// Functions actions its adapter makes.
	exec := reflect.TypeFor[onestop.Workflow]()
	for i := range exec.NumMethod() {
		set["states:"+exec.Method(i).Name] = true
	}
	if len(apiGraph.AllExternal("notify")) > 0 {
		for _, a := range notifyActions {
			set[a] = true
		}
	}
	// A founder's signature: signing.Sign with the platform's key, KMS
	// on AWS (shared/aws/kmssign).
	if slices.Contains(apiGraph.AllExternal("signing"), "Sign") {
		set[actionSign] = true
	}
	// The issued documents (onestop.DocumentsDeps): their store part, and
	// the object store's reads; a pre-signed download link is a GET signed
	// with the function's credentials, so it needs s3:GetObject as well.
	var docStore []string
	for _, c := range apiGraph.AllExternal("docs") {
		switch part, m, _ := strings.Cut(c, "."); part {
		case "Store":
			if m != "" {
				docStore = append(docStore, m)
			}
		case "Objects":
			if m == "GetObject" || m == "DownloadURL" {
				set["s3:GetObject"] = true
			}
		}
	}
	for a := range storeActions(docStore) {
		set[a] = true
	}
	// The documents' public key, read from KMS at start by the
	// composition root (kmssign.PublicKey).
	rootGraph, err := LoadCallGraph(filepath.Join(root, "functions", "api"))
	if err != nil {
		return nil, err
	}
	if slices.Contains(rootGraph.AllExternal("kmssign"), "PublicKey") {
		set[actionGetPublicKey] = true
	}
	needs[APIFunction] = set
	return needs, nil
}

// ownBootstraps names, for each bootstrap other than the step one
// (tracks.Step.Bootstrap), the package and method that handle its step.
var ownBootstraps = map[string]struct{ dir, method string }{
	tracks.BootstrapDocuments: {"shared/docissue", "Issuer.Handle"},
}

// bootstrapNeeds are the actions of a handler whose dependencies are the
// exported fields of its receiver (docissue.Issuer): the store parts
// (Apps, Store) by the DynamoDB operations of the methods called, the
// object store by the S3 action of the same name, the signer by kms:Sign.
func bootstrapNeeds(calls []string, storeActions func([]string) map[string]bool) map[string]bool {
	var store []string
	set := map[string]bool{}
	for _, call := range calls {
		switch field, m, _ := strings.Cut(call, "."); field {
		case "Apps", "Store":
			store = append(store, m)
		case "Objects":
			if m == "PutObject" || m == "GetObject" {
				set["s3:"+m] = true
			}
		case "Signer":
			if m == "Sign" {
				set[actionSign] = true
			}
		}
	}
	for a := range storeActions(store) {
		set[a] = true
	}
	return set
}

var methodName = regexp.MustCompile(`\(\*?([A-Za-z0-9_]+)\)\.([A-Za-z0-9_]+)`)

// trackHandlerMethods maps each function name shared/tracks registers to
// the method that implements it ("Service.Identity"; the seven tracks share
// "Service.Track"), read from the handler values themselves so a renamed
// or re-pointed handler cannot slip past the check.
func trackHandlerMethods() map[string]string {
	out := map[string]string{}
	svc := tracks.New(tracks.Deps{})
	for _, st := range tracks.Steps {
		if !st.Own() {
			continue // another bootstrap's (ownBootstraps)
		}
		name := st.Name
		fn := runtime.FuncForPC(reflect.ValueOf(st.Logic(svc)).Pointer())
		if fn == nil {
			continue
		}
		// Inlining can prefix the caller: "(*Service).Handlers.(*Service).Track.func1"
		// names the closure of Track, the last method in the chain.
		if ms := methodName.FindAllStringSubmatch(fn.Name(), -1); len(ms) > 0 {
			m := ms[len(ms)-1]
			out[name] = m[1] + "." + m[2]
		}
	}
	return out
}

// iamActions are the IAM actions a DynamoDB operation needs. IAM has no
// action of its own for TransactWriteItems: each of its items is allowed
// by the action of the write it makes (the store's transactions put and
// update items, with no ConditionCheck).
func iamActions(op string) []string {
	if op == "TransactWriteItems" {
		return []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}
	}
	return []string{"dynamodb:" + op}
}
