/**
 * `npm run build`'s last step: bin/oclif.js bundled with the @oclif/core it loads into dist/oclif-bundle.js, which
 * bin/run.js takes for --help and --version (see bin/oclif.js). Without esbuild (it comes with tsx, a
 * devDependency) no bundle is written and bin/run.js loads @oclif/core as installed: slower, same output.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..');
const OUT = join(REPO, 'dist', 'oclif-bundle.js');

function main(): void {
  rmSync(OUT, { force: true });
  let esbuild: typeof import('esbuild');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: without it there is no bundle
    esbuild = require('esbuild') as typeof import('esbuild');
  } catch {
    process.stderr.write('esbuild not found: no dist/oclif-bundle.js; --help loads @oclif/core as installed.\n');
    return;
  }
  esbuild.buildSync({
    entryPoints: [join(REPO, 'bin', 'oclif.js')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: OUT,
    // oclif loads these only to run TypeScript sources in development, never from a built package.
    external: ['typescript', 'ts-node', 'tsx'],
    legalComments: 'inline',
    logLevel: 'error',
  });
  process.stdout.write('wrote dist/oclif-bundle.js\n');
}

main();
