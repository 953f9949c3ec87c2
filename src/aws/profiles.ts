/**
 * Whether a named profile exists in the shared config or credentials file, so a credentials failure can name an
 * unknown --profile / AWS_PROFILE instead of the SDK's generic "Could not load credentials from any providers".
 * Read only after a credentials failure, never on the way to a call.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The files the SDK reads, as it finds them: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE override ~/.aws/. */
export function sharedFilePaths(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'),
  };
}

/**
 * Profile names declared by section headers. The config file writes `[profile name]` (and `[default]`), the
 * credentials file `[name]` (https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html); a bare `[name]` in
 * the config file is counted too, so a profile is never wrongly called missing. `[sso-session …]` and `[services …]`
 * sections are not profiles.
 */
export function profileNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line)?.[1];
    if (!header || /^(sso-session|services)\s/.test(header)) continue;
    names.add(header.replace(/^profile\s+/, ''));
  }
  return names;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function profileIsConfigured(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const paths = sharedFilePaths(env);
  return profileNames(readOrEmpty(paths.config)).has(name) || profileNames(readOrEmpty(paths.credentials)).has(name);
}

/** "~/.aws/config or ~/.aws/credentials", or the paths the environment chose instead. */
export function sharedFilesText(env: NodeJS.ProcessEnv = process.env): string {
  const { config, credentials } = sharedFilePaths(env);
  const home = homedir();
  const show = (p: string): string => (p.startsWith(`${home}/`) ? `~/${p.slice(home.length + 1)}` : p);
  return `${show(config)} or ${show(credentials)}`;
}
