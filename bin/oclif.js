// The parts of @oclif/core that bin/run.js uses: its config and run loop, not its index, which loads the whole
// framework (parser, flags, ux, command, …) before anything runs. `npm run build` also bundles this file with the
// oclif it loads into dist/oclif-bundle.js (scripts/bundle-oclif.ts), which bin/run.js takes for --help and
// --version: one file read instead of about a hundred resolved and read, the same code and the same output.
module.exports = {
  Config: require('@oclif/core/config').Config,
  run: require('@oclif/core/run').run,
  flush: () => require('@oclif/core/flush').flush(),
  handle: (error) => require('@oclif/core/handle').handle(error),
};
