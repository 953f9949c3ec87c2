"""Fixes 9 and 10: state machine revisions and the version APIs.

moto bugs:
  9. DescribeStateMachine / UpdateStateMachine never return `revisionId`, so code that
     compares revisions (or publishes with revisionId=...) cannot be tested.
 10. PublishStateMachineVersion, ListStateMachineVersions and DeleteStateMachineVersion
     raise NotImplementedError (HTTP 500). ListStateMachineAliases only takes the
     unqualified ARN.

Fix: every state machine carries a revision id (a new uuid4 whenever UpdateStateMachine
really changes the definition, role or a configuration); a published version keeps the
revision it was published from, and publishing an unchanged revision returns the
existing version (AWS: publish is idempotent per revision). The three version APIs are
added to moto's StepFunctionResponse; deleting a version an alias still routes to is a
ConflictException, as on AWS.
"""

import uuid
from typing import Any

from moto.core.exceptions import AWSError
from moto.core.responses import ActionResult, EmptyResult
from moto.stepfunctions.exceptions import StateMachineDoesNotExist, ValidationException
from moto.stepfunctions.models import StateMachine, StepFunctionBackend
from moto.stepfunctions.responses import StepFunctionResponse


class ConflictException(AWSError):
    TYPE = "ConflictException"
    STATUS = 400


_TRACKED = ("definition", "roleArn", "loggingConfiguration", "tracingConfiguration", "encryptionConfiguration")


def revision_of(obj: Any) -> str | None:
    return getattr(obj, "_bc_revision_id", None)


def _ensure_revision(sm: Any) -> str:
    if revision_of(sm) is None:
        sm._bc_revision_id = str(uuid.uuid4())
        sm._bc_initial_revision_id = sm._bc_revision_id
    return sm._bc_revision_id


# --- model patches -----------------------------------------------------------------

_original_update = StateMachine.update
_original_publish = StateMachine.publish
_original_create = StepFunctionBackend.create_state_machine


def _update(self: Any, **kwargs: Any) -> None:
    before = [getattr(self, k, None) for k in _TRACKED]
    _original_update(self, **kwargs)
    _ensure_revision(self)
    if before != [getattr(self, k, None) for k in _TRACKED]:
        self._bc_revision_id = str(uuid.uuid4())


def _publish(self: Any, description: str | None) -> None:
    revision = _ensure_revision(self)
    for version in self.versions.values():
        if revision_of(version) == revision:
            self.latest_version = version  # idempotent: this revision is already published
            return
    _original_publish(self, description)
    self.latest_version._bc_revision_id = revision


def _create_state_machine(self: Any, *args: Any, **kwargs: Any) -> Any:
    sm = _original_create(self, *args, **kwargs)
    _ensure_revision(sm)
    for version in sm.versions.values():
        if revision_of(version) is None:
            version._bc_revision_id = revision_of(sm)
    return sm


# --- helpers -------------------------------------------------------------------------


def _split_version_arn(arn: str) -> tuple[str, int] | None:
    parts = arn.split(":")
    if len(parts) == 8 and parts[7].isdigit():
        return ":".join(parts[:7]), int(parts[7])
    return None


def _state_machine(backend: Any, arn: str) -> Any:
    backend._validate_machine_arn(arn)
    sm = next((x for x in backend.state_machines if x.arn == arn), None)
    if sm is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    return sm


def _page(items: list[Any], max_results: int | None, next_token: str | None) -> tuple[list[Any], str | None]:
    start = int(next_token) if next_token and next_token.isdigit() else 0
    size = max_results or 100
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


# --- responses -------------------------------------------------------------------------

_original_describe = StepFunctionResponse._describe_state_machine
_original_update_response = StepFunctionResponse.update_state_machine
_original_list_aliases = StepFunctionResponse.list_state_machine_aliases


def _describe_state_machine(self: Any, state_machine_arn: str) -> ActionResult:
    result = _original_describe(self, state_machine_arn)
    sm = self.stepfunction_backend.describe_state_machine(state_machine_arn)
    revision = revision_of(sm) or (_ensure_revision(sm) if isinstance(sm, StateMachine) else None)
    if revision:
        result.result["revisionId"] = revision
    # No `updateDate` here: the AWS model of DescribeStateMachine has none (moto's
    # serializer would drop it). UpdateStateMachine and DescribeStateMachineForExecution
    # return one.
    return result


def _update_state_machine(self: Any) -> ActionResult:
    result = _original_update_response(self)
    sm = self.stepfunction_backend.describe_state_machine(self._get_param("stateMachineArn"))
    result.result["revisionId"] = _ensure_revision(sm)
    return result


def publish_state_machine_version(self: Any) -> ActionResult:
    sm = _state_machine(self.stepfunction_backend, self._get_param("stateMachineArn"))
    expected = self._get_param("revisionId")
    current = _ensure_revision(sm)
    if expected:
        initial = getattr(sm, "_bc_initial_revision_id", None)
        matches = expected == current or (expected == "INITIAL" and current == initial)
        if not matches:
            raise ConflictException(
                f"Failed to publish the State Machine version for revision {expected}. "
                f"The current State Machine revision is {current}."
            )
    sm.publish(self._get_param("description"))
    version = sm.latest_version
    return ActionResult(
        {"creationDate": version.creation_date, "stateMachineVersionArn": version.arn}
    )


def list_state_machine_versions(self: Any) -> ActionResult:
    sm = _state_machine(self.stepfunction_backend, self._get_param("stateMachineArn"))
    versions = sorted(sm.versions.values(), key=lambda v: v.version, reverse=True)
    page, token = _page(versions, self._get_int_param("maxResults"), self._get_param("nextToken"))
    body: dict[str, Any] = {
        "stateMachineVersions": [
            {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date} for v in page
        ]
    }
    if token:
        body["nextToken"] = token
    return ActionResult(body)


def delete_state_machine_version(self: Any) -> EmptyResult:
    arn = self._get_param("stateMachineVersionArn")
    split = _split_version_arn(arn or "")
    if split is None:
        raise ValidationException(f"Invalid State Machine Version Arn: '{arn}'")
    base_arn, number = split
    sm = next((x for x in self.stepfunction_backend.state_machines if x.arn == base_arn), None)
    if sm is None or number not in sm.versions:
        return EmptyResult()  # AWS: deleting a missing version succeeds
    routed_by = [
        alias.arn
        for alias in sm.aliases.values()
        if any(r["stateMachineVersionArn"] == arn for r in alias.routing_configuration)
    ]
    if routed_by:
        raise ConflictException(
            f"Version ARN {arn} can't be deleted because it's referenced by "
            f"alias(es): {', '.join(routed_by)}. Update the alias(es) first."
        )
    del sm.versions[number]
    if sm.latest_version is not None and sm.latest_version.version == number:
        remaining = sorted(sm.versions.values(), key=lambda v: v.version)
        sm.latest_version = remaining[-1] if remaining else None
    return EmptyResult()


def list_state_machine_aliases(self: Any) -> ActionResult:
    """Also accept a version ARN: the aliases that route to that version."""
    arn = self._get_param("stateMachineArn") or ""
    split = _split_version_arn(arn)
    if split is None:
        return _original_list_aliases(self)
    sm = _state_machine(self.stepfunction_backend, split[0])
    if split[1] not in sm.versions:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    aliases = sorted(
        (
            a
            for a in sm.aliases.values()
            if any(r["stateMachineVersionArn"] == arn for r in a.routing_configuration)
        ),
        key=lambda a: a.creation_date,
    )
    page, token = _page(aliases, self._get_int_param("maxResults"), self._get_param("nextToken"))
    body: dict[str, Any] = {
        "stateMachineAliases": [
            {"stateMachineAliasArn": a.arn, "creationDate": a.creation_date} for a in page
        ]
    }
    if token:
        body["nextToken"] = token
    return ActionResult(body)


def apply() -> None:
    StateMachine.update = _update
    StateMachine.publish = _publish
    StepFunctionBackend.create_state_machine = _create_state_machine
    StepFunctionResponse._describe_state_machine = _describe_state_machine
    StepFunctionResponse.update_state_machine = _update_state_machine
    StepFunctionResponse.publish_state_machine_version = publish_state_machine_version
    StepFunctionResponse.list_state_machine_versions = list_state_machine_versions
    StepFunctionResponse.delete_state_machine_version = delete_state_machine_version
    StepFunctionResponse.list_state_machine_aliases = list_state_machine_aliases
