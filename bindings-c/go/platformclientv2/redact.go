package platformclientv2

// This file is written by hand: how the types that can hold a secret print. Every fmt
// verb (%v %+v %#v %s %q %d %x...), fmt.Print*, log.Print* and json.Marshal show the
// access token, refresh token, proxy password, private key and secret header values
// (Authorization, Cookie, Set-Cookie...) as "[REDACTED]". The fields themselves keep
// their values: read them to use them.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

const redacted = "[REDACTED]"

// hide is "" for an empty secret (so a print still tells whether it is set), else [REDACTED].
func hide(secret string) string {
	if secret == "" {
		return ""
	}
	return redacted
}

// secretHeader tells whether a header's value is a credential.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key":
		return true
	}
	return strings.Contains(n, "token") || strings.Contains(n, "secret") || strings.Contains(n, "password")
}

// printable writes s for every verb: %#v as goSyntax, %q quoted, the rest as s.
func printable(f fmt.State, verb rune, s, goSyntax string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = io.WriteString(f, goSyntax)
	case verb == 'q':
		_, _ = fmt.Fprintf(f, "%q", s)
	default:
		_, _ = io.WriteString(f, s)
	}
}

func headerMap(h map[string]string) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := h[k]
		if secretHeader(k) {
			v = hide(v)
		}
		parts[i] = fmt.Sprintf("%q:%q", k, v)
	}
	return "map[" + strings.Join(parts, " ") + "]"
}

func redactHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		c := append([]string(nil), vs...)
		if secretHeader(k) {
			for i := range c {
				c[i] = hide(c[i])
			}
		}
		out[k] = c
	}
	return out
}

func headerString(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	r := redactHeader(h)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%q:%q", k, r[k])
	}
	return "map[" + strings.Join(parts, " ") + "]"
}

// Headers is a set of header names and values, e.g. Configuration.DefaultHeader. It is
// a plain map[string]string that prints (fmt, log, json.Marshal) with the values of
// secret headers (Authorization, Cookie, names with token, secret or password)
// redacted.
type Headers map[string]string

// String shows the headers with secret values redacted.
func (h Headers) String() string { return headerMap(h) }

// GoString is String for %#v.
func (h Headers) GoString() string {
	return "platformclientv2.Headers" + strings.TrimPrefix(headerMap(h), "map")
}

// Format prints the headers redacted, whatever the verb.
func (h Headers) Format(f fmt.State, verb rune) { printable(f, verb, h.String(), h.GoString()) }

// MarshalJSON encodes the headers with secret values redacted.
func (h Headers) MarshalJSON() ([]byte, error) {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if secretHeader(k) {
			v = hide(v)
		}
		out[k] = v
	}
	return json.Marshal(out)
}

// Format keeps the configuration an invoker holds out of prints of the invoker.
func (nativeInvoker) Format(f fmt.State, verb rune) {
	printable(f, verb, "nativeInvoker", "platformclientv2.nativeInvoker{}")
}

// ---- Configuration ----

func (c Configuration) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{BasePath:%q AccessToken:%q DefaultHeader:%s ShouldRefreshAccessToken:%t RefreshTokenWaitTime:%d TokenExpiryMargin:%s",
		c.BasePath, hide(c.AccessToken), headerMap(c.DefaultHeader), c.ShouldRefreshAccessToken, c.RefreshTokenWaitTime, c.TokenExpiryMargin)
	if r := c.RetryConfiguration; r != nil {
		fmt.Fprintf(&b, " RetryConfiguration:{RetryWaitMin:%s RetryWaitMax:%s RetryMax:%d RequestLogHook:%t ResponseLogHook:%t}",
			r.RetryWaitMin, r.RetryWaitMax, r.RetryMax, r.RequestLogHook != nil, r.ResponseLogHook != nil)
	} else {
		b.WriteString(" RetryConfiguration:<nil>")
	}
	if l := c.LoggingConfiguration; l != nil {
		fmt.Fprintf(&b, " LoggingConfiguration:{LogLevel:%d LogRequestBody:%t LogResponseBody:%t LogFormat:%d LogToConsole:%t LogFilePath:%q}",
			l.LogLevel, l.LogRequestBody, l.LogResponseBody, l.logFormat, l.logToConsole, l.logFilePath)
	} else {
		b.WriteString(" LoggingConfiguration:<nil>")
	}
	if g := c.GateWayConfiguration; g != nil {
		fmt.Fprintf(&b, " GateWayConfiguration:{Protocol:%q Host:%q Port:%q PathParams:[", g.Protocol, g.Host, g.Port)
		for i, p := range g.PathParams {
			if i > 0 {
				b.WriteString(" ")
			}
			if p == nil {
				b.WriteString("<nil>")
			} else {
				fmt.Fprintf(&b, "{PathName:%q PathValue:%q}", p.PathName, p.PathValue)
			}
		}
		b.WriteString("]}")
	} else {
		b.WriteString(" GateWayConfiguration:<nil>")
	}
	if p := c.ProxyConfiguration; p != nil {
		b.WriteString(" ProxyConfiguration:" + p.String())
	} else {
		b.WriteString(" ProxyConfiguration:<nil>")
	}
	b.WriteString(" APIClient:" + c.APIClient.String() + "}")
	return b.String()
}

// String shows the settings with the access token, proxy password, private key and
// secret default headers redacted.
func (c Configuration) String() string { return "Configuration" + c.describe() }

// GoString is String for %#v.
func (c Configuration) GoString() string { return "platformclientv2.Configuration" + c.describe() }

// Format prints the configuration redacted, whatever the verb.
func (c Configuration) Format(f fmt.State, verb rune) { printable(f, verb, c.String(), c.GoString()) }

// MarshalJSON encodes the settings with their secrets redacted (hooks and the invoker
// are left out).
func (c Configuration) MarshalJSON() ([]byte, error) {
	out := map[string]any{
		"BasePath":                 c.BasePath,
		"AccessToken":              hide(c.AccessToken),
		"DefaultHeader":            c.DefaultHeader,
		"ShouldRefreshAccessToken": c.ShouldRefreshAccessToken,
		"RefreshTokenWaitTime":     c.RefreshTokenWaitTime,
		"TokenExpiryMargin":        c.TokenExpiryMargin,
		"GateWayConfiguration":     c.GateWayConfiguration,
		"ProxyConfiguration":       c.ProxyConfiguration,
	}
	if r := c.RetryConfiguration; r != nil {
		out["RetryConfiguration"] = map[string]any{"RetryWaitMin": r.RetryWaitMin, "RetryWaitMax": r.RetryWaitMax, "RetryMax": r.RetryMax}
	}
	if l := c.LoggingConfiguration; l != nil {
		out["LoggingConfiguration"] = map[string]any{"LogLevel": l.LogLevel, "LogRequestBody": l.LogRequestBody, "LogResponseBody": l.LogResponseBody}
	}
	return json.Marshal(out)
}

// ---- proxy settings ----

// String shows the user name and redacts the password.
func (a Auth) String() string {
	return fmt.Sprintf("{UserName:%q Password:%q}", a.UserName, hide(a.Password))
}

// GoString is String for %#v.
func (a Auth) GoString() string { return "platformclientv2.Auth" + a.String() }

// Format prints the credentials redacted, whatever the verb.
func (a Auth) Format(f fmt.State, verb rune) { printable(f, verb, a.String(), a.GoString()) }

// MarshalJSON encodes the credentials with the password redacted.
func (a Auth) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"UserName": a.UserName, "Password": hide(a.Password)})
}

// String shows the proxy with its password redacted.
func (p ProxyConfiguration) String() string {
	auth := "<nil>"
	if p.Auth != nil {
		auth = p.Auth.String()
	}
	return fmt.Sprintf("{Protocol:%q Host:%q Port:%q Auth:%s}", p.Protocol, p.Host, p.Port, auth)
}

// GoString is String for %#v.
func (p ProxyConfiguration) GoString() string {
	return "platformclientv2.ProxyConfiguration" + p.String()
}

// Format prints the proxy redacted, whatever the verb.
func (p ProxyConfiguration) Format(f fmt.State, verb rune) {
	printable(f, verb, p.String(), p.GoString())
}

// MarshalJSON encodes the proxy with its password redacted.
func (p ProxyConfiguration) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"Protocol": p.Protocol, "Host": p.Host, "Port": p.Port, "Auth": p.Auth})
}

// ---- TLS settings ----

// String tells which PEMs are set, never their contents (the key is a secret).
func (a APIClient) String() string {
	return fmt.Sprintf("{CA:%t Certificate:%t PrivateKey:%q}", a.caPEM != "", a.certPEM != "", hide(a.keyPEM))
}

// GoString is String for %#v.
func (a APIClient) GoString() string { return "platformclientv2.APIClient" + a.String() }

// Format prints the TLS settings redacted, whatever the verb.
func (a APIClient) Format(f fmt.State, verb rune) { printable(f, verb, a.String(), a.GoString()) }

// ---- tokens ----

// String shows the token type and expiry; the tokens are redacted.
func (r AuthResponse) String() string {
	expires := "unknown"
	if !r.ExpiresAt.IsZero() {
		expires = r.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("{AccessToken:%q RefreshToken:%q TokenType:%q ExpiresIn:%d ExpiresAt:%s State:%q}",
		hide(r.AccessToken), hide(r.RefreshToken), r.TokenType, r.ExpiresIn, expires, r.State)
}

// GoString is String for %#v.
func (r AuthResponse) GoString() string { return "platformclientv2.AuthResponse" + r.String() }

// Format prints the token data redacted, whatever the verb.
func (r AuthResponse) Format(f fmt.State, verb rune) { printable(f, verb, r.String(), r.GoString()) }

// MarshalJSON encodes the token data with the tokens redacted: to keep a token, read
// its fields.
func (r AuthResponse) MarshalJSON() ([]byte, error) {
	type plain AuthResponse
	p := plain(r)
	p.AccessToken, p.RefreshToken = hide(r.AccessToken), hide(r.RefreshToken)
	return json.Marshal(p)
}

// ---- responses ----

func (r APIResponse) describe() string {
	apiErr := "<nil>"
	if r.Error != nil {
		apiErr = r.Error.Error()
	}
	return fmt.Sprintf("{StatusCode:%d Status:%q IsSuccess:%t HasBody:%t CorrelationID:%q Header:%s RawBody:%d bytes Error:%s ErrorMessage:%q}",
		r.StatusCode, r.Status, r.IsSuccess, r.HasBody, r.CorrelationID, headerString(r.Header), len(r.RawBody), apiErr, r.ErrorMessage)
}

// String shows the response with secret header values (Set-Cookie, Authorization...)
// redacted and the body's size, not its contents.
func (r APIResponse) String() string { return "APIResponse" + r.describe() }

// GoString is String for %#v.
func (r APIResponse) GoString() string { return "platformclientv2.APIResponse" + r.describe() }

// Format prints the response redacted, whatever the verb.
func (r APIResponse) Format(f fmt.State, verb rune) { printable(f, verb, r.String(), r.GoString()) }

// MarshalJSON encodes the response with secret header values redacted.
func (r APIResponse) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"StatusCode": r.StatusCode, "Status": r.Status, "IsSuccess": r.IsSuccess, "HasBody": r.HasBody,
		"CorrelationID": r.CorrelationID, "Header": redactHeader(r.Header), "RawBody": r.RawBody,
		"Error": r.Error, "ErrorMessage": r.ErrorMessage,
	})
}
