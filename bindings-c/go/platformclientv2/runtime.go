// Package platformclientv2 is the Go face of purecore: the generated API classes
// (one file per class, e.g. usersapi.go) and models (models_*.go) over a small runtime.
//
// This file is written by hand (it is not generated). It is the contract between the
// generated methods and the transport: every method builds a map of parameters keyed by
// their spec names and calls Configuration.Invoker, which the cgo binding implements by
// passing the operation id and the parameters to the Rust core.
package platformclientv2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"time"
)

// Invoker executes one catalog operation. params holds the operation's parameters keyed
// by spec name (path, query, header, form and body values alike); parameters that were
// not set are absent. The returned APIResponse carries the raw body; a non-2xx answer is
// returned as a response with IsSuccess false, not as an error.
type Invoker interface {
	Invoke(ctx context.Context, operationID string, params map[string]any) (*APIResponse, error)
}

// InvokerFunc adapts a function to Invoker.
type InvokerFunc func(ctx context.Context, operationID string, params map[string]any) (*APIResponse, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, operationID string, params map[string]any) (*APIResponse, error) {
	return f(ctx, operationID, params)
}

// Configuration holds what the API classes need: where to send calls and how. It has
// the official Go SDK's fields; they are read at each call, and a change applies to the
// next call. The native client (purecore, through cgo) is created on first use.
type Configuration struct {
	// BasePath is the API base URL, e.g. https://api.mypurecloud.com (or a region
	// constant such as EUWest1, a region name, a domain, or a local emulator's URL).
	BasePath string
	// AccessToken, when set, is sent as a bearer token and never renewed. The Authorize*
	// methods set it to the token they obtained (which purecore then renews by itself).
	AccessToken string
	// DefaultHeader is added to every request. It is a map[string]string (assign one
	// freely) that prints with secret values (Authorization, Cookie...) redacted.
	DefaultHeader Headers
	// Invoker executes operations; NewConfiguration sets the native one.
	Invoker Invoker
	// ShouldRefreshAccessToken renews tokens before expiry and on a 401. Default true.
	ShouldRefreshAccessToken bool
	// RefreshTokenWaitTime is how many seconds a call waits for another call's token
	// refresh. Default 10.
	RefreshTokenWaitTime int
	// TokenExpiryMargin is how long before its expiry a token is renewed (before the
	// call that would otherwise send it), capped at half the token's lifetime. 0 means
	// purecore's default (30 s); the official Node SDK calls this tokenExpiryMargin.
	TokenExpiryMargin time.Duration
	// RetryConfiguration sets retries of 429, 5xx and network errors; nil means
	// purecore's defaults (3 retries, 500 ms to 30 s backoff, Retry-After honoured).
	RetryConfiguration *RetryConfiguration
	// LoggingConfiguration sets logging (off by default); secrets are always redacted.
	LoggingConfiguration *LoggingConfiguration
	// GateWayConfiguration routes every call through a gateway (see SetGateway).
	GateWayConfiguration *GateWayConfiguration
	// ProxyConfiguration sends every request through a proxy.
	ProxyConfiguration *ProxyConfiguration
	// APIClient holds the TLS settings (SetMTLSCertificates, SetMTLSContents), the
	// proxy agent (SetProxyAgent) and makes raw calls (CallAPI).
	APIClient APIClient
	// MTLSConfiguration, when set, is the mTLS identity and CA (PEM contents); it takes
	// the place of what SetMTLSCertificates/SetMTLSContents set.
	MTLSConfiguration *MTLSConfiguration
	// AuthTimeout bounds each token request (grants and renewals); 0 means purecore's
	// default (16 s). The ...WithContext grants also stop at their context's deadline.
	AuthTimeout time.Duration

	state *nativeState
}

var (
	defaultConfigOnce sync.Once
	defaultConfig     *Configuration
)

// GetDefaultConfiguration returns the process-wide default configuration.
func GetDefaultConfiguration() *Configuration {
	defaultConfigOnce.Do(func() { defaultConfig = NewConfiguration() })
	return defaultConfig
}

// NewConfiguration returns a configuration for the us-east-1 region that calls the API
// through purecore. Nothing starts until the first call or Authorize*.
func NewConfiguration() *Configuration {
	c := &Configuration{
		BasePath:                 "https://api.mypurecloud.com",
		DefaultHeader:            map[string]string{},
		ShouldRefreshAccessToken: true,
		RefreshTokenWaitTime:     10,
		LoggingConfiguration:     &LoggingConfiguration{LogLevel: LNone, logFormat: Text, logToConsole: true},
		state:                    &nativeState{},
	}
	c.Invoker = nativeInvoker{c}
	c.APIClient.cfg = c
	// An unreachable configuration stops its native client (a RequestLogHook keeps the
	// configuration reachable until Close).
	runtime.SetFinalizer(c, (*Configuration).Close)
	return c
}

// AddDefaultHeader sets a header sent with every request.
func (c *Configuration) AddDefaultHeader(key, value string) {
	if c.DefaultHeader == nil {
		c.DefaultHeader = map[string]string{}
	}
	c.DefaultHeader[key] = value
}

// APIResponse is the answer to one call, successful or not.
type APIResponse struct {
	StatusCode    int
	Status        string
	IsSuccess     bool
	HasBody       bool
	CorrelationID string
	Header        http.Header
	RawBody       []byte
	Error         *APIError
	ErrorMessage  string
	// message is what went wrong, for an APIError when the body is not one.
	message string

	// What purecore said about a non-2xx reply (see typedError).
	kind       string
	retryAfter time.Duration
	retryable  bool
}

// APIError is the Platform API's error body.
type APIError struct {
	Status            int                    `json:"status,omitempty"`
	Message           string                 `json:"message,omitempty"`
	MessageWithParams string                 `json:"messageWithParams,omitempty"`
	MessageParams     map[string]interface{} `json:"messageParams,omitempty"`
	Code              string                 `json:"code,omitempty"`
	ContextID         string                 `json:"contextId,omitempty"`
	Details           []interface{}          `json:"details,omitempty"`
	Errors            []interface{}          `json:"errors,omitempty"`

	// Kind is "authentication" (401), "rate_limited" (429) or "http_status".
	Kind string `json:"-"`
	// RetryAfter is the reply's Retry-After, 0 when it had none.
	RetryAfter time.Duration `json:"-"`
	// StatusCode is the HTTP status of the reply.
	StatusCode int `json:"-"`
	// CorrelationID is the reply's inin-correlation-id.
	CorrelationID string `json:"-"`
	retryable     bool
}

// Error formats the error as the official SDK does: "API Error: <status> - <message> (<contextId>)".
func (e *APIError) Error() string {
	return fmt.Sprintf("API Error: %d - %s (%s)", e.Status, e.Message, e.ContextID)
}

// ErrNoInvoker is returned when the configuration has no Invoker.
var ErrNoInvoker = errors.New("platformclientv2: Configuration.Invoker is not set")

// DecodeBody decodes a successful response body into a T. An empty body gives a nil
// result; a T of string takes a body that is not JSON as it is.
func DecodeBody[T any](resp *APIResponse) (*T, error) {
	if resp == nil || len(resp.RawBody) == 0 {
		return nil, nil
	}
	out := new(T)
	err := json.Unmarshal(resp.RawBody, out)
	if err != nil {
		if s, ok := any(out).(*string); ok {
			*s = string(resp.RawBody)
			return out, nil
		}
		return nil, err
	}
	return out, nil
}

// responseError is the error of a completed call: nil on success.
func responseError(resp *APIResponse) error {
	if resp == nil || resp.IsSuccess {
		return nil
	}
	return typedError(resp)
}

func pcCall(ctx context.Context, cfg *Configuration, operationID string, params map[string]any) (*APIResponse, error) {
	if cfg == nil {
		cfg = GetDefaultConfiguration()
	}
	if cfg.Invoker == nil {
		return nil, ErrNoInvoker
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return cfg.Invoker.Invoke(ctx, operationID, params)
}

// pcInvoke runs an operation that returns a body of type T.
func pcInvoke[T any](ctx context.Context, cfg *Configuration, operationID string, params map[string]any) (*T, *APIResponse, error) {
	resp, err := pcCall(ctx, cfg, operationID, params)
	if err != nil {
		return nil, resp, err
	}
	if err := responseError(resp); err != nil {
		return nil, resp, err
	}
	out, err := DecodeBody[T](resp)
	if err != nil {
		return nil, resp, &SDKError{Kind: "decoding", Message: fmt.Sprintf("the reply of %s cannot be decoded: %v", operationID, err),
			StatusCode: resp.StatusCode, CorrelationID: resp.CorrelationID}
	}
	return out, resp, nil
}

// pcInvokeNoResult runs an operation that returns no body.
func pcInvokeNoResult(ctx context.Context, cfg *Configuration, operationID string, params map[string]any) (*APIResponse, error) {
	resp, err := pcCall(ctx, cfg, operationID, params)
	if err != nil {
		return resp, err
	}
	return resp, responseError(resp)
}

// pcSetScalar sets an optional parameter unless it is the zero value ("not set").
func pcSetScalar[T comparable](p map[string]any, key string, v T) {
	var zero T
	if v != zero {
		p[key] = v
	}
}

// pcSetSlice sets an optional array parameter unless it is nil.
func pcSetSlice[T any](p map[string]any, key string, v []T) {
	if v != nil {
		p[key] = v
	}
}

// pcSetMap sets an optional map parameter unless it is nil.
func pcSetMap[V any](p map[string]any, key string, v map[string]V) {
	if v != nil {
		p[key] = v
	}
}

// pcSetTime sets an optional date-time parameter unless it is the zero time.
func pcSetTime(p map[string]any, key string, v time.Time) {
	if !v.IsZero() {
		p[key] = v
	}
}
