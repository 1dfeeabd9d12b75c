# Kaiban — one-stop company start-up service.
# `make run` starts the whole service locally; `make test` runs every Go test.
GO        ?= go
GOFLAGS   ?=
PKGS      := ./...

.PHONY: run test lint fmt vet bench fuzz tidy

run: ## start the local stack (API, pages, engine, SQLite store, agency simulators)
	$(GO) run ./infra/local $(ARGS)

test: ## all Go tests with the race detector (starts its own DynamoDB-API server)
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

lint: fmt vet ## static checks

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

bench: ## benchmarks (compare ratios within one run; repeat and take medians)
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

tidy:
	$(GO) mod tidy
