/**
 * SSM Parameter Store and EC2 served at the HTTP level as AWS serves them, for the lock's wire tests.
 *
 * SSM speaks JSON 1.1 (`X-Amz-Target: AmazonSSM.<Operation>`); errors are HTTP 400 with `__type` (API_PutParameter,
 * API_GetParameter, API_DeleteParameter, "Errors"; CommonErrors). PutParameter without Overwrite fails with
 * ParameterAlreadyExists when the name exists; GetParameter and DeleteParameter of a missing name fail with
 * ParameterNotFound.
 *
 * EC2 speaks the query protocol and answers errors as XML `<Response><Errors><Error>…`. CreateLaunchTemplate without
 * any `LaunchTemplateData.*` parameter (what the SDK sends for `LaunchTemplateData: {}`) fails with MissingParameter
 * (aws-facts §8a; the message quoted in awsdocs/aws-cloudformation-user-guide PR #453).
 */
import nock from 'nock';

const SSM = 'https://ssm.us-east-1.amazonaws.com';
const EC2 = 'https://ec2.us-east-1.amazonaws.com';

export const PARAMETER_ALREADY_EXISTS =
  'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.';
export const NO_LAUNCH_TEMPLATE_DATA =
  'No launch template data was provided. Launch template data is required to create a launch template.';

export interface StoredParameter {
  value: string;
  version: number;
  tags: Record<string, string>;
}

export interface SsmCall {
  operation: string;
  body: Record<string, unknown>;
}

type Reply = [number, string, Record<string, string>];

/** A reply that replaces the fake's own for one call; undefined lets the fake answer. */
export type SsmOverride = (call: SsmCall, store: Map<string, StoredParameter>) => Reply | undefined;

export interface FakeSsm {
  store: Map<string, StoredParameter>;
  calls: SsmCall[];
  operations(): string[];
  override?: SsmOverride;
}

export function ssmError(type: string, message?: string): Reply {
  return [
    400,
    JSON.stringify(message === undefined ? { __type: type } : { __type: type, message }),
    { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'b6e5d8a2-0000-4000-8000-000000000001' },
  ];
}

function ok(body: unknown): Reply {
  return [
    200,
    JSON.stringify(body),
    { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'b6e5d8a2-0000-4000-8000-000000000002' },
  ];
}

function parseBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') return (body ? JSON.parse(body) : {}) as Record<string, unknown>;
  return (body ?? {}) as Record<string, unknown>;
}

/** A stateful Parameter Store: what one account and region holds, answering as the API reference documents. */
export function serveSsm(): FakeSsm {
  const fake: FakeSsm = {
    store: new Map(),
    calls: [],
    operations: () => fake.calls.map((c) => c.operation),
  };
  nock(SSM)
    .persist()
    .post('/')
    .reply(function reply(_uri, rawBody): Reply {
      const target = String(this.req.headers['x-amz-target'] ?? '');
      const call: SsmCall = { operation: target.replace(/^AmazonSSM\./, ''), body: parseBody(rawBody) };
      fake.calls.push(call);
      const overridden = fake.override?.(call, fake.store);
      if (overridden) return overridden;
      const name = typeof call.body.Name === 'string' ? call.body.Name : '';
      const existing = fake.store.get(name);
      switch (call.operation) {
        case 'PutParameter': {
          if (existing && call.body.Overwrite !== true)
            return ssmError('ParameterAlreadyExists', PARAMETER_ALREADY_EXISTS);
          const tags = Object.fromEntries(
            ((call.body.Tags ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
          );
          const version = (existing?.version ?? 0) + 1;
          fake.store.set(name, { value: typeof call.body.Value === 'string' ? call.body.Value : '', version, tags });
          return ok({ Version: version, Tier: call.body.Tier ?? 'Standard' });
        }
        case 'GetParameter':
          if (!existing) return ssmError('ParameterNotFound');
          return ok({
            Parameter: {
              Name: name,
              Type: 'String',
              Value: existing.value,
              Version: existing.version,
              LastModifiedDate: 1796000000.123,
              ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
              DataType: 'text',
            },
          });
        case 'DeleteParameter':
          if (!existing) return ssmError('ParameterNotFound');
          fake.store.delete(name);
          return ok({});
        default:
          return ssmError('UnknownOperationException');
      }
    });
  return fake;
}

/** EC2 as it answers the launch-template lock: CreateLaunchTemplate with no launch template data is refused. */
export function serveEc2(): { actions: string[] } {
  const seen: { actions: string[] } = { actions: [] };
  nock(EC2)
    .persist()
    .post('/')
    .reply((_uri, rawBody): Reply => {
      const params = new URLSearchParams(typeof rawBody === 'string' ? rawBody : '');
      const action = params.get('Action') ?? '';
      seen.actions.push(action);
      const xmlError = (code: string, message: string): Reply => [
        400,
        `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID></Response>`,
        { 'content-type': 'text/xml;charset=UTF-8' },
      ];
      const hasData = [...params.keys()].some((k) => k.startsWith('LaunchTemplateData.'));
      if (action === 'CreateLaunchTemplate' && !hasData) return xmlError('MissingParameter', NO_LAUNCH_TEMPLATE_DATA);
      return xmlError('UnauthorizedOperation', `This fake serves no ${action} other than the refusal above.`);
    });
  return seen;
}
