"""Model classes (``purecore.models.User``), created on first use from the generated metadata."""

from ._generated import models as _gen_models
from ._generated.models import Model, __getattr__  # noqa: F401

_from_wire = _gen_models._from_wire
