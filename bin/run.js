#!/usr/bin/env node
// Nothing here may import the AWS SDK or listr2: every invocation, --help included, loads this file.
require('@oclif/core').execute({ dir: __dirname }).catch(require('@oclif/core/handle'));
