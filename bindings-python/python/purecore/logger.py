"""Log levels and formats with the official names (``LogLevel.LTrace``, ``LogFormat.JSON``).

Logging itself is done by the core: one line per HTTP exchange, secrets redacted,
to stderr (``log_to_console``), a file (``log_file_path``) and/or a Python
callable (``configuration.logger.sink = fn(level, line)``).
"""

from __future__ import annotations

from enum import Enum


class LogLevel(Enum):
    LTrace = "trace"
    LDebug = "debug"
    LError = "error"
    LNone = "none"


class LogFormat(Enum):
    JSON = "json"
    TEXT = "text"
