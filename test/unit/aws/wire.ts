/**
 * Shared set-up for the wire-contract tests: the real AWS layer (createAws, the SDK clients, our middleware) talking
 * HTTP to nock, which answers as AWS documents. Nothing reaches the network; fake credentials come from
 * test/support/setup.ts.
 */
import nock from 'nock';

import { createAws, type Aws } from '../../../src/aws/clients';

export const ENDPOINT = 'http://aws.test';

/** A fresh Aws per test: retry and adaptive rate-limiter state is per client (aws-facts §2.4). */
export function awsAtNock(): Aws {
  return createAws({ endpoint: ENDPOINT, region: 'us-east-1' });
}

/**
 * nock patches Node's http module, which every test file in a jest worker shares while each file loads its own nock:
 * a file restores http when it ends, so the next file's nock is the only one listening.
 */
export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}

/** Step Functions speaks JSON 1.0: every operation is POST / with X-Amz-Target AWSStepFunctions.<Operation>. */
export function sfnCall(operation: string): nock.Interceptor {
  return nock(ENDPOINT).matchHeader('x-amz-target', `AWSStepFunctions.${operation}`).post('/');
}

/** SSM speaks JSON 1.1: POST / with X-Amz-Target AmazonSSM.<Operation>. */
export function ssmCall(operation: string): nock.Interceptor {
  return nock(ENDPOINT).matchHeader('x-amz-target', `AmazonSSM.${operation}`).post('/');
}

/** Batch speaks rest-json: POST /v1/<operation in lower case>. */
export function batchCall(operation: string, body?: nock.RequestBodyMatcher): nock.Interceptor {
  return nock(ENDPOINT).post(`/v1/${operation.toLowerCase()}`, body);
}

/** The form parameters of a query-protocol request (EC2, IAM, CloudFormation, STS). */
export function formOf(body: unknown): URLSearchParams {
  if (typeof body === 'string') return new URLSearchParams(body);
  return new URLSearchParams(body as Record<string, string>);
}

/** EC2, IAM and CloudFormation speak query protocols: POST / with Action=<Operation> in a form body. */
export function queryCall(action: string, where: (form: URLSearchParams) => boolean = () => true): nock.Interceptor {
  return nock(ENDPOINT).post('/', (body: unknown) => {
    const form = formOf(body);
    return form.get('Action') === action && where(form);
  });
}

/** A JSON 1.0/1.1 error body as Step Functions and SSM send it. */
export function jsonError(type: string, message: string): [Record<string, string>, Record<string, string>] {
  return [{ __type: type, message }, { 'content-type': 'application/x-amz-json-1.1' }];
}

/** EC2's error document (EC2 API reference, "Error codes": Response/Errors/Error with Code and Message). */
export function ec2Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>5f4b5e8a-0000-4000-8000-000000000000</RequestID></Response>`;
}

export const XML = { 'content-type': 'text/xml;charset=UTF-8' };

/** The rejection of a promise, for asserting on the error object itself. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
