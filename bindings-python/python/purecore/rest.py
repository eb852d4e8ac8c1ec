"""Exceptions and the raw response, with the official package's names.

Every failure raises :class:`ApiException` or one of its subclasses, picked by
the core's error kind. An exception keeps what the server said: ``status``,
``reason``, ``body`` (text), ``headers`` (lower-case names), ``code`` (Genesys
error code or OAuth ``error``), ``correlation_id``, ``context_id`` and
``retry_after`` (seconds). Messages never contain credentials, and the values
of credential headers (``Set-Cookie``, ``Authorization``...) are hidden from
``str``, ``repr`` and pickles of exceptions and responses (a pickled response
carries ``[REDACTED]`` in their place); ``getheader`` still reads them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ._secrets import HeaderDict, HeaderList, redact_pairs


class RESTResponse:
    """A reply as received (``api_client.last_response``; post-request hooks get it)."""

    def __init__(
        self,
        status: int,
        reason: str,
        headers: List[Tuple[str, str]],
        data: bytes,
        correlation_id: Optional[str] = None,
        attempts: int = 1,
    ) -> None:
        self.status = status
        self.reason = reason
        # A list of pairs, or the native reply's headers, made into a list on first use.
        self._header_source: Any = headers
        self.data = data
        self.correlation_id = correlation_id
        self.attempts = attempts

    @property
    def header_list(self) -> List[Tuple[str, str]]:
        """``[(name, value)]`` as received, names in lower case."""
        if not isinstance(self._header_source, HeaderList):
            source = self._header_source
            self._header_source = HeaderList(source if isinstance(source, list) else source.to_list())
        headers: List[Tuple[str, str]] = self._header_source
        return headers

    @header_list.setter
    def header_list(self, headers: List[Tuple[str, str]]) -> None:
        self._header_source = HeaderList(headers)

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_header_source"] = HeaderList(redact_pairs(self.header_list))
        return state

    @property
    def headers(self) -> Dict[str, str]:
        out: Dict[str, str] = HeaderDict()
        for k, v in self.header_list:
            out[k] = out[k] + ", " + v if k in out else v
        return out

    def getheaders(self) -> Dict[str, str]:
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        key = name.lower()
        for k, v in self.header_list:
            if k == key:
                return v
        return default

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")

    def __repr__(self) -> str:
        return "RESTResponse(status=%r, correlation_id=%r, %d bytes)" % (
            self.status,
            self.correlation_id,
            len(self.data),
        )


class ApiException(Exception):
    """An API call failed. ``ApiException(status, reason)`` also works as in the official package."""

    kind = "http_status"

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        http_resp: Optional[RESTResponse] = None,
        *,
        message: Optional[str] = None,
        code: Optional[str] = None,
        context_id: Optional[str] = None,
        correlation_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        oauth_error: Optional[str] = None,
        oauth_error_description: Optional[str] = None,
    ) -> None:
        self.status = status
        self.reason = reason
        self.body: Optional[str] = None
        self.headers: Optional[Dict[str, str]] = None
        self.http_resp = http_resp
        if http_resp is not None:
            self.status = http_resp.status if status is None else status
            self.reason = http_resp.reason if reason is None else reason
            self.body = http_resp.text
            self.headers = http_resp.headers
            correlation_id = correlation_id or http_resp.correlation_id
        self.message = message or reason or ""
        self.code = code
        self.context_id = context_id
        self.correlation_id = correlation_id
        self.retry_after = retry_after
        self.oauth_error = oauth_error
        self.oauth_error_description = oauth_error_description
        super().__init__(self.message)

    @property
    def is_retryable(self) -> bool:
        if self.kind in ("rate_limited", "timeout", "connection"):
            return True
        return self.kind == "http_status" and self.status in (408, 500, 502, 503, 504)

    def __str__(self) -> str:
        if self.status is None and self.http_resp is None:
            return self.message
        out = "(%s)\nReason: %s\n" % (self.status, self.reason)
        if self.message and self.message != self.reason:
            out += "Message: %s\n" % self.message
        if self.correlation_id:
            out += "Correlation id: %s\n" % self.correlation_id
        if self.headers:
            out += "HTTP response headers: %s\n" % self.headers
        if self.body:
            out += "HTTP response body: %s\n" % self.body
        return out

    def __repr__(self) -> str:
        return "%s(kind=%r, status=%r, message=%r, correlation_id=%r)" % (
            type(self).__name__,
            self.kind,
            self.status,
            self.message,
            self.correlation_id,
        )

    def __reduce__(self) -> Any:
        # Credential header values are left out (HeaderDict and RESTResponse pickle without them).
        return (_restore, (type(self), self.__dict__.copy()))


def _restore(cls: Any, state: Dict[str, Any]) -> ApiException:
    exc: ApiException = cls.__new__(cls)
    Exception.__init__(exc, state.get("message", ""))
    exc.__dict__.update(state)
    return exc


class AuthenticationException(ApiException):
    """A grant failed, the token was refused, or a refresh failed (see ``oauth_error``)."""

    kind = "authentication"


class RateLimitException(ApiException):
    """429 after the allowed retries; ``retry_after`` says when to try again."""

    kind = "rate_limited"


class TimeoutException(ApiException):
    """The request, or the wait for a token refresh, took too long."""

    kind = "timeout"


class ConnectionException(ApiException):
    """No connection, a broken connection, or an untrusted TLS certificate."""

    kind = "connection"


class InvalidArgumentException(ApiException, ValueError):
    """A bad argument, found before any request (missing required parameter, bad header...)."""

    kind = "invalid_argument"


class ConfigurationException(ApiException, ValueError):
    """Unusable settings: unknown region, malformed URL, broken config file..."""

    kind = "configuration"


class DecodingException(ApiException):
    """The server's reply could not be decoded."""

    kind = "decoding"


class InternalException(ApiException):
    """A bug in purecore."""

    kind = "internal"


_BY_KIND = {
    cls.kind: cls
    for cls in (
        ApiException,
        AuthenticationException,
        RateLimitException,
        TimeoutException,
        ConnectionException,
        InvalidArgumentException,
        ConfigurationException,
        DecodingException,
        InternalException,
    )
}


def _from_native(
    kind: str,
    message: str,
    status: Optional[int],
    code: Optional[str],
    context_id: Optional[str],
    correlation_id: Optional[str],
    retry_after: Optional[float],
    oauth_error: Optional[str],
    oauth_error_description: Optional[str],
    response: Optional[Tuple[int, str, List[Tuple[str, str]], bytes, Optional[str], int]],
) -> ApiException:
    """Called by the native module to build the exception for a core error."""
    cls = _BY_KIND.get(kind, ApiException)
    http_resp = RESTResponse(*response) if response is not None else None
    return cls(
        status,
        http_resp.reason if http_resp is not None else message,
        http_resp,
        message=message,
        code=code,
        context_id=context_id,
        correlation_id=correlation_id,
        retry_after=retry_after,
        oauth_error=oauth_error,
        oauth_error_description=oauth_error_description,
    )
