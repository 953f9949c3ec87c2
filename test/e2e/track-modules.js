// Preloaded with `node -r`: writes every module file the process loaded to $BATCHCTL_MODULES_OUT on exit.
const Module = require('node:module');
const { writeFileSync } = require('node:fs');
const loaded = new Set();
const original = Module._load;
Module._load = function (request, parent, isMain) {
  try {
    loaded.add(Module._resolveFilename(request, parent, isMain));
  } catch {
    loaded.add(request);
  }
  return original.apply(this, arguments);
};
process.on('exit', () => writeFileSync(process.env.BATCHCTL_MODULES_OUT, [...loaded].join('\n')));
