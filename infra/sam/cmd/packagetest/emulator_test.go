package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
)

// envFakeRIE makes the test binary act as the emulator: it binds the two
// addresses it is given as aws-lambda-rie does, dies of a taken one with
// the same "address already in use", and answers every invocation.
const envFakeRIE = "PACKAGETEST_FAKE_RIE"

func TestMain(m *testing.M) {
	if os.Getenv(envFakeRIE) == "1" {
		fakeRIE()
		return
	}
	os.Exit(m.Run())
}

func fakeRIE() {
	fs := flag.NewFlagSet("rie", flag.ExitOnError)
	fs.String("log-level", "", "")
	invoke := fs.String("runtime-interface-emulator-address", "", "")
	runtime := fs.String("runtime-api-address", "", "")
	_ = fs.Parse(os.Args[1:])
	rl, err := net.Listen("tcp", *runtime)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Runtime API Server failed to listen:", err)
		os.Exit(1)
	}
	defer rl.Close()
	il, err := net.Listen("tcp", *invoke)
	if err != nil {
		fmt.Fprintln(os.Stderr, "failed to listen:", err)
		os.Exit(1)
	}
	_ = http.Serve(il, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"answeredBy":"our emulator"}`)
	}))
}

// A port taken between choosing it and the emulator binding it — the
// Runtime API's, or the invoke endpoint's by something that accepts and
// never answers — costs a restart on new ports, not a failed check.
func TestEmulatorRestartsOnATakenPort(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		taken int // which pickAddr call hands out the taken address: 0 invoke, 1 runtime API
	}{
		{"runtime API port taken", 1},
		{"invoke port taken by a silent listener", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			squatter, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			var held sync.WaitGroup
			defer held.Wait()
			defer squatter.Close()
			held.Go(func() { // accept and say nothing, holding each connection open
				var conns []net.Conn
				defer func() {
					for _, c := range conns {
						c.Close()
					}
				}()
				for {
					conn, err := squatter.Accept()
					if err != nil {
						return
					}
					conns = append(conns, conn)
				}
			})
			calls := 0
			pickAddr = func() (string, error) {
				calls++
				if calls-1 == c.taken {
					return squatter.Addr().String(), nil
				}
				return freeAddr()
			}
			defer func() { pickAddr = freeAddr }()

			starts := 0
			var answer string
			err = withEmulator(context.Background(), self, self, map[string]string{envFakeRIE: "1"}, func(em *emulator) error {
				starts++
				out, err := em.invoke(context.Background(), []byte(`{}`))
				answer = string(out)
				return err
			})
			if err != nil {
				t.Fatalf("withEmulator: %v", err)
			}
			if starts != 2 {
				t.Errorf("%d starts, want 2 (one on the taken port, one on new ports)", starts)
			}
			if !strings.Contains(answer, "our emulator") {
				t.Errorf("answer %q did not come from the emulator", answer)
			}
		})
	}
}
