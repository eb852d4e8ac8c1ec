package platformclientv2

// This file is written by hand.

import (
	"fmt"
	"time"
)

// SDKError is a failure that is not an API reply: a failed grant or token refresh, a
// connection or timeout error, a bad argument or setting. (An API reply with a non-2xx
// status comes back as an *APIResponse with IsSuccess false and an *APIError.)
type SDKError struct {
	// Kind is stable: "authentication", "http_status", "rate_limited", "timeout",
	// "connection", "invalid_argument", "configuration", "decoding", "internal".
	Kind    string
	Message string
	// StatusCode of the reply, 0 when there was none.
	StatusCode    int
	Code          string
	CorrelationID string
	// OAuthError and OAuthErrorDescription of a failed grant ("invalid_client"...).
	OAuthError            string
	OAuthErrorDescription string
	// RetryAfter is 0 when the reply had no Retry-After.
	RetryAfter time.Duration
	Retryable  bool
}

// Error returns the message; it never contains a secret.
func (e *SDKError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("%s [status %d]", e.Message, e.StatusCode)
	}
	return e.Message
}
