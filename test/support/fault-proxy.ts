/**
 * An HTTP proxy between batchctl and the emulator that injects one fault at a chosen AWS call — the Nth time a given
 * operation is called — as throttling, a 5xx, a non-retryable error, or a process kill (the proxy tells the test to
 * SIGKILL the CLI and never answers). Targeting an operation's Nth call rather than the Nth request overall keeps
 * a case aimed at the same step when the number of drain polls before it varies with the machine's speed.
 * Faults are shaped per protocol as AWS sends them, so the SDK classifies them as it would against AWS.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'throttle' | 'server-error' | 'fatal' | 'kill';
export const FAULT_KINDS: FaultKind[] = ['throttle', 'server-error', 'fatal', 'kill'];

type Protocol = 'json' | 'ec2' | 'query';

/** The `occurrence`th request (1-based) for `call`, e.g. the 2nd `batch:updatejobqueue`. */
export interface FaultTarget {
  call: string;
  occurrence: number;
}

interface Armed extends FaultTarget {
  kind: FaultKind;
  onKill?: () => void;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen since the last `arm` or `resetCount`, with their operation names. */
  readonly operations: string[];
  arm(target: FaultTarget, kind: FaultKind, onKill?: () => void): void;
  disarm(): void;
  resetCount(): void;
  /** Whether the armed fault has been delivered. */
  readonly fired: boolean;
  close(): Promise<void>;
}

/** JSON protocols' X-Amz-Target prefixes: `AWSStepFunctions.StartExecution`, `AmazonSSM.PutParameter`, `AWSEvents.ListRules`. */
const TARGET_SERVICE: Record<string, string> = { AWSStepFunctions: 'sfn', AmazonSSM: 'ssm', AWSEvents: 'events' };

/**
 * REST-JSON operations other than Batch's `/v1/<operation>`: the method and path name them (the services' models:
 * Lambda `GET /2015-03-31/functions`, Scheduler `/schedules[/{Name}]`, Pipes `/v1/pipes[/{Name}]`).
 */
const REST_ROUTES: { service: string; method: string; path: RegExp; op: string }[] = [
  { service: 'lambda', method: 'GET', path: /^\/2015-03-31\/functions\/?$/, op: 'ListFunctions' },
  { service: 'scheduler', method: 'GET', path: /^\/schedules\/?$/, op: 'ListSchedules' },
  { service: 'scheduler', method: 'GET', path: /^\/schedules\/[^/]+$/, op: 'GetSchedule' },
  { service: 'scheduler', method: 'PUT', path: /^\/schedules\/[^/]+$/, op: 'UpdateSchedule' },
  { service: 'pipes', method: 'GET', path: /^\/v1\/pipes\/?$/, op: 'ListPipes' },
  { service: 'pipes', method: 'GET', path: /^\/v1\/pipes\/[^/]+$/, op: 'DescribePipe' },
  { service: 'pipes', method: 'PUT', path: /^\/v1\/pipes\/[^/]+$/, op: 'UpdatePipe' },
];

function operationOf(req: IncomingMessage, body: string): { op: string; protocol: Protocol; service: string } {
  const auth = String(req.headers.authorization ?? '');
  // SigV4's credential scope names the signing service: `Credential=…/us-east-1/<service>/aws4_request`.
  const signer = /\/([a-z0-9-]+)\/aws4_request/.exec(auth)?.[1] ?? '';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', op = target] = target.split('.');
    return { op, protocol: 'json', service: TARGET_SERVICE[prefix] ?? 'sfn' };
  }
  const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
  if (action) {
    const service = ['ec2', 'sts', 'cloudformation', 'iam'].includes(signer) ? signer : 'query';
    return { op: action, protocol: service === 'ec2' ? 'ec2' : 'query', service };
  }
  const path = (req.url ?? '').split('?')[0] ?? '';
  const route = REST_ROUTES.find((r) => r.service === signer && r.method === req.method && r.path.test(path));
  if (route) return { op: route.op, protocol: 'json', service: route.service };
  // Batch is REST-JSON: /v1/<operation>.
  return {
    op: path.split('/').pop() ?? 'unknown',
    protocol: 'json',
    service: signer === 'batch' || !signer ? 'batch' : signer,
  };
}

function sendFault(res: ServerResponse, kind: Exclude<FaultKind, 'kill'>, protocol: Protocol, service: string): void {
  const json = (status: number, type: string, message: string): void => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-errortype': type,
      'x-amzn-requestid': 'injected',
    });
    res.end(JSON.stringify({ __type: type, message }));
  };
  const xml = (status: number, code: string, message: string): void => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(
      protocol === 'ec2'
        ? `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>injected</RequestID></Response>`
        : `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>injected</RequestId></ErrorResponse>`,
    );
  };
  if (protocol === 'json') {
    if (kind === 'throttle') {
      if (service === 'batch') json(429, 'TooManyRequestsException', 'Too Many Requests (injected)');
      else json(400, 'ThrottlingException', 'Rate exceeded (injected)');
    } else if (kind === 'server-error')
      json(
        service === 'batch' ? 500 : 500,
        service === 'batch' ? 'ServerException' : 'InternalServerError',
        'injected',
      );
    else json(400, 'AccessDeniedException', 'User is not authorized to perform this action (injected)');
    return;
  }
  if (kind === 'throttle')
    xml(
      protocol === 'ec2' ? 503 : 400,
      protocol === 'ec2' ? 'RequestLimitExceeded' : 'Throttling',
      'Rate exceeded (injected)',
    );
  else if (kind === 'server-error') xml(500, 'InternalError', 'injected');
  else
    xml(
      403,
      protocol === 'ec2' ? 'UnauthorizedOperation' : 'AccessDenied',
      'You are not authorized to perform this operation (injected)',
    );
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let armed: Armed | undefined;
  let fired = false;
  const operations: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const { op, protocol, service } = operationOf(req, body.toString());
      const call = `${service}:${op}`;
      operations.push(call);
      const seen = armed?.call === call ? operations.filter((c) => c === call).length : 0;
      if (armed && !fired && seen === armed.occurrence) {
        fired = true;
        if (armed.kind === 'kill') {
          armed.onKill?.();
          req.socket.destroy();
          return;
        }
        sendFault(res, armed.kind, protocol, service);
        return;
      }
      const forward = request(
        {
          hostname: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    operations,
    get fired() {
      return fired;
    },
    arm(target, kind, onKill) {
      armed = { ...target, kind, ...(onKill ? { onKill } : {}) };
      fired = false;
      operations.length = 0;
    },
    disarm() {
      armed = undefined;
    },
    resetCount() {
      operations.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
