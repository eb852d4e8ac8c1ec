"""Containers that hold credentials without ever showing them.

Tokens, proxy passwords, TLS keys and credential headers (``Authorization``,
``Cookie``, ``Set-Cookie``...; the core's list) stay readable by the code that
asks for them (``token["access_token"]``, ``resp.getheader("set-cookie")``),
but ``repr``, ``str``, ``format``, ``pprint``, ``vars()``, logging and pickles
show ``[REDACTED]`` in their place, or refuse (pickling a token or a secret).
"""

from __future__ import annotations

import copy
from typing import Any, Dict, Iterable, List, Optional, Tuple

REDACTED = "[REDACTED]"

_TOKEN_KEYS = frozenset(("access_token", "refresh_token", "id_token"))


def _native() -> Any:
    from . import _purecore

    return _purecore


def is_secret_header(name: object) -> bool:
    return bool(_native().is_secret_header(str(name)))


def redact_pairs(pairs: Iterable[Tuple[Any, Any]]) -> List[Tuple[Any, Any]]:
    """``[(name, value)]`` with credential header values replaced (the core's rule)."""
    return [(k, REDACTED if is_secret_header(k) else v) for k, v in pairs]


class Hidden:
    """One secret value: shown as ``<hidden>``, never pickled."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<hidden>"

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError("a secret is not pickled")


def reveal(hidden: Optional[Hidden]) -> Any:
    return None if hidden is None else hidden.value


class TokenDict(Dict[str, Any]):
    """A token as a plain dict (``access_token``, ``refresh_token``, ``expires_in``...)
    whose repr shows ``[REDACTED]`` for the tokens. Not picklable: a pickle would
    hold the tokens (pickle ``dict(token)`` deliberately if you must)."""

    __slots__ = ()

    def __repr__(self) -> str:
        shown = {k: (REDACTED if k in _TOKEN_KEYS and v is not None else v) for k, v in self.items()}
        return "TokenDict(%r)" % (shown,)

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError("a token dict is not pickled: it holds credentials")

    def __copy__(self) -> TokenDict:
        return TokenDict(self)

    def __deepcopy__(self, memo: Dict[int, Any]) -> TokenDict:
        return TokenDict(copy.deepcopy(dict(self), memo))


class HeaderDict(Dict[str, Any]):
    """Headers by name; credential values are hidden from repr and pickles."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(dict(redact_pairs(self.items())))

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (HeaderDict, (redact_pairs(self.items()),))

    def __copy__(self) -> HeaderDict:
        return HeaderDict(self)

    def __deepcopy__(self, memo: Dict[int, Any]) -> HeaderDict:
        return HeaderDict(copy.deepcopy(dict(self), memo))


class HeaderList(List[Tuple[str, str]]):
    """``[(name, value)]``; credential values are hidden from repr and pickles."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(redact_pairs(self))

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (HeaderList, (redact_pairs(self),))

    def __copy__(self) -> HeaderList:
        return HeaderList(self)

    def __deepcopy__(self, memo: Dict[int, Any]) -> HeaderList:
        return HeaderList(copy.deepcopy(list(self), memo))


# Settings whose values are secrets (in Configuration._values).
_SECRET_SETTINGS = frozenset(("tls.client_key_pem",))


def _shown_setting(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in _SECRET_SETTINGS:
        return REDACTED
    if key == "proxy" and isinstance(value, dict):
        shown = dict(value)
        if shown.get("password") is not None:
            shown["password"] = REDACTED
        if shown.get("url"):
            shown["url"] = _native().redact_url(str(shown["url"]))
        return shown
    if key == "default_headers":
        return redact_pairs(value)
    return value


class SettingsDict(Dict[str, Any]):
    """The settings a Configuration holds (dotted keys): proxy password, TLS key
    and credential headers are hidden from repr; never pickled."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr({k: _shown_setting(k, v) for k, v in self.items()})

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise TypeError("settings holding secrets are not pickled")
