"""Model classes (``purecore.models.User``), created on first use from the generated metadata."""

from __future__ import annotations

from ._generated import models as _gen_models
from ._generated.models import Model, __getattr__  # type: ignore[attr-defined]  # noqa: F401

_from_wire = _gen_models._from_wire  # type: ignore[attr-defined]  # (not in the public stub)
