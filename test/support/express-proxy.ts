/**
 * An HTTP proxy between batchctl and the emulator that makes chosen state machines EXPRESS as AWS shows them, and
 * records every request with its time. moto ignores `type` on CreateStateMachine (every machine is STANDARD) and
 * answers ListExecutions for any machine, so on its own it cannot show what AWS does with an Express workflow:
 * - ListStateMachines and DescribeStateMachine report `type: "EXPRESS"` for them (and ListStateMachines reports
 *   `STANDARD` for the others: `type` is a required member AWS always returns, which moto leaves out);
 * - ListExecutions and DescribeExecution on them fail with HTTP 400 `StateMachineTypeNotSupported`, "This API
 *   action is not supported by EXPRESS state machines" (API_ListExecutions, API_DescribeExecution; aws-facts §8a).
 * Everything else is forwarded unchanged. The records let a test check when a call was made, not only that it was.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** `sfn:UpdateStateMachine`, `batch:updatejobqueue`, … */
  call: string;
  /** The parsed JSON request body (Step Functions and Batch are JSON protocols), or undefined. */
  input: Record<string, unknown> | undefined;
  /** When the request arrived and when its answer was sent (epoch ms). */
  receivedAt: number;
  answeredAt?: number;
  status?: number;
}

export interface ExpressProxy {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  /** Requests for one operation whose input's `key` equals `value`. */
  callsOf(call: string, key?: string, value?: unknown): RecordedCall[];
  close(): Promise<void>;
}

/** The operations that have no Express form: AWS rejects them for an Express state machine. */
const NO_EXPRESS_FORM = new Set(['ListExecutions', 'DescribeExecution']);

function callOf(req: IncomingMessage): { service: string; op: string } {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', op = target] = target.split('.');
    return { service: prefix === 'AWSStepFunctions' ? 'sfn' : prefix.toLowerCase(), op };
  }
  // Batch is REST-JSON: /v1/<operation>; the query protocols (EC2, IAM, STS) are named by their Action.
  return { service: 'batch', op: (req.url ?? '').split('?')[0]?.split('/').pop() ?? 'unknown' };
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The state machine an execution ARN belongs to: arn:aws:states:R:A:execution:NAME:ID → …:stateMachine:NAME. */
const machineOfExecution = (arn: string): string => arn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1');

export async function startExpressProxy(upstream: string, express: ReadonlySet<string>): Promise<ExpressProxy> {
  const target = new URL(upstream);
  const calls: RecordedCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const { service, op } = callOf(req);
      const input = parse(body.toString());
      const record: RecordedCall = { call: `${service}:${op}`, input, receivedAt: Date.now() };
      calls.push(record);
      const answer = (status: number, headers: Record<string, string | string[] | undefined>, text: Buffer): void => {
        record.answeredAt = Date.now();
        record.status = status;
        res.writeHead(status, { ...headers, 'content-length': String(text.length) });
        res.end(text);
      };

      const machine =
        typeof input?.stateMachineArn === 'string'
          ? input.stateMachineArn
          : typeof input?.executionArn === 'string'
            ? machineOfExecution(input.executionArn)
            : undefined;
      if (service === 'sfn' && NO_EXPRESS_FORM.has(op) && machine && express.has(machine)) {
        answer(
          400,
          { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'express-proxy' },
          Buffer.from(
            JSON.stringify({
              __type: 'com.amazonaws.swf.service.v2.model#StateMachineTypeNotSupported',
              message: 'This API action is not supported by EXPRESS state machines',
            }),
          ),
        );
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
          const parts: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => parts.push(c));
          upstreamRes.on('end', () => {
            let text = Buffer.concat(parts);
            const status = upstreamRes.statusCode ?? 502;
            const output = service === 'sfn' && status === 200 ? parse(text.toString()) : undefined;
            if (output && op === 'ListStateMachines' && Array.isArray(output.stateMachines)) {
              // `type` is a required member of StateMachineListItem; moto leaves it out.
              for (const sm of output.stateMachines as Record<string, unknown>[])
                sm.type = express.has(String(sm.stateMachineArn)) ? 'EXPRESS' : (sm.type ?? 'STANDARD');
              text = Buffer.from(JSON.stringify(output));
            } else if (output && op === 'DescribeStateMachine' && express.has(String(output.stateMachineArn))) {
              output.type = 'EXPRESS';
              text = Buffer.from(JSON.stringify(output));
            }
            const headers = { ...upstreamRes.headers };
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            answer(status, headers, text);
          });
        },
      );
      forward.on('error', () => answer(502, {}, Buffer.alloc(0)));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    callsOf: (call, key, value) =>
      calls.filter((c) => c.call === call && (key === undefined || c.input?.[key] === value)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
