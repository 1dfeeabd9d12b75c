// Command local runs the whole Kaiban service on one machine: `make run`.
//
//	go run ./infra/local [--addr 127.0.0.1:8080] [--data .kaiban] [--agency-profile demo|instant|realistic] [--agencies URL]
//	                     [--store sqlite|dynamodb] [--dynamodb-endpoint URL]
//
// It needs nothing but Go: no Docker, no AWS account, no Node (and, for
// --store dynamodb without an endpoint, moto_server).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kaiban:", err)
		os.Exit(1)
	}
}
