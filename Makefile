# Kaiban — one-stop company start-up service.
# `make run` starts the whole service locally; `make test` runs every Go test.
GO        ?= go
PKGS      := ./...

.PHONY: run test lint fmt vet bench bench-peer e2e sim fuzz generate tidy

run: ## start the local stack (API, pages, engine, SQLite store, agency simulators)
	$(GO) run ./infra/local $(ARGS)

test: ## all Go tests with the race detector (starts its own DynamoDB-API server)
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

lint: fmt vet ## static checks

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

e2e: ## browser tests (Debian chromium + playwright-core) against a fresh local stack
	bash infra/e2e/run.sh

sim: ## the agency simulators on their own
	$(GO) run ./infra/sim/cmd/agencysim --addr 127.0.0.1:8090 --profile demo

bench: ## Go benchmarks (compare ratios within one run; repeat and take medians)
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./workflow/engine/ ./shared/sqlite/ ./shared/validate/ ./shared/api/

bench-peer: ## the engine against aws-local-stepfunctions on the shared benchmark
	bash infra/bench/peer.sh

fuzz: ## a short run of every fuzz target
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 30s ./shared/validate
	$(GO) test -run '^$$' -fuzz FuzzHandle -fuzztime 30s ./shared/api
	$(GO) test -run '^$$' -fuzz FuzzCompilePath -fuzztime 20s ./workflow/engine/expr
	$(GO) test -run '^$$' -fuzz FuzzCompileIntrinsic -fuzztime 20s ./workflow/engine/expr
	$(GO) test -run '^$$' -fuzz FuzzChoiceRule -fuzztime 20s ./workflow/engine/expr
	$(GO) test -run '^$$' -fuzz FuzzDecodeResponse -fuzztime 20s ./shared/agency

generate: ## regenerate workflow/onestop.asl.json from its generator
	$(GO) generate ./workflow

tidy:
	$(GO) mod tidy
