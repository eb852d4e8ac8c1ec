import typing as _t

from ._generated.models import *  # noqa: F401,F403
from ._generated.models import Model as Model

def _from_wire(value: _t.Any, ty: str) -> _t.Any: ...
