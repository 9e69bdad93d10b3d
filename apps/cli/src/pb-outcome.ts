/**
 * npm run pb:outcome -- FILE.pb --rule greedy|equal-shares [--add1 until-exhaustive|within-budget]
 *
 * Computes the outcome of any Pabulib file with the code that tallies our budgets and prints the
 * selected project ids in natural order, one per line (the MES runs go to stderr).
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ADD1_VARIANTS, Add1Variant, computeOutcome, electionOf, OUTCOME_RULES, OutcomeRule, PABULIB_LIMITS, parsePabulib, selectedInNaturalOrder } from '@app/budgets';

const USAGE = 'usage: npm run pb:outcome -- FILE.pb --rule greedy|equal-shares [--add1 until-exhaustive|within-budget]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { rule: { type: 'string' }, add1: { type: 'string' } },
  });
  if (positionals.length !== 1) fail('one Pabulib file is needed');
  const rule = values.rule as OutcomeRule;
  if (!OUTCOME_RULES.includes(rule)) fail(`--rule must be one of ${OUTCOME_RULES.join(', ')}`);
  if (values.add1 !== undefined && !ADD1_VARIANTS.includes(values.add1 as Add1Variant)) fail(`--add1 must be one of ${ADD1_VARIANTS.join(', ')}`);
  if (values.add1 !== undefined && rule !== 'equal-shares') fail('--add1 applies to equal-shares only');
  const path = positionals[0];
  if (statSync(path).size > PABULIB_LIMITS.maxChars) fail(`${path} is larger than ${PABULIB_LIMITS.maxChars} bytes`);
  const election = electionOf(parsePabulib(readFileSync(path, 'utf8')));
  const outcome = computeOutcome(election, { rule, add1: values.add1 as Add1Variant | undefined });
  process.stdout.write(selectedInNaturalOrder(outcome).map((id) => `${id}\n`).join(''));
  if (rule === 'equal-shares') process.stderr.write(`MES runs: ${outcome.mesRuns}\n`);
}

try {
  main();
} catch (e) {
  fail((e as Error).message);
}
