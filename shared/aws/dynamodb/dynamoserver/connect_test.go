package dynamoserver

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"testing"
)

// Connect names a moto_server "moto", so its clients send one request at a
// time (moto's conditional writes are atomic only then), and any other
// server that answers ListTables "external"; an endpoint that does not
// answer as DynamoDB is refused at once rather than at the first write.
func TestConnectNamesTheServer(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"TableNames":[]}`)
	}))
	defer other.Close()
	notDynamo := httptest.NewServer(http.NotFoundHandler())
	defer notDynamo.Close()
	cases := []struct {
		name, endpoint, want string
		wantErr              bool
	}{
		{"another DynamoDB-API server", other.URL, "external", false},
		{"not DynamoDB", notDynamo.URL, "", true},
		{"nothing listening", "http://127.0.0.1:1", "", true},
		{"not a URL", "127.0.0.1:8000", "", true},
	}
	if _, err := exec.LookPath("moto_server"); err == nil {
		s, err := Start(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Stop()
		if s.Name == "moto" {
			cases = append(cases, struct {
				name, endpoint, want string
				wantErr              bool
			}{"moto_server", s.Endpoint, "moto", false})
		}
	} else {
		t.Log("moto_server not on PATH: the moto case is not run")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Connect(context.Background(), c.endpoint)
			if c.wantErr {
				if err == nil {
					t.Fatalf("Connect(%s) = %+v, want an error", c.endpoint, s)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != c.want || s.Endpoint != c.endpoint {
				t.Errorf("Connect(%s) = %s at %s, want %s", c.endpoint, s.Name, s.Endpoint, c.want)
			}
			s.Stop() // nothing to stop: must not panic
		})
	}
}
