/**
 * Jest's runtime, with module compilation made cheaper for the test files a worker runs.
 *
 * Each test file gets its own module registry, so every e2e suite compiles the app's ~4,200
 * modules (≈ 34 MB of JavaScript) again. Two costs of that compile do not depend on the file:
 * - V8's parse: the first compile of a module in a worker keeps V8's code cache, and later
 *   compiles of the same source start from it (the cache holds code, not state: every file
 *   still gets fresh module instances);
 * - Node 20 registers a dynamic-import callback for every compiled function; a module whose
 *   source has no `import(` cannot use it (our code and the ESM packages are compiled to
 *   CommonJS, `import()` included), so it is not registered for those.
 * JEST_CODE_CACHE=0 turns both off.
 */
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/** filename → the source it was compiled from and V8's cache for it (per worker process). */
const codeCache = new Map();
const compileFunction = vm.compileFunction;

function cachedCompileFunction(code, params, options) {
  const filename = options?.filename;
  if (!filename) return compileFunction(code, params, options);
  const own = { ...options };
  if (!code.includes('import(')) delete own.importModuleDynamically;
  const entry = codeCache.get(filename);
  if (entry?.code === code) {
    const fn = compileFunction(code, params, { ...own, cachedData: entry.data });
    if (fn.cachedDataRejected) codeCache.delete(filename);
    return fn;
  }
  const fn = compileFunction(code, params, { ...own, produceCachedData: true });
  if (fn.cachedDataProduced && fn.cachedData) codeCache.set(filename, { code, data: fn.cachedData });
  return fn;
}

// jest-runtime reads `compileFunction` from the `vm` module at each call, and a Jest worker
// process runs nothing but Jest, so the patch reaches exactly the modules Jest compiles.
if (process.env.JEST_CODE_CACHE !== '0' && vm.compileFunction === compileFunction) {
  vm.compileFunction = cachedCompileFunction;
}

module.exports = Runtime;
module.exports.default = Runtime;
