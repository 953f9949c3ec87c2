/** An unknown --profile / AWS_PROFILE is named when credentials fail, instead of the SDK's generic message. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { classifyAwsError } from '../../../src/aws/errors';
import { profileNames } from '../../../src/aws/profiles';
import { ExitCode } from '../../../src/exit-codes';

const dir = mkdtempSync(join(tmpdir(), 'batchctl-profiles-'));
const config = join(dir, 'config');
const credentials = join(dir, 'credentials');
writeFileSync(config, '[default]\nregion = us-east-1\n[profile prod]\nsso_session = corp\n[sso-session corp]\n');
writeFileSync(credentials, '[ci]\naws_access_key_id = x\naws_secret_access_key = y\n');

// What the SDK's provider chain throws when no provider yields credentials.
const sdkError = Object.assign(new Error('Could not load credentials from any providers'), {
  name: 'CredentialsProviderError',
});

const saved = { ...process.env };
beforeEach(() => {
  process.env.AWS_CONFIG_FILE = config;
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
});
afterEach(() => {
  process.env = { ...saved };
});

it('reads profile names from both files, as the SDK writes them', () => {
  expect([...profileNames('[default]\n[profile prod]\n[sso-session corp]\n[services s3]\n')]).toEqual([
    'default',
    'prod',
  ]);
  expect([...profileNames(' [ ci ] \n# [commented]\n')]).toEqual(['ci']);
});

it('names a profile that is in neither file, exit 6', () => {
  const error = classifyAwsError(sdkError, undefined, 'nope');
  expect(error?.code).toBe('ProfileNotFound');
  expect(error?.message).toBe(`Profile "nope" is not in ${config} or ${credentials} (--profile / AWS_PROFILE).`);
  expect(error?.exitCode).toBe(ExitCode.AwsAccess);
});

it.each(['prod', 'ci', 'default'])(
  'a known profile (%s) that gives no credentials is named, not called missing',
  (p) => {
    const error = classifyAwsError(sdkError, undefined, p);
    expect(error?.code).toBe('NoCredentials');
    expect(error?.message).toBe(`Profile "${p}" gives no AWS credentials.`);
  },
);

it('names the unknown profile when the region is what failed first (a missing profile has no region either)', () => {
  const regionError = new Error('Region is missing');
  expect(classifyAwsError(regionError, undefined, 'nope')?.code).toBe('ProfileNotFound');
  expect(classifyAwsError(regionError, undefined, 'prod')?.code).toBe('NoRegion');
});

it('takes AWS_PROFILE when no profile is passed', () => {
  process.env.AWS_PROFILE = 'from-env';
  expect(classifyAwsError(sdkError)?.message).toContain('Profile "from-env" is not in');
});

it('without a profile, keeps the generic message', () => {
  delete process.env.AWS_PROFILE;
  expect(classifyAwsError(sdkError)?.message).toBe('No AWS credentials found.');
});
