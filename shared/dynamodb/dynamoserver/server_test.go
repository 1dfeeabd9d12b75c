package dynamoserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// Another process may take a port between the moment it was found free
// and the moment the server binds it; a DynamoDB-API server already
// listening there answers ListTables as well as ours would, so the tests
// would talk to someone else's tables. moto binds a port itself and says
// which: whatever holds the port a free-port search would have handed
// out, the endpoint is the server this package started.
func TestMotoServesOnThePortItBound(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip("moto_server not on PATH: nothing to start")
	}
	squatter, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	foreign := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"TableNames":["someone-elses"]}`)
	})}
	go foreign.Serve(squatter)
	defer foreign.Close()
	_, port, _ := net.SplitHostPort(squatter.Addr().String())
	freePort = func() (string, error) { return port, nil }
	defer func() { freePort = pickFreePort }()

	s, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if s.Name != "moto" {
		t.Skipf("started %s, not moto", s.Name)
	}
	if strings.HasSuffix(s.Endpoint, ":"+port) {
		t.Fatalf("the endpoint %s is the squatter's port, not the server's", s.Endpoint)
	}
	select {
	case <-s.exited:
		t.Fatal("the server this package started has exited")
	default:
	}
}
