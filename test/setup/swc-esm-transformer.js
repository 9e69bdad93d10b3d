/**
 * NestJS 12 ships as ES modules. Node (20.19+) lets our CommonJS build require them, but Jest
 * (before Node 24.9) cannot, so under Jest those packages are compiled to CommonJS by SWC.
 * `import.meta.url` has no CommonJS form SWC will emit, so it is rewritten first.
 */
const { createTransformer } = require('@swc/jest');
const path = require('node:path');

const swcrc = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '../../.swcrc'), 'utf8'));
delete swcrc.$schema;
const ours = createTransformer({ ...swcrc, swcrc: false, sourceMaps: 'inline' });
const deps = createTransformer({
  swcrc: false,
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  module: { type: 'commonjs', ignoreDynamic: false },
});

const IMPORT_META_URL = /import\.meta\.url/g;

function pick(filename) {
  return filename.includes(`${path.sep}node_modules${path.sep}`) ? deps : ours;
}

module.exports = {
  canInstrument: false,
  getCacheKey(src, filename, options) {
    return pick(filename).getCacheKey(src, filename, options) + ':esm-v2';
  },
  process(src, filename, options) {
    let code = src;
    if (filename.endsWith('.js')) {
      code = code.replace(IMPORT_META_URL, '("file://" + __filename)');
      // `const require = createRequire(...)` in an ES module shadows CommonJS' require once
      // compiled; give the local its own name.
      if (/const require = createRequire\(/.test(code)) code = code.replace(/\brequire\b/g, '__esmRequire');
    }
    return pick(filename).process(code, filename, options);
  },
};
