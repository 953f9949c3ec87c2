"""Fix 6: CloudFormation AWS::StepFunctions::StateMachine goes to the backend the API uses.

moto bug: StateMachine.create/update/delete_from_cloudformation_json always use the
plain `stepfunctions_backends`. With execute_state_machine=true the API reads
`stepfunctions_parser_backends`, so a stack's state machine is invisible
(StateMachineDoesNotExist) and can never be executed.

Fix: the same three handlers, but they ask moto's own `get_backend()` (the function the
API responses use) which backend is live.
"""

from typing import Any

from moto.stepfunctions.models import StateMachine
from moto.stepfunctions.responses import get_backend
from moto.stepfunctions.utils import cfn_to_api_tags


def _definition(properties: Any) -> Any:
    # Imported here: cfn_ownership (fix 22) holds the DefinitionSubstitutions rule.
    from .cfn_ownership import substitute

    definition = properties.get("DefinitionString")
    if definition is None:
        return None
    return substitute(definition, properties.get("DefinitionSubstitutions"))


def _create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
    properties = cloudformation_json["Properties"]
    backend = get_backend(account_id, region_name)
    return backend.create_state_machine(
        properties.get("StateMachineName", resource_name),
        _definition(properties) or "",
        properties.get("RoleArn", ""),
        tags=cfn_to_api_tags(properties.get("Tags", [])),
    )


def _delete(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str) -> None:
    get_backend(account_id, region_name).delete_state_machine(resource_name)


def _update(
    cls: Any,
    original_resource: Any,
    new_resource_name: str,
    cloudformation_json: Any,
    account_id: str,
    region_name: str,
) -> Any:
    properties = cloudformation_json.get("Properties", {})
    name = properties.get("StateMachineName", original_resource.name)
    if name != original_resource.name:  # replacement
        cloudformation_json["Properties"] = original_resource.get_cfn_properties(properties)
        new_resource = cls.create_from_cloudformation_json(name, cloudformation_json, account_id, region_name)
        cls.delete_from_cloudformation_json(original_resource.arn, cloudformation_json, account_id, region_name)
        return new_resource
    backend = get_backend(account_id, region_name)
    state_machine = backend.update_state_machine(
        original_resource.arn,
        definition=_definition(properties),
        role_arn=properties.get("RoleArn"),
    )
    backend.tag_resource(state_machine.arn, cfn_to_api_tags(properties.get("Tags", [])))
    return state_machine


def apply() -> None:
    StateMachine.create_from_cloudformation_json = classmethod(_create)
    StateMachine.delete_from_cloudformation_json = classmethod(_delete)
    StateMachine.update_from_cloudformation_json = classmethod(_update)
