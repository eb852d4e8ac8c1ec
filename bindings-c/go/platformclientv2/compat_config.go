package platformclientv2

// This file is written by hand: the parts of the official Go SDK's Configuration and
// APIClient beyond the basics (mTLS configuration, proxy agent, raw calls, typed API
// errors, the token kept current after renewals, the auth timeout and the grants with a
// context). Behaviour stays in purecore; this file converts values.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/purecore-sdk/purecore-go/internal/native"
)

// MTLSConfiguration is an mTLS identity and the CA to trust, as PEM contents (the
// official SDK's field names). Set Configuration.MTLSConfiguration to use it.
type MTLSConfiguration struct {
	CertFile []byte
	KeyFile  []byte
	CAFile   []byte
}

// ProxyAgent names a proxy by URL: "http://host:port", credentials included as
// "http://user:password@host:port". Configuration.ProxyConfiguration, when it has a
// host, takes precedence.
type ProxyAgent struct {
	ProxyURL string
}

// String shows the proxy URL with its password masked.
func (p ProxyAgent) String() string {
	u, err := url.Parse(p.ProxyURL)
	if err != nil {
		if strings.Contains(p.ProxyURL, "@") {
			return "ProxyAgent{ProxyURL: [unparsable, masked]}"
		}
		return fmt.Sprintf("ProxyAgent{ProxyURL: %q}", p.ProxyURL)
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return fmt.Sprintf("ProxyAgent{ProxyURL: %q}", u.String())
}

// GoString is String (for %#v).
func (p ProxyAgent) GoString() string { return "platformclientv2." + p.String() }

// String shows the sizes of the PEMs, never the private key.
func (m MTLSConfiguration) String() string {
	return fmt.Sprintf("MTLSConfiguration{CertFile: %d bytes, KeyFile: [masked, %d bytes], CAFile: %d bytes}", len(m.CertFile), len(m.KeyFile), len(m.CAFile))
}

// GoString is String (for %#v).
func (m MTLSConfiguration) GoString() string { return "platformclientv2." + m.String() }

// SetProxyAgent sends every request through agent.ProxyURL (nil removes it).
func (a *APIClient) SetProxyAgent(agent *ProxyAgent) {
	a.proxyAgent = agent
}

// compatSettings adds the TLS settings (MTLSConfiguration, or what SetMTLSContents
// set) and the proxy agent to the setting values v.
func (c *Configuration) compatSettings(v map[string]any) {
	ca, cert, key := c.APIClient.caPEM, c.APIClient.certPEM, c.APIClient.keyPEM
	if m := c.MTLSConfiguration; m != nil {
		cert, key, ca = string(m.CertFile), string(m.KeyFile), string(m.CAFile)
	}
	v["tls.extra_ca_pem"] = []string{}
	if ca != "" {
		v["tls.extra_ca_pem"] = []string{ca}
	}
	v["tls.client_cert_pem"], v["tls.client_key_pem"] = cert, key
	if a := c.APIClient.proxyAgent; a != nil && v["proxy.url"] == "" && a.ProxyURL != "" {
		v["proxy.url"], v["proxy.username"], v["proxy.password"] = a.ProxyURL, "", ""
		if u, err := url.Parse(a.ProxyURL); err == nil && u.User != nil {
			v["proxy.username"] = u.User.Username()
			v["proxy.password"], _ = u.User.Password()
			u.User = nil
			v["proxy.url"] = u.String()
		}
	}
}

// installTokenHook makes the client tell st every new token (grants and renewals).
func (st *nativeState) installTokenHook(client *native.Client) error {
	if st.tokenHook == nil {
		st.tokenHook = native.NewTokenHook(func(token string, _ int64) { st.renewed.Store(&token) })
	}
	return client.SetTokenCallback(st.tokenHook)
}

// absorbRenewedToken puts the token purecore renewed into AccessToken, unless the field
// was changed by hand since it was last synchronised. The caller holds st.mu.
func (c *Configuration) absorbRenewedToken(st *nativeState) {
	p := st.renewed.Swap(nil)
	if p == nil || *p == st.token || c.AccessToken != st.token {
		return
	}
	c.AccessToken, st.token = *p, *p
}

// syncRenewedToken updates AccessToken after a call, on the caller's goroutine (so
// code that reads the field after the call returns sees the renewed token).
func (c *Configuration) syncRenewedToken() {
	st := c.nativeState()
	if st.renewed.Load() == nil {
		return
	}
	st.mu.Lock()
	c.absorbRenewedToken(st)
	st.mu.Unlock()
}

// CallAPI sends one request by path, as the official SDK's raw call: path is a URL
// below BasePath (or any URL: its path and query are sent to the configured
// environment, or the gateway), method the HTTP method, postBody the JSON body (a
// []byte or string is sent as is, anything else is encoded as JSON), headerParams and
// queryParams extra headers and query parameters (empty values are skipped), formParams
// a form body (a Content-Type header gives the body's type; JSON by default). fileName and fileBytes are unused, as in the official SDK. pathName ""
// or "api" goes to the API; "login" (token requests) is not supported: use the
// Authorize* methods. Token, renewal, retries and logging apply.
//
// A reply of any status is returned as the *APIResponse (IsSuccess false and Error set
// for a non-2xx status) with a nil error; the error is for calls that got no reply.
func (a *APIClient) CallAPI(path string, method string, postBody interface{}, headerParams map[string]string,
	queryParams map[string]string, formParams url.Values, fileName string, fileBytes []byte, pathName string) (*APIResponse, error) {
	return a.CallAPIWithContext(context.Background(), path, method, postBody, headerParams, queryParams, formParams, fileName, fileBytes, pathName)
}

// CallAPIWithContext is CallAPI with a context for cancellation and deadlines.
func (a *APIClient) CallAPIWithContext(ctx context.Context, path string, method string, postBody interface{}, headerParams map[string]string,
	queryParams map[string]string, formParams url.Values, _ string, _ []byte, pathName string) (*APIResponse, error) {
	c := a.cfg
	if c == nil {
		return nil, &SDKError{Kind: "configuration", Message: "CallAPI: this APIClient has no Configuration; use the APIClient of NewConfiguration()"}
	}
	if pathName != "" && pathName != "api" && pathName != "other" {
		return nil, &SDKError{Kind: "invalid_argument", Message: fmt.Sprintf("CallAPI: pathName %q is not supported (token requests go through the Authorize* methods)", pathName)}
	}
	req := native.RawRequest{Method: strings.ToUpper(strings.TrimSpace(method))}
	p := path
	if base := strings.TrimRight(c.BasePath, "/"); base != "" && strings.HasPrefix(p, base+"/") {
		p = p[len(base):]
	} else if u, err := url.Parse(p); err == nil && u.IsAbs() {
		p = u.RequestURI()
	}
	if !strings.HasPrefix(p, "/") {
		return nil, &SDKError{Kind: "invalid_argument", Message: fmt.Sprintf("CallAPI: path %q is neither a URL nor a path starting with '/'", path)}
	}
	req.Path = p
	for k, v := range queryParams {
		if v != "" {
			req.Query = append(req.Query, native.Pair{strings.TrimSpace(k), strings.TrimSpace(v)})
		}
	}
	for k, v := range headerParams {
		switch {
		case v == "":
		case strings.EqualFold(k, "Content-Type"): // the body's type, sent once
			req.ContentType = v
		default:
			req.Headers = append(req.Headers, native.Pair{k, v})
		}
	}
	for k, vs := range formParams {
		for _, v := range vs {
			req.Form = append(req.Form, native.Pair{k, v})
		}
	}
	switch b := postBody.(type) {
	case nil:
	case []byte:
		req.Body = b
	case string:
		req.Body = []byte(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			return nil, &SDKError{Kind: "invalid_argument", Message: fmt.Sprintf("CallAPI: the body cannot be encoded as JSON: %v", err)}
		}
		req.Body = enc
	}
	if ctx == nil {
		ctx = context.Background()
	}
	n, err := c.native()
	if err != nil {
		return nil, err
	}
	resp, err := n.Request(ctx, req)
	c.syncRenewedToken()
	return nativeReply(resp, err)
}

// typedError is the error of a non-2xx reply: an *APIError (the reply's error body, or
// one made from the status when the body is not one) with the kind purecore gave it and
// the Retry-After. errors.As also finds it as an *SDKError.
func typedError(resp *APIResponse) error {
	e := resp.Error
	if e == nil {
		msg := resp.Status
		if resp.message != "" {
			msg = resp.message
		} else if m := resp.ErrorMessage; m != "" {
			msg = strings.TrimPrefix(m, fmt.Sprintf("API Error: %d - ", resp.StatusCode))
			msg = strings.TrimSuffix(msg, fmt.Sprintf(" (%s)", resp.CorrelationID))
		}
		e = &APIError{Status: resp.StatusCode, Message: msg, ContextID: resp.CorrelationID}
	}
	e.StatusCode, e.CorrelationID, e.retryable = resp.StatusCode, resp.CorrelationID, resp.retryable
	e.Kind, e.RetryAfter = resp.kind, resp.retryAfter
	if e.Kind == "" { // a reply from a custom Invoker
		switch resp.StatusCode {
		case 401:
			e.Kind = "authentication"
		case 429:
			e.Kind = "rate_limited"
		default:
			e.Kind = "http_status"
		}
	}
	if e.RetryAfter == 0 && resp.Header != nil {
		if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s > 0 {
			e.RetryAfter = time.Duration(s) * time.Second
		}
	}
	return e
}

// Unwrap gives the error as an *SDKError (Kind, StatusCode, RetryAfter...), so one
// errors.As finds the kind of every failure.
func (e *APIError) Unwrap() error {
	return &SDKError{
		Kind: e.Kind, Message: e.Error(), StatusCode: e.StatusCode, Code: e.Code,
		CorrelationID: e.CorrelationID, RetryAfter: e.RetryAfter, Retryable: e.retryable,
	}
}

// AuthorizeClientCredentialsWithContext is AuthorizeClientCredentials that stops when
// ctx is cancelled or its deadline passes (returning ctx.Err()).
func (c *Configuration) AuthorizeClientCredentialsWithContext(ctx context.Context, clientID, clientSecret string) error {
	_, err := c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginAsync(ctx, native.GrantClientCredentials, clientID, clientSecret)
	})
	return err
}

// AuthorizeSaml2BearerWithContext is AuthorizeSaml2Bearer with a context.
func (c *Configuration) AuthorizeSaml2BearerWithContext(ctx context.Context, clientID, clientSecret, orgName, assertion string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginAsync(ctx, native.GrantSaml2Bearer, clientID, clientSecret, orgName, assertion)
	})
}

// AuthorizeCodeGrantWithContext is AuthorizeCodeGrant with a context.
func (c *Configuration) AuthorizeCodeGrantWithContext(ctx context.Context, clientID, clientSecret, authCode, redirectURI string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginAsync(ctx, native.GrantCode, clientID, clientSecret, authCode, redirectURI)
	})
}

// RefreshAuthorizationCodeGrantWithContext is RefreshAuthorizationCodeGrant with a context.
func (c *Configuration) RefreshAuthorizationCodeGrantWithContext(ctx context.Context, clientID, clientSecret, refreshToken string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginAsync(ctx, native.GrantRefreshCode, clientID, clientSecret, refreshToken)
	})
}

// AuthorizePKCEGrantWithContext is AuthorizePKCEGrant with a context.
func (c *Configuration) AuthorizePKCEGrantWithContext(ctx context.Context, clientID, codeVerifier, authCode, redirectURI string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginAsync(ctx, native.GrantPKCE, clientID, authCode, codeVerifier, redirectURI)
	})
}
