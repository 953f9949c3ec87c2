"""Fix 21: what CloudFormation tells about the resources it owns.

AWS:
- CloudFormation adds `aws:cloudformation:stack-name`, `aws:cloudformation:stack-id` and
  `aws:cloudformation:logical-id` to every resource it creates that supports tags (CloudFormation User Guide,
  "Tag your CloudFormation resources":
  https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html).
  Batch returns them in DescribeJobQueues / DescribeComputeEnvironments / DescribeJobDefinitions `tags`, Step
  Functions in ListTagsForResource.
- DescribeStackResources takes StackName or PhysicalResourceId, not both (ValidationError); with PhysicalResourceId
  it returns the resources of the stack that owns it, and "Stack for <id> does not exist" (ValidationError) when no
  stack does (API_DescribeStackResources).
- AWS::StepFunctions::StateMachine `DefinitionSubstitutions` replaces each `${key}` of the definition with its value
  (CloudFormation template reference, AWS::StepFunctions::StateMachine).

moto 5.2.1: only EC2 resources get the tags (parsing.py ResourceMap.create), and a launch template's
DescribeLaunchTemplates `Tags` is a copy taken at creation, so tags added later (CloudFormation's, CreateTags) never
show there (AWS: DescribeLaunchTemplates returns the template's tags); DescribeStackResources ignores
PhysicalResourceId (StackName is then None and it fails); the state machine handlers ignore DefinitionSubstitutions.

Fix: after a stack is created or updated, its Batch queues, compute environments, job definitions and state machines
get the three tags; a launch template's tags are read when described; DescribeStackResources answers by physical
id; the state machine handlers (fix 6) substitute.
"""

from typing import Any

from moto.batch.models import ComputeEnvironment, JobDefinition, JobQueue, batch_backends
from moto.cloudformation import responses as cfn_responses
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.parsing import ResourceMap
from moto.ec2.models.launch_templates import LaunchTemplate
from moto.stepfunctions.models import StateMachine
from moto.stepfunctions.responses import get_backend as sfn_backend

_original_create = ResourceMap.create
_original_update = ResourceMap.update
_original_describe = cfn_responses.CloudFormationResponse.describe_stack_resources


def _tag_owned(resources: ResourceMap) -> None:
    base = {
        "aws:cloudformation:stack-name": resources["AWS::StackName"],
        "aws:cloudformation:stack-id": resources["AWS::StackId"],
    }
    for logical_id in resources._resource_json_map:
        instance = resources._parsed_resources.get(logical_id)
        tags = {**base, "aws:cloudformation:logical-id": logical_id}
        if isinstance(instance, (ComputeEnvironment, JobQueue, JobDefinition)):
            batch_backends[resources._account_id][resources._region_name].tag_resource(instance.arn, tags)
        elif isinstance(instance, StateMachine):
            sfn_backend(resources._account_id, resources._region_name).tag_resource(
                instance.arn, [{"key": k, "value": v} for k, v in tags.items()]
            )


def _create(self: ResourceMap, template: dict[str, Any]) -> bool:
    ready = _original_create(self, template)
    _tag_owned(self)
    return ready


def _update(self: ResourceMap, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
    _original_update(self, template, parameters)
    _tag_owned(self)


def _describe_stack_resources(self: Any) -> Any:
    physical_id = self._get_param("PhysicalResourceId")
    stack_name = self._get_param("StackName")
    if physical_id is None:
        return _original_describe(self)
    if stack_name is not None:
        raise ValidationError(stack_name, message="Specify either StackName or PhysicalResourceId, not both.")
    logical_id = self._get_param("LogicalResourceId")
    for stack in self.cloudformation_backend.stacks.values():
        resources = list(stack.stack_resources)
        if any(getattr(r, "physical_resource_id", None) == physical_id for r in resources):
            if logical_id is not None:
                resources = [r for r in resources if getattr(r, "logical_resource_id", None) == logical_id]
            return cfn_responses.ActionResult(
                {"StackResources": [cfn_responses.StackResourceDTO(stack, r) for r in resources]}
            )
    raise ValidationError(physical_id, message=f"Stack for {physical_id} does not exist")


def substitute(definition: str, substitutions: Any) -> str:
    """`${key}` → value for each DefinitionSubstitutions entry (values may be strings, numbers or booleans)."""
    for key, value in (substitutions or {}).items():
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        definition = definition.replace("${" + key + "}", text)
    return definition


def _current_tags(self: Any) -> Any:
    return self.get_tags()


def _ignore_snapshot(self: Any, value: Any) -> None:
    # LaunchTemplate.__init__ assigns its creation-time tags; the property reads the live ones instead.
    pass


def apply() -> None:
    LaunchTemplate.tags = property(_current_tags, _ignore_snapshot)  # type: ignore[assignment,method-assign]
    ResourceMap.create = _create  # type: ignore[method-assign]
    ResourceMap.update = _update  # type: ignore[method-assign]
    cfn_responses.CloudFormationResponse.describe_stack_resources = _describe_stack_resources  # type: ignore[method-assign]
