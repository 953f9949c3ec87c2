#!/usr/bin/env node
// Nothing here may import the AWS SDK or listr2: every invocation, --help included, loads this file.
// oclif's execute() with its error handler opened up: under --json an error no command caught (an unknown command)
// is the same one error document as any other, not oclif's text on stderr.
const { flush, handle, run } = require('@oclif/core');

const argv = process.argv.slice(2);
const end = argv.indexOf('--');
const json = argv.slice(0, end === -1 ? undefined : end).includes('--json');

run(argv, __dirname)
  .then(() => flush())
  .catch((error) => (json ? require('../dist/lib/usage-errors').writeJsonError(error) : handle(error)));
