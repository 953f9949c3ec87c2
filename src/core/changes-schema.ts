/**
 * The JSON Schema of a spec's `changes`: every member typed against the AWS API shape it feeds, from
 * src/core/generated/change-schemas.json (generated from the installed SDK's models by `npm run schemas`; see
 * src/core/change-fields.ts for what may change and why the rest may not), plus batchctl's own members.
 * SPEC_SCHEMA (src/core/spec.ts) embeds `CHANGES_SCHEMA` and carries `CHANGE_DEFINITIONS` at its root, where the
 * generated `$ref`s point.
 */
import generated from './generated/change-schemas.json';

const parts = generated.parts;

export const CHANGE_DEFINITIONS: Record<string, unknown> = generated.definitions;

export const CHANGES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description: 'what B changes: launchTemplate, computeEnvironment, jobQueue, jobDefinitions',
  properties: {
    launchTemplate: {
      type: 'object',
      additionalProperties: false,
      properties: { data: { ...parts.launchTemplateData, description: 'fields merged into LaunchTemplateData' } },
    },
    computeEnvironment: {
      ...parts.computeEnvironment,
      properties: {
        computeResources: parts.computeResources,
        ...parts.computeEnvironment.properties,
        launchTemplateOverrides: {
          enum: ['clone', 'share'],
          description:
            '"clone" (default: B gets its own copy of each launch template an override names) or "share" (B keeps naming A\'s)',
        },
      },
    },
    jobQueue: parts.jobQueue,
    jobDefinitions: {
      type: 'object',
      description: 'changes per job definition, keyed by its base name (without the revision suffix)',
      additionalProperties: parts.jobDefinition,
    },
  },
} as const;
