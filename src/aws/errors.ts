import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { profileIsConfigured, sharedFilesText } from './profiles';

interface AwsErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

/** Where a failed call went, recorded by the AWS layer as the call fails (src/aws/clients.ts). */
export interface AwsCallInfo {
  /** As batchctl names it: Batch, SFN, EC2, CloudFormation, STS, SSM, IAM. */
  service: string;
  operation: string;
  /** The endpoint the client really sent the request to (scheme, host, port). */
  endpoint?: string;
  /** The body of an error response, kept as text because the SDK consumes the stream and keeps none of it. */
  body?: string;
}

const calls = new WeakMap<object, AwsCallInfo>();

export function recordAwsCall(error: unknown, info: AwsCallInfo): void {
  if (error && typeof error === 'object' && !calls.has(error)) calls.set(error, info);
}

export function awsCallOf(error: unknown): AwsCallInfo | undefined {
  return error && typeof error === 'object' ? calls.get(error) : undefined;
}

/** Services that answer in XML (EC2 and the query protocols); the others answer in JSON. */
const XML_SERVICES = new Set(['EC2', 'IAM', 'STS', 'CloudFormation']);
const SERVICE_NAMES: Record<string, string> = { SFN: 'Step Functions' };

/** The SDK's names for an error it could not read: a parse failure, or a status with no recognisable error code. */
const UNREAD = new Set(['SyntaxError', 'Unknown', 'UnknownError', 'Error']);

/** The first `max` visible characters of a body: HTML tags, scripts and styles removed, whitespace collapsed. */
export function visibleText(body: string, max = 100): string {
  const text = body
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function isReadableAwsBody(body: string, xml: boolean): boolean {
  const trimmed = body.trim();
  if (xml) return /^(<\?xml[^>]*>\s*)?<(ErrorResponse|Response)\b/.test(trimmed);
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}

/**
 * An error response the SDK could not read: an HTML page from a proxy or load balancer, plain text, an empty body.
 * The SDK reports it as its own internals ("Unexpected token '<'…", "Deserialization error: … {error}.$response",
 * "UnknownError"); this is one line with the status, the call and what the body said instead.
 */
export function unreadableResponseLine(error: unknown): string | undefined {
  const e = error as AwsErrorLike | undefined;
  const status = e?.$metadata?.httpStatusCode;
  const call = awsCallOf(error);
  if (!call || status === undefined || call.body === undefined) return undefined;
  if (!UNREAD.has(awsErrorName(error))) return undefined;
  const xml = XML_SERVICES.has(call.service);
  const what = `${SERVICE_NAMES[call.service] ?? call.service} ${call.operation}`;
  const text = visibleText(call.body);
  if (call.body.trim() && isReadableAwsBody(call.body, xml)) {
    // Well-formed, but naming no error the SDK recognises ("UnknownError"): show what it did say.
    return /^Unknown(Error)?$/.test(awsErrorName(error))
      ? `AWS answered HTTP ${status} with no error code for ${what}: ${text}`
      : undefined;
  }
  return text
    ? `AWS answered HTTP ${status} with a non-${xml ? 'XML' : 'JSON'} body for ${what}: ${text}`
    : `AWS answered HTTP ${status} with an empty body for ${what}.`;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

/** The error name as the SDK reports it (`name`, or Node's `code` for socket errors). */
export function awsErrorName(error: unknown): string {
  const e = error as AwsErrorLike | undefined;
  return e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'Error');
}

export function awsErrorMessage(error: unknown): string {
  return (error as AwsErrorLike | undefined)?.message ?? String(error);
}

/**
 * Credentials failed with a profile chosen (--profile or AWS_PROFILE): the SDK's message does not say which, nor
 * whether it exists. An unknown profile is named; a known one that yields no credentials is named too. Exit 6,
 * like every credentials failure (docs/exit-codes.md): the profile is checked against the shared files, not the
 * command line.
 */
function profileProblem(profile: string, error: unknown): BatchctlError {
  if (!profileIsConfigured(profile)) {
    return new BatchctlError(
      'ProfileNotFound',
      `Profile "${profile}" is not in ${sharedFilesText()} (--profile / AWS_PROFILE).`,
      {
        exitCode: ExitCode.AwsAccess,
        suggestions: [
          `Pass a profile that \`aws configure list-profiles\` lists, or create it with \`aws configure --profile ${profile}\`.`,
        ],
        cause: error,
      },
    );
  }
  return new BatchctlError('NoCredentials', `Profile "${profile}" gives no AWS credentials.`, {
    exitCode: ExitCode.AwsAccess,
    suggestions: [
      `Check its settings in ${sharedFilesText()}; for an SSO profile run \`aws sso login --profile ${profile}\`.`,
    ],
    cause: error,
  });
}

/**
 * Turns the AWS failures a user can fix (credentials, permissions, region, endpoint) into one clear line with the
 * access exit code, and a response the SDK could not read into one readable line. Anything else is returned as
 * undefined for the caller to wrap. `endpoint` is only a fallback: the endpoint a failed call really used is recorded
 * on the error by the AWS layer and wins.
 */
export function classifyAwsError(
  error: unknown,
  endpoint?: string,
  profile: string | undefined = process.env.AWS_PROFILE,
): BatchctlError | undefined {
  if (error instanceof BatchctlError) return error;
  const name = awsErrorName(error);
  const message = awsErrorMessage(error);
  const noCredentials = name === 'CredentialsProviderError' || /Could not load credentials/i.test(message);
  if (noCredentials && profile) return profileProblem(profile, error);
  if (noCredentials) {
    return new BatchctlError('NoCredentials', 'No AWS credentials found.', {
      exitCode: ExitCode.AwsAccess,
      suggestions: ['Set AWS_PROFILE or pass --profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'],
      cause: error,
    });
  }
  if (/Region is missing/i.test(message)) {
    // A profile that does not exist has no region either: naming the profile is the fix, not --region.
    if (profile && !profileIsConfigured(profile)) return profileProblem(profile, error);
    return new BatchctlError('NoRegion', 'No AWS region configured.', {
      exitCode: ExitCode.AwsAccess,
      suggestions: ['Pass --region or set AWS_REGION.'],
      cause: error,
    });
  }
  if (ACCESS_DENIED.has(name) || (error as AwsErrorLike)?.$metadata?.httpStatusCode === 403) {
    return new BatchctlError('AccessDenied', `AWS denied the request: ${message}`, {
      exitCode: ExitCode.AwsAccess,
      suggestions: ['Grant the permissions listed in docs/permissions.md to the identity batchctl runs as.'],
      cause: error,
    });
  }
  if (UNREACHABLE.has(name) || UNREACHABLE.has((error as AwsErrorLike)?.code ?? '') || name === 'TimeoutError') {
    const where = awsCallOf(error)?.endpoint ?? endpoint ?? 'the AWS endpoint';
    return new BatchctlError('EndpointUnreachable', `Cannot reach ${where} (${name}).`, {
      exitCode: ExitCode.AwsAccess,
      suggestions: ['Check --endpoint-url / AWS_ENDPOINT_URL and the network.'],
      cause: error,
    });
  }
  const unreadable = unreadableResponseLine(error);
  if (unreadable) {
    return new BatchctlError('AwsUnreadableResponse', unreadable, {
      suggestions: [
        'Something between batchctl and AWS (a proxy, a load balancer, --endpoint-url) or an AWS outage answered instead of the service; run the command again, and check the endpoint if it persists.',
      ],
      cause: error,
    });
  }
  return undefined;
}
