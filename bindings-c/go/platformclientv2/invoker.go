package platformclientv2

// This file is written by hand: the Invoker that sends generated API calls to purecore.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/purecore-sdk/purecore-go/internal/native"
)

// nativeInvoker runs operations through the native client of its configuration.
type nativeInvoker struct{ c *Configuration }

// Invoke encodes the parameters as JSON (keyed by spec names; time.Time values become
// RFC 3339), calls the operation, and returns the reply. A reply with a non-2xx status
// is a response with IsSuccess false; failures without an API reply are *SDKError, and
// a cancelled or expired ctx gives ctx.Err().
func (inv nativeInvoker) Invoke(ctx context.Context, operationID string, params map[string]any) (*APIResponse, error) {
	n, err := inv.c.native()
	if err != nil {
		return nil, err
	}
	var body []byte
	if len(params) > 0 {
		if body, err = json.Marshal(params); err != nil {
			return nil, &SDKError{Kind: "invalid_argument", Message: fmt.Sprintf("parameters of %s cannot be encoded: %v", operationID, err)}
		}
	}
	resp, err := n.Call(ctx, operationID, body)
	inv.c.syncRenewedToken()
	return nativeReply(resp, err)
}

// nativeReply turns the outcome of a native call into the reply (or the error when
// there is none); a non-2xx reply keeps purecore's kind and Retry-After.
func nativeReply(resp *native.Response, err error) (*APIResponse, error) {
	if err == nil {
		return apiResponse(resp, ""), nil
	}
	var nerr *native.Error
	if errors.As(err, &nerr) && nerr.Response != nil && nerr.OAuthError == "" {
		out := apiResponse(nerr.Response, nerr.Message)
		out.kind, out.retryable = nerr.Kind, nerr.Retryable
		if nerr.RetryAfter > 0 {
			out.retryAfter = nerr.RetryAfter
		}
		return out, nil
	}
	return nil, convertError(err)
}

func apiResponse(r *native.Response, message string) *APIResponse {
	out := &APIResponse{
		StatusCode:    r.Status,
		Status:        strconv.Itoa(r.Status) + " " + r.StatusText,
		IsSuccess:     r.Status >= 200 && r.Status < 300,
		HasBody:       len(r.Body) > 0,
		CorrelationID: r.CorrelationID,
		Header:        make(http.Header, len(r.Headers)),
		RawBody:       r.Body,
	}
	for _, h := range r.Headers {
		out.Header.Add(h[0], h[1])
	}
	if out.IsSuccess {
		return out
	}
	var apiErr APIError
	if len(r.Body) > 0 && json.Unmarshal(r.Body, &apiErr) == nil && (apiErr.Message != "" || apiErr.Code != "") {
		if apiErr.Status == 0 {
			apiErr.Status = r.Status
		}
		if apiErr.ContextID == "" {
			apiErr.ContextID = r.CorrelationID
		}
		out.Error = &apiErr
		message = apiErr.Message
	}
	out.message = message
	out.ErrorMessage = fmt.Sprintf("API Error: %d - %s (%s)", r.Status, message, r.CorrelationID)
	return out
}
