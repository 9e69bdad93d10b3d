/**
 * One-line mutations of the rules that matter, each with the suites that must catch it. A find
 * string must occur exactly once in its file (or give `nth`), so a refactor that moves the line
 * makes the run fail loudly instead of testing nothing.
 */
export interface Mutation {
  id: string;
  /** The promise the mutation breaks, in a few words. */
  rule: string;
  file: string;
  find: string;
  replace: string;
  /** Which occurrence, when the same text appears more than once (0-based). */
  nth?: number;
  /** Every occurrence (one rule written in several places, e.g. seal and open). */
  all?: boolean;
  /** Jest paths (suites or folders) that guard the rule; only these run. */
  suites: string[];
  /** Only the tests whose names match (jest -t), when one test of a long suite guards the rule. */
  testNamePattern?: string;
}

/** Replaces the one occurrence (or the `nth`, or `all`) of `find`; refuses a stale mutation. */
export function mutated(source: string, m: Mutation): string {
  const parts = source.split(m.find);
  const occurrences = parts.length - 1;
  const nth = m.nth ?? 0;
  if (m.all && occurrences > 0) return parts.join(m.replace);
  if (occurrences === 0 || (m.nth === undefined && occurrences > 1) || nth >= occurrences) {
    throw new Error(`${m.id}: "${m.find}" occurs ${occurrences} times in ${m.file}; the mutation list is stale`);
  }
  return parts.slice(0, nth + 1).join(m.find) + m.replace + parts.slice(nth + 1).join(m.find);
}

const LIFECYCLE = 'libs/reports/src/lifecycle/report-lifecycle.ts';
const REPORTS_SERVICE = 'libs/reports/src/reports/reports.service.ts';
const AUTH = 'libs/identity/src/auth/auth.service.ts';
const BALLOT_RULES = 'libs/budgets/src/ballot-rules.ts';
const BALLOTS = 'libs/budgets/src/ballots.service.ts';

export const MUTATIONS: Mutation[] = [
  // Reports: the lifecycle state machine.
  {
    id: 'lifecycle-ack-to-resolved',
    rule: 'a problem goes from acknowledged straight to resolved',
    file: LIFECYCLE,
    find: "acknowledged: ['in_progress', 'rejected'],",
    replace: "acknowledged: ['in_progress', 'resolved', 'rejected'],",
    suites: ['libs/reports/src/lifecycle'],
  },
  {
    id: 'lifecycle-suggestion-in-progress',
    rule: 'a suggestion can be put in progress',
    file: LIFECYCLE,
    find: "acknowledged: ['closed', 'rejected'],\n  },\n  suggestion",
    replace: "acknowledged: ['closed', 'in_progress', 'rejected'],\n  },\n  suggestion",
    suites: ['libs/reports/src/lifecycle'],
  },
  {
    id: 'lifecycle-reporter-withdraws-late',
    rule: 'the reporter withdraws an acknowledged report',
    file: LIFECYCLE,
    find: "if (actor === 'reporter' && from === 'new') return ['withdrawn'];",
    replace: "if (actor === 'reporter' && (from === 'new' || from === 'acknowledged')) return ['withdrawn'];",
    suites: ['libs/reports/src/lifecycle'],
  },
  // Reports: the public list (tenant, visibility, filters, paging) and the timeline's names.
  {
    id: 'list-tenant-filter',
    rule: "a town's public list shows other towns' reports",
    file: REPORTS_SERVICE,
    find: "q.where(`r.municipality_id = ${q.param(municipalityId, 'uuid')}`).limit(limit + 1);",
    replace: 'q.limit(limit + 1);',
    suites: ['test/reports/list-filters.e2e-spec.ts'],
  },
  {
    id: 'list-hidden-filter',
    rule: 'hidden reports show on the public list',
    file: REPORTS_SERVICE,
    find: "if (!viewer.isStaff) q.where('r.hidden_at IS NULL');",
    replace: '',
    suites: ['test/reports/hidden-reports.e2e-spec.ts'],
  },
  {
    id: 'list-kind-filter',
    rule: 'the kind filter returns nothing',
    file: REPORTS_SERVICE,
    find: 'if (query.kind) q.where(`r.kind = ${q.param(query.kind)}`);',
    replace: "if (query.kind) q.where('false');",
    suites: ['test/reports/list-filters.e2e-spec.ts'],
  },
  {
    id: 'list-kind-filter-ignored',
    rule: 'the kind filter is ignored',
    file: REPORTS_SERVICE,
    find: 'if (query.kind) q.where(`r.kind = ${q.param(query.kind)}`);',
    replace: '',
    suites: ['test/reports/list-filters.e2e-spec.ts'],
  },
  {
    id: 'list-status-filter',
    rule: 'the status filter returns nothing',
    file: REPORTS_SERVICE,
    find: "if (query.status) q.where(`r.status = ANY(${q.param(query.status.split(','), 'text[]')})`);",
    replace: "if (query.status) q.where('false');",
    suites: ['test/reports/list-filters.e2e-spec.ts'],
  },
  {
    id: 'list-status-filter-ignored',
    rule: 'the status filter is ignored',
    file: REPORTS_SERVICE,
    find: "if (query.status) q.where(`r.status = ANY(${q.param(query.status.split(','), 'text[]')})`);",
    replace: '',
    suites: ['test/reports/list-filters.e2e-spec.ts'],
  },
  {
    id: 'keyset-tie-break',
    rule: 'keyset paging skips reports that share a created_at',
    file: REPORTS_SERVICE,
    find: 'q.where(`r.created_at <= ${t}`)',
    replace: 'q.where(`r.created_at < ${t}`)',
    suites: ['test/reports/keyset-ties.e2e-spec.ts'],
  },
  {
    id: 'timeline-anonymous-name',
    rule: "the timeline names an anonymous reporter",
    file: 'libs/reports/src/reports/report-views.ts',
    find: "(by === 'reporter' && !anonymous)",
    replace: "(by === 'reporter')",
    suites: ['test/reports/timeline-reporter-name.e2e-spec.ts'],
  },
  // Identity: refresh-token rotation.
  {
    id: 'refresh-reuse-detection',
    rule: 'a rotated refresh token can be used again',
    file: AUTH,
    find: 'if (token.rotatedAt) {',
    replace: 'if (false) {',
    suites: ['test/identity/auth.e2e-spec.ts'],
    testNamePattern: 'POST /api/v1/auth/refresh',
  },
  {
    id: 'refresh-reuse-forget',
    rule: "reuse leaves the session in this instance's check cache",
    file: AUTH,
    find: 'this.sessionChecks.forget(outcome.userId);\n      throw new RefreshTokenReusedError();',
    replace: 'throw new RefreshTokenReusedError();',
    suites: ['test/identity/refresh-reuse-cache.e2e-spec.ts'],
  },
  {
    id: 'login-unknown-email-fast',
    rule: 'an unknown email skips the password hash (timing reveals accounts)',
    file: 'libs/identity/src/auth/password-hasher.ts',
    find: 'await this.verify(await this.dummyHash, password);',
    replace: 'void this.dummyHash;',
    suites: ['test/identity/auth.e2e-spec.ts'],
    testNamePattern: 'takes about as long',
  },
  // Common: migrations, idempotency, the outbox.
  {
    id: 'migration-advisory-lock',
    rule: 'two migrators run at once without the lock',
    file: 'libs/common/src/db/database-admin.ts',
    find: "await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);",
    replace: '',
    suites: ['test/platform/migration-lock.e2e-spec.ts'],
  },
  {
    id: 'idempotency-body-check',
    rule: 'an idempotency key is reused for a different body',
    file: 'libs/common/src/idempotency/idempotency.service.ts',
    find: 'if (existing.request_hash !== hash) throw new IdempotencyKeyReusedError();',
    replace: '',
    suites: ['test/platform/write-statement.e2e-spec.ts'],
  },
  {
    id: 'outbox-poll',
    rule: 'the relay never polls (NOTIFY only)',
    file: 'apps/worker/src/outbox/outbox-relay.service.ts',
    find: 'this.pollTimer = setInterval(() => this.wake(), this.config.outboxPollMs);',
    replace: 'this.pollTimer = setInterval(() => undefined, this.config.outboxPollMs);',
    suites: ['test/platform/outbox.e2e-spec.ts'],
  },
  // Notifications: a delivery is sent at most once per claim.
  {
    id: 'delivery-sent-claimable',
    rule: "a 'sent' delivery is claimed (and sent) again",
    file: 'libs/notifications/src/delivery/delivery-rows.ts',
    find: "AND (status = 'pending' OR",
    replace: "AND (status IN ('pending', 'sent') OR",
    suites: ['test/notifications/delivery-claims.e2e-spec.ts'],
  },
  // Budgets: phases, ballot rules, sealing.
  {
    id: 'budget-vote-outside-voting',
    rule: 'a ballot is cast outside the voting phase',
    file: BALLOTS,
    find: "if (budget.phase !== 'voting') throw new WrongBudgetPhaseError('voting', budget.phase);",
    replace: '',
    nth: 0,
    suites: ['test/budgets/budgets.e2e-spec.ts'],
  },
  {
    id: 'budget-phase-move-repeated',
    rule: 'a repeated phase move moves the budget twice',
    file: 'libs/budgets/src/budgets.service.ts',
    find: "if (budget.phase !== from || from === 'finished' || from === 'tallying' || stale) {",
    replace: "if (from === 'finished' || from === 'tallying' || stale) {",
    suites: ['test/budgets/budget-phases.e2e-spec.ts'],
  },
  {
    id: 'budget-phase-move-stale-job',
    rule: "a phase job for a date the admin has since changed moves the budget early",
    file: 'libs/budgets/src/budgets.service.ts',
    find: "if (budget.phase !== from || from === 'finished' || from === 'tallying' || stale) {",
    replace: "if (budget.phase !== from || from === 'finished' || from === 'tallying') {",
    suites: ['test/budgets/budget-phases.e2e-spec.ts'],
  },
  {
    id: 'ballot-over-budget',
    rule: 'a knapsack ballot over the amount is accepted',
    file: BALLOT_RULES,
    find: 'if (total > amount) return',
    replace: 'if (total > amount * 2) return',
    suites: ['libs/budgets/src/ballot-rules.spec.ts'],
  },
  {
    id: 'ballot-duplicate-project',
    rule: 'a ballot chooses one project twice',
    file: BALLOT_RULES,
    find: 'if (new Set(choice.projects).size !== choice.projects.length) return',
    replace: 'if (false) return',
    suites: ['libs/budgets/src/ballot-rules.spec.ts'],
  },
  {
    id: 'ballot-approval-max',
    rule: 'an approval ballot chooses one project too many',
    file: BALLOT_RULES,
    find: 'if (n > rule.maxProjects) return',
    replace: 'if (n > rule.maxProjects + 1) return',
    suites: ['libs/budgets/src/ballot-rules.spec.ts'],
  },
  {
    id: 'ballot-cumulative-zero-points',
    rule: 'a cumulative ballot gives a project 0 points',
    file: BALLOT_RULES,
    find: 'points.some((p) => !Number.isInteger(p) || p < 1)',
    replace: 'points.some((p) => !Number.isInteger(p) || p < 0)',
    suites: ['libs/budgets/src/ballot-rules.spec.ts'],
  },
  {
    id: 'ballot-seal-unbound',
    rule: 'a sealed ballot is not bound to its budget',
    file: 'libs/common/src/secrecy/secret-seal.ts',
    find: 'setAAD(Buffer.from(scope));',
    replace: "setAAD(Buffer.from(''));",
    all: true,
    suites: ['libs/budgets/src/ballot-seal.spec.ts', 'libs/common/src/secrecy/secret-seal.spec.ts'],
  },
  {
    id: 'ballot-seal-key-unkeyed',
    rule: "ballots are sealed with a key that is not the app's secret",
    file: 'libs/common/src/secrecy/secret-seal.ts',
    find: "this.key = createHmac('sha256', secret).update(purposes.seal).digest();",
    replace: "this.key = createHmac('sha256', '').update(purposes.seal).digest();",
    suites: ['libs/budgets/src/ballot-seal.spec.ts', 'libs/common/src/secrecy/secret-seal.spec.ts'],
  },
  {
    id: 'ballot-receipt-lookup-unkeyed',
    rule: "a sealed ballot's receipt lookup is the receipt's public hash",
    file: 'libs/common/src/secrecy/secret-seal.ts',
    find: "return createHmac('sha256', this.lookupKey).update(`${scope}:${value}`).digest('hex');",
    replace: "return require('node:crypto').createHash('sha256').update(value).digest('hex');",
    suites: ['libs/budgets/src/ballot-seal.spec.ts', 'libs/common/src/secrecy/secret-seal.spec.ts', 'test/budgets/budgets.e2e-spec.ts'],
  },
  // Panels: sortition quotas and households.
  {
    id: 'panel-quota-min',
    rule: "a drawn panel may fall below a quota's minimum",
    file: 'libs/panels/src/selection/panel-model.ts',
    find: 'this.model.addRow(q.min, q.max, {',
    replace: 'this.model.addRow(0, q.max, {',
    suites: ['libs/panels', 'test/panels/panel-draws.e2e-spec.ts'],
  },
  {
    id: 'panel-household',
    rule: 'a drawn panel may hold two people of one household',
    file: 'libs/panels/src/selection/panel-model.ts',
    find: 'this.model.addRow(0, 1, { indices: household',
    replace: 'this.model.addRow(0, 2, { indices: household',
    suites: ['libs/panels', 'test/panels/panel-draws.e2e-spec.ts'],
  },
];
