import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';

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
 * Turns the AWS failures a user can fix (credentials, permissions, region, endpoint) into one clear line with the
 * access exit code. Anything else is returned unchanged for the caller to wrap.
 */
export function classifyAwsError(error: unknown, endpoint?: string): BatchctlError | undefined {
  if (error instanceof BatchctlError) return error;
  const name = awsErrorName(error);
  const message = awsErrorMessage(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new BatchctlError('NoCredentials', 'No AWS credentials found.', {
      exitCode: ExitCode.AwsAccess,
      suggestions: ['Set AWS_PROFILE or pass --profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'],
      cause: error,
    });
  }
  if (/Region is missing/i.test(message)) {
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
    const where = endpoint ?? process.env.AWS_ENDPOINT_URL ?? 'the AWS endpoint';
    return new BatchctlError('EndpointUnreachable', `Cannot reach ${where} (${name}).`, {
      exitCode: ExitCode.AwsAccess,
      suggestions: ['Check --endpoint-url / AWS_ENDPOINT_URL and the network.'],
      cause: error,
    });
  }
  return undefined;
}
