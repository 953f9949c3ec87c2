/**
 * Which launch templates a compute environment uses: the one in `computeResources.launchTemplate` and every one its
 * `overrides[]` name (aws-facts §4.1), each by id or by name. Pure; shared by discovery, derive, steps and retire.
 */
import type { ComputeEnvironmentDetail } from '../aws/types';

export interface TemplateRef {
  id?: string;
  name?: string;
}

export function templatesUsedBy(ce: ComputeEnvironmentDetail): TemplateRef[] {
  const lt = ce.computeResources?.launchTemplate;
  if (!lt) return [];
  return [lt, ...(lt.overrides ?? [])].map((t) => ({
    ...(t.launchTemplateId ? { id: t.launchTemplateId } : {}),
    ...(t.launchTemplateName ? { name: t.launchTemplateName } : {}),
  }));
}

/** Whether `ce` uses the template with this id and name (a reference by either counts). */
export function usesTemplate(ce: ComputeEnvironmentDetail, template: { id: string; name: string }): boolean {
  return templatesUsedBy(ce).some((t) => t.id === template.id || (!t.id && t.name === template.name));
}
