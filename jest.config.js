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
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
  ],
};
