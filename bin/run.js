#!/usr/bin/env node
// Nothing here may import the AWS SDK or listr2: every invocation, --help included, loads this file.
// oclif's execute() with two things opened up: an unknown command is a usage error (exit 2) that names the nearest
// command even where nobody can be asked, and under --json an error no command caught is the same one error
// document as any other, not oclif's text on stderr.
const argv = process.argv.slice(2);
const end = argv.indexOf('--');
const json = argv.slice(0, end === -1 ? undefined : end).includes('--json');

// Help and the version (oclif's own test: --help or -h before any --, no arguments, or --version first) come from
// oclif's help renderer and the manifest alone, never from a command: they take oclif bundled into one file when
// the build made it (bin/oclif.js says why). Everything else, and every command, uses @oclif/core as installed.
const args = argv.slice(0, end === -1 ? undefined : end);
const helpOrVersion = argv.length === 0 || argv[0] === '--version' || args.some((a) => a === '--help' || a === '-h');
const bundle = require('node:path').join(__dirname, '..', 'dist', 'oclif-bundle.js');
const oclif = require(helpOrVersion && require('node:fs').existsSync(bundle) ? bundle : './oclif');

let config;
async function main() {
  config = await oclif.Config.load(__dirname);
  // @oclif/plugin-not-found asks "Did you mean …?" at a terminal. Without one, or under --json, it would only say
  // the word is not a command and exit 127; oclif's plain "not found" error then reaches the handler below, which
  // names the nearest command itself and exits 2.
  if (json || !process.stdin.isTTY) {
    const notFound = config.plugins.get('@oclif/plugin-not-found');
    if (notFound) notFound.hooks = { ...notFound.hooks, command_not_found: [] };
  }
  await oclif.run(argv, config);
  await oclif.flush();
}

main().catch((error) => {
  const { reportUncaught } = require('../dist/lib/usage-errors');
  if (reportUncaught(error, { json, commandIds: config ? config.commandIDs : [] })) return;
  // A command started from the not-found prompt failed on its command line: oclif's handler would show help for
  // the mistyped word it finds in process.argv ("Command promte not found"); the error's own message is enough.
  if (config && error && error.showHelp && !config.findCommand(argv[0])) error.showHelp = false;
  return oclif.handle(error);
});
