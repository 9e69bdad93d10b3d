import TestAgent from 'supertest/lib/agent';
import type { SharedPool } from '../utils/sortition-pools';
import { createSession, Session } from '../utils/sessions';

export interface PanelBody {
  name: string;
  size: number;
  termMonths: number;
  householdRule: boolean;
  features: Array<{ code: string; values: Array<{ code: string; min: number; max: number }> }>;
  consentVersion: string;
  consentText: string;
}

/** A small panel: 4 seats, gender and age band, one household per seat. */
export function smallPanelBody(overrides: Partial<PanelBody> = {}): PanelBody {
  return {
    name: 'Panel citoyen',
    size: 4,
    termMonths: 12,
    householdRule: true,
    features: [
      { code: 'gender', values: [{ code: 'f', min: 2, max: 2 }, { code: 'm', min: 2, max: 2 }] },
      { code: 'age', values: [{ code: 'young', min: 1, max: 3 }, { code: 'old', min: 1, max: 3 }] },
    ],
    consentVersion: 'v1',
    consentText: 'I agree that my answers are used to draw the panel by lot.',
    ...overrides,
  };
}

/** The rules of a published pool (quotas.csv) as a panel body. */
export function sharedPoolPanelBody(pool: SharedPool, householdRule: boolean): PanelBody {
  return smallPanelBody({
    name: `Pool ${pool.name}`,
    size: pool.panelSize,
    householdRule,
    features: pool.features.map((code) => ({
      code,
      values: pool.quotas.filter((q) => q.feature === code).map((q) => ({ code: q.value, min: q.min, max: q.max })),
    })),
  });
}

/** people.csv re-shaped as the import format: external_id, household, then the feature columns. */
export function poolImportCsv(pool: SharedPool): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header = ['external_id', 'household', ...pool.features].join(',');
  const lines = pool.rows.map((row) =>
    [row.id, pool.householdColumns.map((c) => row[c]).join(' | '), ...pool.features.map((f) => row[f])].map(quote).join(','),
  );
  return [header, ...lines].join('\n') + '\n';
}

export async function createPanel(http: TestAgent, admin: Session, slug: string, body: PanelBody): Promise<{ id: string }> {
  const res = await admin.auth(http.post(`/api/v1/municipalities/${slug}/panels`)).send(body);
  if (res.status !== 201) throw new Error(`create panel answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

/** A new verified resident of the town (code issued by `by`, staff or admin), signed in. */
export async function residentSession(http: TestAgent, slug: string, by: Session): Promise<Session> {
  const s = await createSession(http);
  const codes = await by.auth(http.post(`/api/v1/municipalities/${slug}/residency-codes`)).send({ count: 1 });
  if (codes.status !== 201) throw new Error(`residency codes answered ${codes.status}`);
  const res = await s.auth(http.post(`/api/v1/municipalities/${slug}/residency`)).send({ code: codes.body.codes[0] });
  if (res.status !== 201) throw new Error(`residency answered ${res.status}`);
  return s;
}

/** A resident who volunteers for the panel with these feature values (an address of their own unless given). */
export async function volunteer(http: TestAgent, slug: string, by: Session, panelId: string, features: Record<string, string>, address?: string): Promise<{ session: Session; profileId: string }> {
  const session = await residentSession(http, slug, by);
  const res = await session
    .auth(http.post(`/api/v1/panels/${panelId}/volunteers`))
    .send({ consentVersion: 'v1', features, address: address ?? `${session.user.id} rue du Test`, contact: { email: true, post: false } });
  if (res.status !== 201) throw new Error(`volunteer answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { session, profileId: res.body.id as string };
}
