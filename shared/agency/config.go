package agency

import (
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// DefaultTimeout bounds one agency call when the configuration gives none.
const DefaultTimeout = 10 * time.Second

// Endpoints holds the base URL of each agency. Paths in wire.go are appended
// to it.
type Endpoints struct {
	Identity string `json:"identity,omitempty"`
	Market   string `json:"market,omitempty"`
	Seal     string `json:"seal,omitempty"`
	Tax      string `json:"tax,omitempty"`
	Social   string `json:"social,omitempty"`
	Medical  string `json:"medical,omitempty"`
	Fund     string `json:"fund,omitempty"`
	Bank     string `json:"bank,omitempty"`
}

// SingleHost returns Endpoints with every agency under one base URL, at
// base + "/" + kind: the layout of the simulators in infra/sim.
func SingleHost(base string) Endpoints {
	base = strings.TrimRight(base, "/")
	var e Endpoints
	for _, k := range kaiban.AgencyKinds {
		*e.field(k) = base + "/" + string(k)
	}
	return e
}

// For returns the base URL of kind, or "".
func (e Endpoints) For(k kaiban.AgencyKind) string {
	if p := e.field(k); p != nil {
		return *p
	}
	return ""
}

func (e *Endpoints) field(k kaiban.AgencyKind) *string {
	switch k {
	case kaiban.AgencyIdentity:
		return &e.Identity
	case kaiban.AgencyMarket:
		return &e.Market
	case kaiban.AgencySeal:
		return &e.Seal
	case kaiban.AgencyTax:
		return &e.Tax
	case kaiban.AgencySocial:
		return &e.Social
	case kaiban.AgencyMedical:
		return &e.Medical
	case kaiban.AgencyFund:
		return &e.Fund
	case kaiban.AgencyBank:
		return &e.Bank
	}
	return nil
}

// Config says where each agency is. Default serves every region; Cities
// overrides any subset of agencies for one prefecture-level city, keyed by
// its four-digit code ("2101" Shenyang … "2114" Huludao). Timeout bounds
// every call (DefaultTimeout when zero).
type Config struct {
	Default Endpoints
	Cities  map[string]Endpoints
	Timeout time.Duration
}

// configJSON is the file form of Config: the timeout is a Go duration
// string ("8s").
type configJSON struct {
	Default Endpoints            `json:"default"`
	Cities  map[string]Endpoints `json:"cities,omitempty"`
	Timeout string               `json:"timeout,omitempty"`
}

// LoadConfig reads a JSON configuration (see infra/agencies.example.json),
// rejecting unknown fields, and validates it.
func LoadConfig(r io.Reader) (Config, error) {
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	var cj configJSON
	if err := dec.Decode(&cj); err != nil {
		return Config{}, kaiban.Wrap(kaiban.ErrConfig, err, "agency configuration is not valid JSON")
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return Config{}, kaiban.Errorf(kaiban.ErrConfig, "agency configuration has data after the JSON object")
	}
	c := Config{Default: cj.Default, Cities: cj.Cities}
	if cj.Timeout != "" {
		d, err := time.ParseDuration(cj.Timeout)
		if err != nil {
			return Config{}, kaiban.Wrap(kaiban.ErrConfig, err, "agency configuration: bad timeout")
		}
		c.Timeout = d
	}
	return c, c.Validate()
}

// Environment variables read by ConfigFromEnv.
const (
	EnvConfigFile = "KAIBAN_AGENCY_CONFIG"  // path to a JSON configuration
	EnvBaseURL    = "KAIBAN_AGENCY_URL"     // one base URL for all agencies (simulators)
	EnvTimeout    = "KAIBAN_AGENCY_TIMEOUT" // overrides the timeout, e.g. "5s"
)

// ConfigFromEnv builds the configuration from the environment: the JSON file
// named by KAIBAN_AGENCY_CONFIG, or else every agency under
// KAIBAN_AGENCY_URL (SingleHost); KAIBAN_AGENCY_TIMEOUT overrides the
// timeout either way.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var c Config
	switch path, base := getenv(EnvConfigFile), getenv(EnvBaseURL); {
	case path != "":
		f, err := os.Open(path)
		if err != nil {
			return Config{}, kaiban.Wrap(kaiban.ErrConfig, err, "cannot open the agency configuration")
		}
		defer f.Close()
		if c, err = LoadConfig(f); err != nil {
			return Config{}, err
		}
	case base != "":
		c.Default = SingleHost(base)
	default:
		return Config{}, kaiban.Errorf(kaiban.ErrConfig, "set %s or %s", EnvConfigFile, EnvBaseURL)
	}
	if s := getenv(EnvTimeout); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return Config{}, kaiban.Wrap(kaiban.ErrConfig, err, EnvTimeout+" is not a duration")
		}
		c.Timeout = d
	}
	return c, c.Validate()
}

// Validate checks that the default names every agency, every URL is an
// absolute http(s) URL, city keys are four-digit city codes and the timeout
// is not negative.
func (c Config) Validate() error {
	if c.Timeout < 0 {
		return kaiban.Errorf(kaiban.ErrConfig, "agency timeout must not be negative")
	}
	for _, k := range kaiban.AgencyKinds {
		if c.Default.For(k) == "" {
			return kaiban.Errorf(kaiban.ErrConfig, "agency configuration: default has no %s endpoint", k)
		}
	}
	if err := checkURLs("default", c.Default); err != nil {
		return err
	}
	for city, e := range c.Cities {
		if !isCityCode(city) {
			return kaiban.Errorf(kaiban.ErrConfig, "agency configuration: %q is not a four-digit city code", city)
		}
		if err := checkURLs("city "+city, e); err != nil {
			return err
		}
	}
	return nil
}

func checkURLs(where string, e Endpoints) error {
	for _, k := range kaiban.AgencyKinds {
		s := e.For(k)
		if s == "" {
			continue
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return kaiban.Errorf(kaiban.ErrConfig, "agency configuration: %s %s endpoint %q is not an http(s) URL", where, k, s)
		}
	}
	return nil
}

func isCityCode(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Endpoint returns the base URL for kind serving regionCode: the city's
// override when there is one, the default otherwise (also for region codes
// outside the configured cities).
func (c Config) Endpoint(k kaiban.AgencyKind, regionCode string) (string, error) {
	if city, ok := cnid.CityOf(regionCode); ok {
		if u := c.Cities[city].For(k); u != "" {
			return strings.TrimRight(u, "/"), nil
		}
	}
	if u := c.Default.For(k); u != "" {
		return strings.TrimRight(u, "/"), nil
	}
	return "", kaiban.Errorf(kaiban.ErrConfig, "no endpoint for the %s agency", k)
}

func (c Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}
