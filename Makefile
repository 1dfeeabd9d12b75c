# Kaiban — one-stop company start-up service.
# `make run` starts the whole service locally; `make test` runs every Go test.
GO        ?= go
PKGS      := ./...

.PHONY: run test lint fmt vet cfn-lint asl-lint openapi-lint package-test bench bench-peer load e2e sim fuzz generate tidy

run: ## start the local stack (API, pages, engine, SQLite or DynamoDB store, agency simulators)
	$(GO) run ./infra/local $(ARGS)

test: ## all Go tests with the race detector (starts its own DynamoDB-API server)
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

lint: fmt vet cfn-lint asl-lint openapi-lint ## static checks: gofmt, go vet, cfn-lint on template.yaml, asl-validator on the definitions, Redocly on the OpenAPI document

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

# cfn-lint is a Python tool; where it is missing, pip is tried once, and a
# machine that still has none fails loudly rather than skipping the check.
cfn-lint:
	@command -v cfn-lint >/dev/null 2>&1 || python3 -m pip install --quiet --retries 1 --timeout 15 cfn-lint >/dev/null 2>&1 || true
	@command -v cfn-lint >/dev/null 2>&1 || { echo "*** cfn-lint not found and 'pip install cfn-lint' failed: install it (README, Deploy to AWS) ***" >&2; exit 1; }
	cfn-lint template.yaml

# asl-validator is pinned by infra/lint/package-lock.json and installed
# from it on first use.
asl-lint:
	@test -x infra/lint/node_modules/.bin/asl-validator || (cd infra/lint && npm ci --no-audit --no-fund)
	@for f in workflow/*.asl.json; do infra/lint/node_modules/.bin/asl-validator --json-path "$$f" || exit 1; done

# Redocly CLI (pinned beside asl-validator) checks the published API
# document with its recommended rules (infra/lint/redocly.yaml); no
# telemetry, no update check.
openapi-lint:
	@test -x infra/lint/node_modules/.bin/redocly || (cd infra/lint && npm ci --no-audit --no-fund)
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true infra/lint/node_modules/.bin/redocly lint --config infra/lint/redocly.yaml --format=stylish shared/api/openapi.json

package-test: ## every function as a bootstrap under the Lambda Runtime Interface Emulator
	$(GO) run ./infra/sam/cmd/packagetest $(ARGS)

# ---- sam build (BuildMethod: makefile) ----------------------------------
# SAM runs `make build-<LogicalId>` with ARTIFACTS_DIR set. AGENCY_CONFIG,
# when set, names a per-city agency configuration that is bundled next to
# each step function's bootstrap (template parameter AgencyConfigFile).
# -gcflags=all=-l: no inlining. The functions wait on the network, not the
# CPU, and without inlining each bootstrap is about 0.8 MB smaller, which is
# what the 10 MB budget (cold starts) is about.
LAMBDA_BUILD = CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -gcflags=all=-l -o $(ARTIFACTS_DIR)/bootstrap
BUNDLE_AGENCY_CONFIG = $(if $(AGENCY_CONFIG),cp $(AGENCY_CONFIG) $(ARTIFACTS_DIR)/,@true)

build-ApiFunction:
	$(LAMBDA_BUILD) ./functions/api
# The documents step has a bootstrap of its own: rendering carries fonts and
# the PDF library, which the step bootstrap's budget has no room for.
build-DocumentsFunction:
	$(LAMBDA_BUILD) ./functions/documents
# Every other function is a step of shared/tracks.Steps: the same
# bootstrap, which runs the handler the template's KAIBAN_STEP names.
build-%Function:
	$(LAMBDA_BUILD) ./functions/step
	$(BUNDLE_AGENCY_CONFIG)

e2e: ## browser tests (Debian chromium + playwright-core) against a fresh local stack
	bash infra/e2e/run.sh

sim: ## the agency simulators on their own
	$(GO) run ./infra/sim/cmd/agencysim --addr 127.0.0.1:8090 --profile demo

bench: ## Go benchmarks (compare ratios within one run; repeat and take medians)
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./workflow/engine/ ./infra/stack/sqlite/ ./shared/validate/ ./shared/api/

bench-peer: ## the engine against aws-local-stepfunctions on infra/bench (only the peer is installed, outside the repo)
	bash infra/bench/peer.sh

load: ## POST /v1/applications at RATE/s (200) for DURATION (30s) against a fresh local stack in its own process
	bash infra/local/loadtest.sh

fuzz: ## a short run of every fuzz target
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 30s ./shared/validate
	$(GO) test -run '^$$' -fuzz FuzzHandle -fuzztime 30s ./shared/api
	$(GO) test -run '^$$' -fuzz FuzzConfirmations -fuzztime 20s ./shared/api
	$(GO) test -run '^$$' -fuzz FuzzCompilePath -fuzztime 20s ./workflow/engine/expr
	$(GO) test -run '^$$' -fuzz FuzzCompileIntrinsic -fuzztime 20s ./workflow/engine/expr
	$(GO) test -run '^$$' -fuzz FuzzChoiceRule -fuzztime 20s ./workflow/engine/expr
	$(GO) test -run '^$$' -fuzz FuzzFastDecode -fuzztime 20s ./workflow/engine/expr
	$(GO) test -run '^$$' -fuzz FuzzTemplate -fuzztime 30s ./workflow/engine/jsonata
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 20s ./workflow/engine
	$(GO) test -run '^$$' -fuzz FuzzDecodeResponse -fuzztime 20s ./shared/agency
	$(GO) test -run '^$$' -fuzz FuzzRender -fuzztime 30s ./shared/documents

generate: ## regenerate workflow/onestop.asl.json and the template's generated regions from the catalog of steps
	$(GO) generate ./workflow

tidy:
	$(GO) mod tidy
