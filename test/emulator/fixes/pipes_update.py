"""EventBridge Pipes: UpdatePipe, and CreatePipe refusing a name that is taken.

AWS (Pipes API reference, UpdatePipe): `PUT /v1/pipes/{Name}` with a required `RoleArn` updates only the fields the
request names; the rest are kept. The exception is each AWS-service-specific object inside `SourceParameters`,
`EnrichmentParameters` and `TargetParameters` (for example `BatchJobParameters`): it is replaced as one, so an
optional field left out of it goes back to its default. The answer is `{Arn, Name, DesiredState, CurrentState,
CreationTime, LastModifiedTime}` with `CurrentState` `UPDATING`; an unknown pipe is `NotFoundException` (404).
CreatePipe on a name that exists is `ConflictException` (409) (API_CreatePipe, "Errors").
moto 5.2.1: UpdatePipe is not implemented (HTTP 500 "The update_pipe action has not been implemented"); CreatePipe
overwrites an existing pipe silently.
Fix: an `update_pipe` handler with those semantics; CreatePipe checks the name first. The pipe is `UPDATING` until
its next describe or list (moto's state manager moves it on to its desired state, as for create).
"""

import json
from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.pipes.exceptions import ConflictException, NotFoundException, ValidationException
from moto.pipes.models import EventBridgePipesBackend, Pipe
from moto.pipes.responses import EventBridgePipesResponse

UPDATING = "UPDATING"

_original_create = EventBridgePipesBackend.create_pipe


def _merge_parameters(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any] | None:
    """Each member named in `new` replaces the old one whole (service objects are atomic); others are kept."""
    if new is None:
        return old
    merged = dict(old or {})
    for key, value in new.items():
        merged[key] = value
    return merged


def _update_pipe(self: EventBridgePipesBackend, name: str, params: dict[str, Any]) -> Pipe:
    if name not in self.pipes:
        raise NotFoundException(f"Pipe {name} not found")
    pipe = self.pipes[name]
    if "Description" in params:
        pipe.description = params["Description"]
    if "DesiredState" in params:
        pipe.desired_state = params["DesiredState"]
    if "Enrichment" in params:
        pipe.enrichment = params["Enrichment"]
    if "Target" in params:
        pipe.target = params["Target"]
    if "LogConfiguration" in params:
        pipe.log_configuration = params["LogConfiguration"]
    if "KmsKeyIdentifier" in params:
        pipe.kms_key_identifier = params["KmsKeyIdentifier"]
    pipe.role_arn = params["RoleArn"]
    pipe.source_parameters = _merge_parameters(pipe.source_parameters, params.get("SourceParameters"))
    pipe.enrichment_parameters = _merge_parameters(pipe.enrichment_parameters, params.get("EnrichmentParameters"))
    pipe.target_parameters = _merge_parameters(pipe.target_parameters, params.get("TargetParameters"))
    pipe.last_modified_time = utcnow()
    # UPDATING, then the desired state at the next describe/list (moto's ManagedState walks these transitions).
    pipe._transitions = [(UPDATING, pipe.desired_state)] + [t for t in pipe._transitions if t[0] != UPDATING]
    pipe.status = UPDATING
    return pipe


def _update_pipe_response(self: EventBridgePipesResponse) -> ActionResult:
    params = json.loads(self.body) if self.body else {}
    name = self.uri.split("?")[0].rstrip("/").split("/")[-1]
    if not params.get("RoleArn"):
        raise ValidationException("RoleArn is a required parameter")
    pipe = self.pipes_backend.update_pipe(name, params)  # type: ignore[attr-defined]
    return ActionResult(
        {
            "Arn": pipe.arn,
            "Name": pipe.name,
            "DesiredState": pipe.desired_state,
            "CurrentState": UPDATING,
            "CreationTime": pipe.creation_time,
            "LastModifiedTime": pipe.last_modified_time,
        }
    )


def _create_pipe(self: EventBridgePipesBackend, *args: Any, **kwargs: Any) -> Pipe:
    name = kwargs.get("name", args[0] if args else None)
    if name in self.pipes:
        raise ConflictException(f"Pipe {name} already exists.", resource_id=name, resource_type="pipe")
    return _original_create(self, *args, **kwargs)


def apply() -> None:
    EventBridgePipesBackend.update_pipe = _update_pipe  # type: ignore[attr-defined]
    EventBridgePipesBackend.create_pipe = _create_pipe  # type: ignore[method-assign]
    EventBridgePipesResponse.update_pipe = _update_pipe_response  # type: ignore[attr-defined]
