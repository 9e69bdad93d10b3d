import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiTypesFromDocument } from './api-types';
import { readApiDocument } from './api-document';

/**
 * `npm run web:api-types`: regenerates apps/web/src/api/schema.d.ts from the API's OpenAPI
 * document. Boots the API without listening; PostgreSQL and Redis must answer (the `postgres`
 * maintenance database is enough: nothing is read for the document).
 * `--check`: writes nothing, exits 1 when the committed file differs (test/web/api-types.e2e-spec.ts).
 */
async function main(): Promise<void> {
  const document = await readApiDocument({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', ...process.env });
  const target = join(__dirname, '..', 'src', 'api', 'schema.d.ts');
  const types = await apiTypesFromDocument(document);
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== types) {
      process.stderr.write(`${target} no longer matches the API's OpenAPI document: run npm run web:api-types and fix the web app\n`);
      process.exit(1);
    }
    process.stdout.write('web API types match the OpenAPI document\n');
    process.exit(0);
  }
  writeFileSync(target, types);
  process.stdout.write(`wrote ${target}\n`);
  process.exit(0);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
