import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compiledEntry } from '../utils/compiled-tree';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/**
 * The web app's API types (apps/web/src/api/schema.d.ts) are generated from the OpenAPI document.
 * A route or DTO changed without regenerating them fails here; regenerating then makes
 * `npm run typecheck` point at every screen the change breaks.
 */
describe('Web app API types', () => {
  it('match the API’s OpenAPI document (npm run web:api-types regenerates them)', async () => {
    const result = await run(process.execPath, [compiledEntry('apps/web/scripts/generate-api-types.ts'), '--check'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    }).catch((error: { stderr?: string; code?: number }) => ({ stdout: '', stderr: error.stderr ?? String(error), failed: true }));
    expect(result).toEqual({ stdout: 'web API types match the OpenAPI document\n', stderr: '' });
  });
});
