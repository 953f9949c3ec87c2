"""PutParameter without overwrite is atomic, as in AWS.

AWS: PutParameter with Overwrite=false fails with ParameterAlreadyExists when the name exists, atomically
(API_PutParameter), which is what batchctl's workload lock relies on (src/services/lock.ts).
moto 5.2.1: `SimpleSystemManagerBackend.put_parameter` reads the name's versions, then appends the new one, with
nothing between the two; the server is threaded, so two concurrent creates of one name can both succeed.
Fix: put_parameter and delete_parameter run under one lock, so each is atomic against the other.
"""

import threading
from typing import Any

from moto.ssm.models import SimpleSystemManagerBackend

_lock = threading.Lock()
_original_put = SimpleSystemManagerBackend.put_parameter
_original_delete = SimpleSystemManagerBackend.delete_parameter


def _put(self: Any, *args: Any, **kwargs: Any) -> Any:
    with _lock:
        return _original_put(self, *args, **kwargs)


def _delete(self: Any, *args: Any, **kwargs: Any) -> Any:
    with _lock:
        return _original_delete(self, *args, **kwargs)


def apply() -> None:
    SimpleSystemManagerBackend.put_parameter = _put  # type: ignore[method-assign]
    SimpleSystemManagerBackend.delete_parameter = _delete  # type: ignore[method-assign]
