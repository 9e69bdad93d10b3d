import TestAgent from 'supertest/lib/agent';
import { randomBytes } from 'node:crypto';
import type { TestMunicipality } from './municipality.factory';

export interface CategoryOverrides {
  code?: string;
  department?: string;
  attributes?: unknown[];
  serviceLevels?: unknown;
  active?: boolean;
}

/** POST /api/v1/municipalities/:slug/categories as a municipality admin; fails unless 201. */
export async function createCategory(http: TestAgent, adminToken: string, slug: string, overrides: CategoryOverrides = {}) {
  const body = {
    code: overrides.code ?? `cat-${randomBytes(4).toString('hex')}`,
    name: { fr: 'Nid de poule', en: 'Pothole' },
    description: { fr: 'Trou dans la chaussée', en: 'Hole in the road' },
    department: overrides.department ?? 'roads',
    keywords: ['road', 'hole'],
    ...(overrides.attributes ? { attributes: overrides.attributes } : {}),
    ...(overrides.serviceLevels ? { serviceLevels: overrides.serviceLevels } : {}),
    ...(overrides.active !== undefined ? { active: overrides.active } : {}),
  };
  const res = await http.post(`/api/v1/municipalities/${slug}/categories`).set('Authorization', `Bearer ${adminToken}`).send(body);
  if (res.status !== 201) throw new Error(`create category answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string };
}

export interface ReportOverrides {
  kind?: 'problem' | 'suggestion' | 'compliment';
  description?: string;
  location?: { lat: number; lng: number };
  anonymous?: boolean;
  /** Show the reporter's name publicly (hidden by default). */
  showName?: boolean;
  attributes?: Record<string, unknown>;
  address?: string;
}

/** A point near the municipality's centre, `dx`/`dy` in degrees away. */
export function near(m: TestMunicipality, dx = 0, dy = 0) {
  return { lng: m.center[0] + dx, lat: m.center[1] + dy };
}

/** POST /api/v1/municipalities/:slug/reports as `token`; fails unless 201. */
export async function createReport(http: TestAgent, token: string, m: TestMunicipality, categoryCode: string, overrides: ReportOverrides = {}) {
  const res = await http
    .post(`/api/v1/municipalities/${m.slug}/reports`)
    .set('Authorization', `Bearer ${token}`)
    .send({
      kind: overrides.kind ?? 'problem',
      categoryCode,
      description: overrides.description ?? 'Street light broken in front of the school',
      location: overrides.location ?? near(m),
      ...(overrides.address ? { address: overrides.address } : {}),
      ...(overrides.anonymous !== undefined ? { anonymous: overrides.anonymous } : {}),
      ...(overrides.showName !== undefined ? { showName: overrides.showName } : {}),
      ...(overrides.attributes ? { attributes: overrides.attributes } : {}),
    });
  if (res.status !== 201) throw new Error(`create report answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; number: string; status: string; version: number };
}
