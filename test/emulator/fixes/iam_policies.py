"""Fix 18: IAM identity policies are evaluated: Step Functions Batch tasks, SimulatePrincipalPolicy.

moto gaps:
  - A Step Functions execution submits Batch jobs whatever its role allows. On AWS the
    execution acts as its role (API_CreateStateMachine: roleArn "The Amazon Resource Name
    of the IAM role to use for this state machine"), and batch:SubmitJob is authorized on
    both the job queue and the job definition ARN (Service Authorization Reference, AWS
    Batch: SubmitJob, resource types job-definition* and job-queue*). A role that does not
    allow it fails the Task: the Batch AccessDeniedException surfaces as the Task's error
    `Batch.AccessDeniedException` (Step Functions names a service error "<Service>.<code>",
    as moto's own Batch integration does for ClientException), with AWS's message form
    "User: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION is not authorized to perform:
    batch:SubmitJob on resource: ARN because no identity-based policy allows the
    batch:SubmitJob action" (IAM User Guide, "Troubleshoot access denied error messages";
    "... with an explicit deny in an identity-based policy" when a Deny matched).
    batchctl promotes only when every referencing role may submit to B, so
    the emulator must fail like AWS when it may not.
  - iam:SimulatePrincipalPolicy is not implemented (moto answers "not yet implemented").

Fix: one evaluator of identity policies (IAM User Guide, "Policy evaluation logic" and
"IAM JSON policy elements"): a role's inline policies and the default version of each
attached managed policy (a user's also include its groups'), Statement as object or list,
Action/NotAction and Resource/NotResource as string or list, `*` and `?` wildcards (actions
case-insensitive, resources case-sensitive), explicit Deny wins over Allow, nothing matching
is an implicit deny. A permissions boundary on a role must also allow the action.
Not evaluated: Condition blocks (a statement with a Condition never applies, as when the
simulator lacks the context values), policy variables, resource-based policies, SCPs,
session policies.

Used by:
  - the Step Functions Batch integrations (batch:submitJob[.sync|.waitForTaskToken] and
    aws-sdk:batch:submitJob): before the call, the task's role (the execution role, or the
    state's Credentials.RoleArn) is evaluated for batch:SubmitJob on the queue ARN (a name
    resolves to its ARN) and the job definition revision ARN (`name` resolves to its latest
    ACTIVE revision, `name:3` to that revision). A role ARN that IAM does not know is not
    evaluated: AWS refuses such a state machine at CreateStateMachine, moto does not, and
    many tests use a placeholder role; to be enforced, a role must exist in the emulator's
    IAM. Each refusal is also recorded as a violation (operation SubmitJob).
  - SimulatePrincipalPolicy (PolicySourceArn a role or user ARN, ActionNames, ResourceArns,
    MaxItems/Marker): one EvaluationResult per action and resource (resource `*` when none
    is given), EvalDecision allowed | explicitDeny | implicitDeny and the MatchedStatements
    that decided it. PolicyInputList, PermissionsBoundaryPolicyInputList and ResourcePolicy
    are refused with InvalidInput (not modelled here); ContextEntries are ignored.
"""

import json
import re
import uuid
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import ClientError

from moto.core.responses import ActionResult
from moto.iam.exceptions import InvalidInput, NotFoundException
from moto.iam.models import iam_backends
from moto.iam.responses import IamResponse
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_aws_sdk as aws_sdk_module,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_batch as batch_module,
)

from . import state

ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY = "allowed", "explicitDeny", "implicitDeny"


# --- the evaluator --------------------------------------------------------------------------


class Policy:
    """One identity policy: its statements and where it came from (for MatchedStatements)."""

    def __init__(self, source_id: str, source_type: str, document: Any):
        self.source_id = source_id
        self.source_type = source_type  # model PolicySourceType: role | user | group | aws-managed | user-managed
        self.statements = _statements(document)


def _statements(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            document = json.loads(unquote(document))  # moto may keep a URL-encoded document
    if not isinstance(document, dict):
        return []
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    return [s for s in statements or [] if isinstance(s, dict)]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


_pattern_cache: dict[tuple[str, bool], re.Pattern[str]] = {}


def wildcard_match(pattern: str, value: str, ignore_case: bool) -> bool:
    """IAM wildcards: `*` any run of characters (also `:` and `/`), `?` any one character."""
    key = (pattern, ignore_case)
    compiled = _pattern_cache.get(key)
    if compiled is None:
        regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
        compiled = re.compile(f"^{regex}$", re.DOTALL | (re.IGNORECASE if ignore_case else 0))
        _pattern_cache[key] = compiled
    return compiled.match(value) is not None


def _element_matches(
    statement: dict[str, Any], positive: str, negative: str, value: str, ignore_case: bool
) -> bool:
    if positive in statement:
        return any(wildcard_match(p, value, ignore_case) for p in _as_list(statement[positive]))
    if negative in statement:
        return not any(wildcard_match(p, value, ignore_case) for p in _as_list(statement[negative]))
    return False  # neither element: the statement names no action (or resource), so it applies to none


def statement_applies(statement: dict[str, Any], action: str, resource: str) -> bool:
    if "Condition" in statement:
        return False  # not evaluated (module docstring)
    return _element_matches(statement, "Action", "NotAction", action, True) and _element_matches(
        statement, "Resource", "NotResource", resource, False
    )


def evaluate(policies: list[Policy], action: str, resource: str) -> tuple[str, list[dict[str, str]]]:
    """(decision, matched statements) for one action on one resource."""
    allows: list[dict[str, str]] = []
    denies: list[dict[str, str]] = []
    for policy in policies:
        for statement in policy.statements:
            if statement_applies(statement, action, resource):
                matched = {"SourcePolicyId": policy.source_id, "SourcePolicyType": policy.source_type}
                if statement.get("Effect") == "Deny":
                    denies.append(matched)
                elif statement.get("Effect") == "Allow":
                    allows.append(matched)
    if denies:
        return EXPLICIT_DENY, denies
    if allows:
        return ALLOWED, allows
    return IMPLICIT_DENY, []


# --- principals in moto's IAM -----------------------------------------------------------------


def _default_document(managed: Any) -> Any:
    for version in getattr(managed, "versions", []):
        if version.version_id == managed.default_version_id:
            return version.document
    return None


def _managed(managed_policies: Any) -> list[Policy]:
    out = []
    for arn, managed in list(managed_policies.items()):
        kind = "aws-managed" if ":aws:policy/" in arn else "user-managed"
        out.append(Policy(managed.name, kind, _default_document(managed)))
    return out


def _account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else ""


def _partition_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[1] if len(parts) > 5 and parts[1] else "aws"


def _iam(arn: str) -> Any:
    return iam_backends[_account_of(arn)][_partition_of(arn)]


def find_role(arn: str) -> Any | None:
    try:
        return _iam(arn).get_role_by_arn(arn)
    except (NotFoundException, KeyError):
        return None


def role_policies(role: Any) -> list[Policy]:
    inline = [Policy(name, "role", doc) for name, doc in list(role.policies.items())]
    return inline + _managed(role.managed_policies)


def _boundary(iam: Any, arn: str | None) -> list[Policy] | None:
    if not arn:
        return None
    managed = iam.managed_policies.get(arn)  # moto keeps AWS-managed policies here too
    if managed is None:
        return []  # a boundary that does not exist allows nothing
    return [Policy(managed.name, "user-managed", _default_document(managed))]


def principal_policies(arn: str) -> tuple[list[Policy], list[Policy] | None]:
    """(identity policies, permissions boundary or None) of a role or user ARN; NoSuchEntity when unknown."""
    resource = arn.split(":", 5)[5] if arn.count(":") >= 5 else ""
    if resource.startswith("role/"):
        role = find_role(arn)
        if role is None:
            raise NotFoundException(f"The role with ARN {arn} cannot be found.")
        return role_policies(role), _boundary(_iam(arn), role.permissions_boundary_arn)
    if resource.startswith("user/"):
        iam = _iam(arn)
        user = next((u for u in list(iam.users.values()) if u.arn == arn), None)
        if user is None:
            raise NotFoundException(f"The user with ARN {arn} cannot be found.")
        policies = [Policy(name, "user", doc) for name, doc in list(user.policies.items())]
        policies += _managed(user.managed_policies)
        for group in iam.get_groups_for_user(user.name):
            policies += [Policy(name, "group", doc) for name, doc in list(group.policies.items())]
            policies += _managed(group.managed_policies)
        return policies, _boundary(iam, getattr(user, "permissions_boundary_arn", None))
    raise InvalidInput(f"Invalid ARN: {arn} is not the ARN of an IAM role or user.")


def decide(
    policies: list[Policy], boundary: list[Policy] | None, action: str, resource: str
) -> tuple[str, list[dict[str, str]]]:
    decision, matched = evaluate(policies, action, resource)
    if decision == ALLOWED and boundary is not None:
        bounded, bounded_matched = evaluate(boundary, action, resource)
        if bounded != ALLOWED:
            return bounded, bounded_matched
    return decision, matched


# --- Step Functions Batch tasks -----------------------------------------------------------


def _batch_backend(account: str, region: str) -> Any:
    from moto.batch.models import batch_backends

    return batch_backends[account][region]


def _queue_arn(backend: Any, identifier: str, account: str, region: str) -> str:
    queue = backend.get_job_queue(identifier) if identifier else None
    if queue is not None:
        return queue.arn
    if identifier.startswith("arn:"):
        return identifier
    return f"arn:aws:batch:{region}:{account}:job-queue/{identifier}"


def _job_definition_arn(backend: Any, identifier: str, account: str, region: str) -> str:
    if identifier.startswith("arn:"):
        return identifier
    if ":" not in identifier:  # bare name: the latest ACTIVE revision, as SubmitJob uses
        active = [
            jd
            for jd in list(backend._job_definitions.values())
            if jd.name == identifier and jd.status == "ACTIVE"
        ]
        if active:
            return max(active, key=lambda jd: jd.revision).arn
    return f"arn:aws:batch:{region}:{account}:job-definition/{identifier}"


def _access_denied(role_arn: str, action: str, resource: str, decision: str) -> ClientError:
    role_name = role_arn.rsplit("/", 1)[-1]
    session = uuid.uuid4().hex
    principal = f"arn:aws:sts::{_account_of(role_arn)}:assumed-role/{role_name}/{session}"
    why = (
        "with an explicit deny in an identity-based policy"
        if decision == EXPLICIT_DENY
        else f"because no identity-based policy allows the {action} action"
    )
    message = f"User: {principal} is not authorized to perform: {action} on resource: {resource} {why}"
    request_id = str(uuid.uuid4())
    return ClientError(
        {
            "Error": {"Code": "AccessDeniedException", "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": 403, "RequestId": request_id},
        },
        "SubmitJob",
    )


def check_submit_job(role_arn: str, parameters: dict[str, Any], account: str, region: str) -> None:
    """Raise Batch's AccessDeniedException (as a botocore ClientError, the form the task's
    error mapping reads) when the role may not submit to the queue and job definition."""
    role = find_role(role_arn) if role_arn else None
    if role is None:
        return  # unknown role: not evaluated (module docstring)
    backend = _batch_backend(account, region)
    resources = [
        _queue_arn(backend, str(parameters.get("jobQueue") or ""), account, region),
        _job_definition_arn(backend, str(parameters.get("jobDefinition") or ""), account, region),
    ]
    policies = role_policies(role)
    boundary = _boundary(_iam(role_arn), role.permissions_boundary_arn)
    for resource in resources:
        decision, _ = decide(policies, boundary, "batch:SubmitJob", resource)
        if decision != ALLOWED:
            error = _access_denied(role_arn, "batch:SubmitJob", resource, decision)
            state.record_violation("SubmitJob", error.response["Error"]["Message"])
            raise error


def _wrap_eval_service_task(original: Any, is_batch: Any) -> Any:
    def _eval_service_task(
        self: Any, env: Any, resource_runtime_part: Any, normalised_parameters: dict, state_credentials: Any
    ) -> Any:
        if is_batch(self) and self._get_boto_service_action() == "submit_job":
            check_submit_job(
                getattr(state_credentials, "role_arn", None) or env.aws_execution_details.role_arn,
                normalised_parameters,
                resource_runtime_part.account,
                resource_runtime_part.region,
            )
        return original(self, env, resource_runtime_part, normalised_parameters, state_credentials)

    return _eval_service_task


# --- iam:SimulatePrincipalPolicy ------------------------------------------------------------------


def simulate_principal_policy(self: Any) -> ActionResult:
    for unsupported in ("PolicyInputList", "PermissionsBoundaryPolicyInputList", "ResourcePolicy"):
        if self._get_param(unsupported):
            raise InvalidInput(f"{unsupported} is not supported by this emulator's SimulatePrincipalPolicy")
    source = self._get_param("PolicySourceArn")
    actions = self._get_param("ActionNames") or []
    if not source or not actions:
        raise InvalidInput("PolicySourceArn and ActionNames are required")
    resources = self._get_param("ResourceArns") or ["*"]
    policies, boundary = principal_policies(source)
    results = []
    for action in actions:
        for resource in resources:
            decision, matched = decide(policies, boundary, action, resource)
            results.append(
                {
                    "EvalActionName": action,
                    "EvalResourceName": resource,
                    "EvalDecision": decision,
                    "MatchedStatements": matched,
                    "MissingContextValues": [],
                }
            )
    marker = self._get_param("Marker")
    start = int(marker) if marker and marker.isdigit() else 0
    size = self._get_int_param("MaxItems") or 100  # model maxItemsType 1..1000; AWS's default page is 100
    page = results[start : start + size]
    body: dict[str, Any] = {"EvaluationResults": page, "IsTruncated": start + size < len(results)}
    if body["IsTruncated"]:
        body["Marker"] = str(start + size)
    return ActionResult(body)


def apply() -> None:
    batch_cls = batch_module.StateTaskServiceBatch
    batch_cls._eval_service_task = _wrap_eval_service_task(batch_cls._eval_service_task, lambda _self: True)
    sdk_cls = aws_sdk_module.StateTaskServiceAwsSdk
    sdk_cls._eval_service_task = _wrap_eval_service_task(
        sdk_cls._eval_service_task, lambda self: self.resource.api_name == "batch"
    )
    IamResponse.simulate_principal_policy = simulate_principal_policy
