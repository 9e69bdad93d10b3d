const { writeE2eGroups } = require('./test/setup/e2e-groups');
/** Unit specs live beside the code; e2e suites in test/. Both run on the real PostgreSQL and Redis. */
const transform = { '^.+\\.(ts|js)$': '<rootDir>/test/setup/swc-esm-transformer.js' };
// ESM-only dependencies that Jest must compile to CommonJS (see the transformer). A nested copy
// (node_modules/a/node_modules/b) is compiled when both a and b are listed.
const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  'peek-readable',
  'uint8array-extras',
  'load-esm',
  '@tokenizer',
  // file-type's text decoder (documents are sniffed with file-type).
  '@borewit',
  // Fastify plugins that import ESM-only packages (the dynamic import of @fastify/cookie too).
  '@fastify/static',
  'content-disposition',
  '@fastify/cookie',
  'cookie',
  // Fastify's inject() (the hostile input sweep), whose nested cookie is ESM-only.
  'light-my-request',
  // sanitize-html's HTML parser (proposal bodies) and its DOM helpers.
  'htmlparser2',
  'domhandler',
  'domutils',
  'entities',
  'dom-serializer',
  'domelementtype',
];
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`];
// `npm test` runs the e2e suites in groups (test/setup/e2e-groups.js); suites named on the
// command line, or any run with E2E_GROUPS=0, run one file each.
const namedOnCommandLine = process.argv.slice(2).some((arg) => !arg.startsWith('-'));
const grouped = process.env.E2E_GROUPS !== '0' && !namedOnCommandLine;
const e2eMatch = grouped
  ? (writeE2eGroups(require('node:path').join(__dirname, 'test')), ['<rootDir>/test/.groups/*.e2e-spec.ts'])
  : ['<rootDir>/test/**/*.e2e-spec.ts'];
const e2eIgnore = grouped ? [] : ['/test/\\.groups/'];
const moduleNameMapper = {
  '^@app/(.*)$': '<rootDir>/libs/$1/src',
};

module.exports = {
  // e2e suites boot the app and talk to real services on a shared 2-core machine.
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  // Long waits first even on a clean clone, where Jest has no durations yet.
  testSequencer: '<rootDir>/test/setup/slow-first-sequencer.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: e2eMatch,
      testPathIgnorePatterns: ['/node_modules/', ...e2eIgnore],
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
  ],
};
