/** The hand-back in human form, for plan and status: per stack, what it owns and each template property to change. */
import { describeChange, type StackHandBack } from '../core/handback';

export function renderHandBack(stacks: readonly StackHandBack[], indent = '  '): string[] {
  const out: string[] = [];
  for (const stack of stacks) {
    out.push(`${indent}stack ${stack.stack}`);
    for (const r of stack.resources) {
      const found = r.source === 'tags' ? 'aws:cloudformation tags' : 'DescribeStackResources';
      const retired = r.retiredBySwap ? '; retire deletes it: remove it from the stack or import the new one' : '';
      out.push(`${indent}  owns ${r.kind} ${r.name} as ${r.logicalId} (${found})${retired}`);
    }
    if (stack.unreadable) out.push(`${indent}  template not searched: ${stack.unreadable}`);
    for (const c of stack.changes) out.push(`${indent}  ~ ${describeChange(c)}`);
    if (!stack.unreadable && !stack.changes.length) out.push(`${indent}  (its template names none of the old values)`);
  }
  return out;
}
