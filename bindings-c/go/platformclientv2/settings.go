package platformclientv2

// This file is written by hand: the settings types of the official Go SDK, applied to
// purecore at the next call.

import (
	"fmt"
	"net/http"
	"os"
	"time"
)

// LoggingLevel is how much is logged: LTrace > LDebug > LError > LNone.
// The zero value is LNone (the official SDK's zero value meant trace).
type LoggingLevel int

const (
	LNone LoggingLevel = iota
	LError
	LDebug
	LTrace
)

// LoggingFormat is the shape of log lines. The zero value is Text.
type LoggingFormat int

const (
	Text LoggingFormat = iota
	JSON
)

// LoggingConfiguration sets logging. Bodies are logged only when asked for; secrets
// (tokens, client secrets, assertions, codes) are always redacted.
type LoggingConfiguration struct {
	LogLevel        LoggingLevel
	LogRequestBody  bool
	LogResponseBody bool
	logFormat       LoggingFormat
	logToConsole    bool
	logFilePath     string
}

// SetLogLevel sets the level.
func (l *LoggingConfiguration) SetLogLevel(level LoggingLevel) { l.LogLevel = level }

// SetLogFormat sets JSON or Text lines.
func (l *LoggingConfiguration) SetLogFormat(format LoggingFormat) { l.logFormat = format }

// SetLogToConsole writes lines to stderr (default true).
func (l *LoggingConfiguration) SetLogToConsole(on bool) { l.logToConsole = on }

// SetLogFilePath appends lines to a file ("" for none).
func (l *LoggingConfiguration) SetLogFilePath(path string) { l.logFilePath = path }

// GetLogFormat returns the format.
func (l *LoggingConfiguration) GetLogFormat() LoggingFormat { return l.logFormat }

// GetLogToConsole tells whether lines go to stderr.
func (l *LoggingConfiguration) GetLogToConsole() bool { return l.logToConsole }

// GetLogFilePath returns the log file path.
func (l *LoggingConfiguration) GetLogFilePath() string { return l.logFilePath }

// RetryConfiguration sets retries. RetryMax is the number of retries after the first
// try (0 turns retrying off); zero waits mean purecore's defaults (500 ms and 30 s).
// 429 is retried for every method, 5xx and read errors only for idempotent methods;
// Retry-After is honoured. RequestLogHook, when set, is called with 0 before the first
// try of each API call (the core's request hook, on the thread of the call): what it
// changes in the request's URL path and query, headers and body is sent, on every
// attempt. It is then called before each retry with the retry number (1 for the first
// retry), to look only. ResponseLogHook, when set, is called with every reply to an API
// call (each attempt, through the core's response hook; not token requests): status,
// headers, body and the request's method and URL.
type RetryConfiguration struct {
	RetryWaitMin    time.Duration
	RetryWaitMax    time.Duration
	RetryMax        int
	RequestLogHook  func(*http.Request, int)
	ResponseLogHook func(*http.Response)
}

// PathParams is a path prefix of a gateway: PathName "login" or "api".
type PathParams struct {
	PathName  string
	PathValue string
}

// GateWayConfiguration routes calls to protocol://host[:port]/<api path>/api/v2/... and
// token requests to protocol://host[:port]/<login path>/oauth/token.
type GateWayConfiguration struct {
	Protocol   string
	Host       string
	Port       string
	PathParams []*PathParams
}

// Auth holds proxy credentials.
type Auth struct {
	UserName string
	Password string
}

// ProxyConfiguration sends every request through protocol://host:port.
type ProxyConfiguration struct {
	Protocol string
	Host     string
	Port     string
	Auth     *Auth
}

// SetGateway routes calls through a gateway; nil removes it.
func (c *Configuration) SetGateway(gateway *GateWayConfiguration) {
	c.GateWayConfiguration = gateway
}

// APIClient holds TLS settings (extra trusted CA certificates and an mTLS identity) and
// the proxy agent, and makes raw calls (CallAPI). Server certificates are always verified.
type APIClient struct {
	caPEM, certPEM, keyPEM string
	proxyAgent             *ProxyAgent
	cfg                    *Configuration
}

// SetMTLSContents presents certPEM/keyPEM (both "" for none) and trusts caPEM (may be
// ""), in the official SDK's order.
func (a *APIClient) SetMTLSContents(certPEM, keyPEM, caPEM string) error {
	if (certPEM == "") != (keyPEM == "") {
		return &SDKError{Kind: "invalid_argument", Message: "SetMTLSContents: the client certificate and its key go together (one of them is empty)"}
	}
	a.caPEM, a.certPEM, a.keyPEM = caPEM, certPEM, keyPEM
	return nil
}

// SetMTLSCertificates reads the PEM files at these paths ("" for none), in the official
// SDK's order (certificate, key, CA), and calls SetMTLSContents.
func (a *APIClient) SetMTLSCertificates(certPath, keyPath, caPath string) error {
	var pems [3]string
	for i, p := range []string{certPath, keyPath, caPath} {
		if p == "" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return &SDKError{Kind: "configuration", Message: fmt.Sprintf("cannot read the mTLS PEM file: %v", err)}
		}
		pems[i] = string(b)
	}
	return a.SetMTLSContents(pems[0], pems[1], pems[2])
}
