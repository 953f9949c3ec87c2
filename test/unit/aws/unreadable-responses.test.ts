/**
 * Issue 7 §2.12: an error response the SDK cannot read (an HTML page from a proxy or load balancer, plain text, an
 * empty body) reaches the user as one readable line, never as SDK internals ("Unexpected token '<'…",
 * "Deserialization error: … {error}.$response"); and an unreachable endpoint is named as the one the client really
 * used. The SDK reads and discards such a body; the AWS layer keeps it (src/aws/clients.ts).
 */
import nock from 'nock';

import { createAws } from '../../../src/aws/clients';
import { classifyAwsError } from '../../../src/aws/errors';
import { BaseCommand } from '../../../src/base-command';
import { ExitCode } from '../../../src/exit-codes';
import { runStep, silentReporter } from '../../../src/services/swap-steps';
import { awsAtNock, batchCall, queryCall, rejectionOf, sfnCall, useNock } from './wire';

useNock();

const saved = { attempts: process.env.AWS_MAX_ATTEMPTS, endpoint: process.env.AWS_ENDPOINT_URL };
beforeEach(() => {
  process.env.AWS_MAX_ATTEMPTS = '1';
  delete process.env.AWS_ENDPOINT_URL;
});
afterEach(() => {
  for (const [key, value] of [
    ['AWS_MAX_ATTEMPTS', saved.attempts],
    ['AWS_ENDPOINT_URL', saved.endpoint],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HTML = { 'content-type': 'text/html' };

describe('a non-JSON or non-XML error body becomes one readable line', () => {
  it('Batch: an nginx 502 page, after the retries run out', async () => {
    process.env.AWS_MAX_ATTEMPTS = '2';
    const scope = batchCall('DescribeJobQueues').times(2).reply(502, NGINX_502, HTML);
    const error = await rejectionOf(awsAtNock().batch.describeJobQueues());
    expect(scope.isDone()).toBe(true);
    const line = classifyAwsError(error);
    expect(line?.message).toBe(
      'AWS answered HTTP 502 with a non-JSON body for Batch DescribeJobQueues: 502 Bad Gateway 502 Bad Gateway nginx',
    );
    expect(line?.exitCode).toBe(ExitCode.Error);
    expect(line?.message).not.toMatch(/Unexpected token|Deserialization|\$response/);
  });

  it('EC2: a plain-text body where the XML error document should be', async () => {
    queryCall('DescribeLaunchTemplates').reply(503, 'Service Unavailable');
    const error = await rejectionOf(awsAtNock().ec2.findLaunchTemplatesByName(['lt-a']));
    expect(classifyAwsError(error)?.message).toBe(
      'AWS answered HTTP 503 with a non-XML body for EC2 DescribeLaunchTemplates: Service Unavailable',
    );
  });

  it('Step Functions: an empty 500', async () => {
    sfnCall('DescribeStateMachine').reply(500, '');
    const error = await rejectionOf(awsAtNock().sfn.describeStateMachine('arn:aws:states:us-east-1:1:stateMachine:x'));
    expect(classifyAwsError(error)?.message).toBe(
      'AWS answered HTTP 500 with an empty body for Step Functions DescribeStateMachine.',
    );
  });

  it('a long page: scripts and styles dropped, the first 100 visible characters kept', async () => {
    const page = `<!DOCTYPE html><html><head><style>body{color:red}</style><script>var x = "<b>";</script></head><body><h1>Access &amp; gateway error</h1><p>${'lorem ipsum '.repeat(20)}</p></body></html>`;
    batchCall('ListJobs').reply(504, page, HTML);
    const error = await rejectionOf(awsAtNock().batch.listJobs('q', 'RUNNING'));
    const message = classifyAwsError(error)?.message ?? '';
    const excerpt = message.replace('AWS answered HTTP 504 with a non-JSON body for Batch ListJobs: ', '');
    expect(excerpt.startsWith('Access & gateway error lorem ipsum')).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(100);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(message).not.toMatch(/[<>{}]|color|var x/);
  });

  it('an HTML page answered with 200 (a captive portal) where the JSON should be', async () => {
    batchCall('DescribeJobQueues').reply(
      200,
      '<html><body><p>Please sign in to the guest network</p></body></html>',
      HTML,
    );
    const error = await rejectionOf(awsAtNock().batch.describeJobQueues());
    expect(classifyAwsError(error)?.message).toBe(
      'AWS answered HTTP 200 with a non-JSON body for Batch DescribeJobQueues: Please sign in to the guest network',
    );
  });

  it('well-formed JSON naming no error shows what it did say, not "UnknownError"', async () => {
    sfnCall('ListExecutions').reply(500, { detail: 'upstream timed out' }, { 'content-type': 'application/json' });
    const error = await rejectionOf(awsAtNock().sfn.listExecutions('arn:aws:states:us-east-1:1:stateMachine:x'));
    expect(error.message).toBe('UnknownError');
    expect(classifyAwsError(error)?.message).toBe(
      'AWS answered HTTP 500 with no error code for Step Functions ListExecutions: {"detail":"upstream timed out"}',
    );
  });

  it('an error AWS really sent is left to its own handling', async () => {
    sfnCall('DescribeStateMachine').reply(
      400,
      { __type: 'StateMachineDoesNotExist', message: 'State Machine Does Not Exist' },
      { 'content-type': 'application/x-amz-json-1.0' },
    );
    const error = await rejectionOf(awsAtNock().sfn.describeStateMachine('arn:aws:states:us-east-1:1:stateMachine:x'));
    expect(classifyAwsError(error)).toBeUndefined();
  });

  it('a swap step that meets it says so in its one line', async () => {
    sfnCall('UpdateStateMachine').reply(503, '<html><body><h1>Service Unavailable</h1></body></html>', HTML);
    const aws = awsAtNock();
    const failed = await rejectionOf(
      runStep(silentReporter, 'repoint:etl-main', ['batchctl promote plans/x.plan.json'], async () => ({
        value: await aws.sfn.updateStateMachine({
          stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:etl-main',
          definition: '{}',
        }),
      })),
    );
    expect(failed.message).toBe(
      'Step repoint:etl-main failed: AWS answered HTTP 503 with a non-JSON body for Step Functions UpdateStateMachine: Service Unavailable',
    );
    expect(failed.code).toBe('AwsUnreadableResponse');
  });

  it('a command prints it as its one error line', async () => {
    batchCall('DescribeJobQueues').reply(502, NGINX_502, HTML);
    const aws = awsAtNock();
    const error = await rejectionOf(aws.batch.describeJobQueues());
    class Probe extends BaseCommand<typeof Probe> {
      static enableJsonFlag = false;
      async run(): Promise<void> {}
    }
    // The command's own error handler, as oclif calls it once run() has thrown (oclif's Config cannot load in jest).
    const probe = Object.assign(Object.create(Probe.prototype) as Probe, { aws, flags: {} });
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exitCode = process.exitCode;
    try {
      await (probe as unknown as { catch(e: Error): Promise<unknown> }).catch(error);
      expect(process.exitCode).toBe(ExitCode.Error);
    } finally {
      spy.mockRestore();
      process.exitCode = exitCode;
    }
    expect(written.join('')).toMatch(
      /^Error: AWS answered HTTP 502 with a non-JSON body for Batch DescribeJobQueues: 502 Bad Gateway 502 Bad Gateway nginx /,
    );
    expect(written.join('')).not.toMatch(/Unexpected token|Deserialization/);
  });
});

/**
 * A refused connection, as Node reports it. (Under jest a real socket error comes from another realm and the SDK
 * wraps it into a bare string, so nock raises it here; the endpoint it is raised for is the one the client used.)
 */
function refused(host: string): nock.Scope {
  const error = Object.assign(new Error(`connect ECONNREFUSED ${new URL(host).host}`), { code: 'ECONNREFUSED' });
  return nock(host).post(/.*/).replyWithError(error);
}

describe('an unreachable endpoint is named as the one the client used', () => {
  it('--endpoint-url wins over AWS_ENDPOINT_URL, in the client and in the message of a failed step', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://env-endpoint.test:4566';
    const used = refused('http://flag-endpoint.test:4566');
    const aws = createAws({ endpoint: 'http://flag-endpoint.test:4566', region: 'us-east-1' });
    const failed = await rejectionOf(
      runStep(silentReporter, 'disable-a', [], async () => ({ value: await aws.batch.describeJobQueues(['q']) })),
    );
    expect(used.isDone()).toBe(true);
    expect(failed.message).toBe('Step disable-a failed: Cannot reach http://flag-endpoint.test:4566 (ECONNREFUSED).');
    expect(failed.code).toBe('EndpointUnreachable');
  });

  it('AWS_ENDPOINT_URL alone is the one named', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://env-endpoint.test:4566';
    const used = refused('http://env-endpoint.test:4566');
    const error = await rejectionOf(createAws({ region: 'us-east-1' }).sfn.listStateMachines());
    expect(used.isDone()).toBe(true);
    expect(classifyAwsError(error)?.message).toBe('Cannot reach http://env-endpoint.test:4566 (ECONNREFUSED).');
  });

  it("without either, AWS's own regional endpoint is named", async () => {
    const used = refused('https://batch.eu-west-1.amazonaws.com');
    const error = await rejectionOf(createAws({ region: 'eu-west-1' }).batch.describeJobQueues());
    expect(used.isDone()).toBe(true);
    expect(classifyAwsError(error)?.message).toBe('Cannot reach https://batch.eu-west-1.amazonaws.com (ECONNREFUSED).');
  });
});
