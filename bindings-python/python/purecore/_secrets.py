"""Containers that hold credentials without ever showing them.

Tokens, proxy passwords, TLS keys and credential headers (``Authorization``,
``Cookie``, ``Set-Cookie``...; the core's list) stay readable by the code that
asks for them (``token["access_token"]``, ``resp.getheader("set-cookie")``),
but ``repr``, ``str``, ``format``, ``pprint``, ``vars()``, logging and pickles
show ``[REDACTED]`` in their place, or refuse (pickling a token or a secret).
"""

import copy

REDACTED = "[REDACTED]"

_TOKEN_KEYS = frozenset(("access_token", "refresh_token", "id_token"))


def _native():
    from . import _purecore

    return _purecore


def is_secret_header(name):
    return _native().is_secret_header(str(name))


def redact_pairs(pairs):
    """``[(name, value)]`` with credential header values replaced (the core's rule)."""
    return [(k, REDACTED if is_secret_header(k) else v) for k, v in pairs]


class Hidden:
    """One secret value: shown as ``<hidden>``, never pickled."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "<hidden>"

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        raise TypeError("a secret is not pickled")


def reveal(hidden):
    return None if hidden is None else hidden.value


class TokenDict(dict):
    """A token as a plain dict (``access_token``, ``refresh_token``, ``expires_in``...)
    whose repr shows ``[REDACTED]`` for the tokens. Not picklable: a pickle would
    hold the tokens (pickle ``dict(token)`` deliberately if you must)."""

    __slots__ = ()

    def __repr__(self):
        shown = {k: (REDACTED if k in _TOKEN_KEYS and v is not None else v) for k, v in self.items()}
        return "TokenDict(%r)" % (shown,)

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        raise TypeError("a token dict is not pickled: it holds credentials")

    def __copy__(self):
        return TokenDict(self)

    def __deepcopy__(self, memo):
        return TokenDict(copy.deepcopy(dict(self), memo))


class HeaderDict(dict):
    """Headers by name; credential values are hidden from repr and pickles."""

    __slots__ = ()

    def __repr__(self):
        return repr(dict(redact_pairs(self.items())))

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (HeaderDict, (redact_pairs(self.items()),))

    def __copy__(self):
        return HeaderDict(self)

    def __deepcopy__(self, memo):
        return HeaderDict(copy.deepcopy(dict(self), memo))


class HeaderList(list):
    """``[(name, value)]``; credential values are hidden from repr and pickles."""

    __slots__ = ()

    def __repr__(self):
        return repr(redact_pairs(self))

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (HeaderList, (redact_pairs(self),))

    def __copy__(self):
        return HeaderList(self)

    def __deepcopy__(self, memo):
        return HeaderList(copy.deepcopy(list(self), memo))


# Settings whose values are secrets (in Configuration._values).
_SECRET_SETTINGS = frozenset(("tls.client_key_pem",))


def _shown_setting(key, value):
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


class SettingsDict(dict):
    """The settings a Configuration holds (dotted keys): proxy password, TLS key
    and credential headers are hidden from repr; never pickled."""

    __slots__ = ()

    def __repr__(self):
        return repr({k: _shown_setting(k, v) for k, v in self.items()})

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        raise TypeError("settings holding secrets are not pickled")
