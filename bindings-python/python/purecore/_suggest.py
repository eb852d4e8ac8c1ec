"""The error for a name purecore does not have, naming the closest one it does.

``from purecore import UserCreate`` raises ``ImportError`` saying to use
``CreateUser`` (the API definition's name); ``purecore.UserCreate`` raises
``AttributeError`` with the same message, so ``hasattr`` and ``getattr(..., default)``
keep working.
"""

from __future__ import annotations

import difflib
import re
from types import FrameType
from typing import Dict, FrozenSet, List, Optional, Tuple

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z]+|[0-9]+")
_Table = Tuple[Dict[str, str], Dict[str, str], Dict[str, List[str]], Dict[str, FrozenSet[str]]]
_TABLE: Optional[_Table] = None


def _words(name: str) -> List[str]:
    """The words of a CamelCase name, lower case, a plural ``s`` dropped (``Users`` is ``user``)."""
    out = []
    for w in _WORD.findall(name):
        w = w.lower()
        out.append(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def _table() -> _Table:
    """Every public name: by lower case, by sorted words, each word's names, each name's words."""
    global _TABLE
    if _TABLE is None:
        import purecore
        from ._generated import _MODULES  # type: ignore[attr-defined]  # (not in the public stub)
        from ._generated import models

        data = models._data()  # type: ignore[attr-defined]
        facade: Dict[str, str] = getattr(purecore, "_FACADE")  # not in the public stub
        names = sorted(set(data) | set(_MODULES) | set(facade))
        by_lower: Dict[str, str] = {}
        by_key: Dict[str, str] = {}
        by_word: Dict[str, List[str]] = {}
        words_of: Dict[str, FrozenSet[str]] = {}
        for n in names:
            words = _words(n)
            words_of[n] = frozenset(words)
            by_lower.setdefault(n.lower(), n)
            by_key.setdefault(" ".join(sorted(words)), n)
            for w in words_of[n]:
                by_word.setdefault(w, []).append(n)
        _TABLE = (by_lower, by_key, by_word, words_of)
    return _TABLE


def closest(name: str) -> Optional[str]:
    """The existing name closest to ``name``, or None when none is close.

    The same words in another order or case (``UserCreate``, ``UsersAPI``) win; else
    the names sharing a word, by the share of words in common and by spelling; else,
    for a misspelt word, the closest spelling.
    """
    by_lower, by_key, by_word, words_of = _table()
    lower = name.lower()
    words = _words(name)
    for found in (by_lower.get(lower), by_key.get(" ".join(sorted(words)))):
        if found is not None:
            return found
    mine = set(words)
    pool = sorted({n for w in mine for n in by_word.get(w, ())})
    shares = sorted(((len(mine & words_of[n]) / len(mine | words_of[n]), n) for n in pool), reverse=True)
    best: Optional[str] = None
    best_score = 0.5
    matcher = difflib.SequenceMatcher(None, b=lower)
    for share, n in shares:
        if (share + 1) / 2 <= best_score:
            break  # sorted by share: no later name can do better
        matcher.set_seq1(n.lower())
        if (share + matcher.quick_ratio()) / 2 <= best_score:
            continue
        score = (share + matcher.ratio()) / 2
        if score > best_score:
            best, best_score = n, score
    if best is not None:
        return best
    near = [n for n in by_lower if abs(len(n) - len(lower)) <= max(2, len(lower) // 3)]
    match = difflib.get_close_matches(lower, near, n=1, cutoff=0.7)
    return by_lower[match[0]] if match else None


def _in_import_from(frame: FrameType) -> bool:
    """Whether ``frame`` is running ``from module import name``."""
    import dis

    try:
        code = frame.f_code.co_code
        return bool(code[frame.f_lasti] == dis.opmap["IMPORT_FROM"])
    except (AttributeError, IndexError, KeyError):
        return False


def missing(module: str, name: str, frame: Optional[FrameType]) -> Exception:
    """The exception for ``module.name``: ImportError in a from-import, else AttributeError."""
    if not name[:1].isupper():
        return AttributeError("module %r has no attribute %r" % (module, name))
    better = closest(name)
    message = "%s has no model or API class named %r" % (module, name)
    if better is not None:
        message += "; the API definition's closest name is %r: use `from %s import %s`" % (better, module, better)
    if frame is not None and _in_import_from(frame):
        return ImportError(message, name=module)
    return AttributeError(message)
