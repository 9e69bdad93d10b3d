import { randomBytes, randomInt } from 'node:crypto';
import TestAgent from 'supertest/lib/agent';
import { createSession, Session, UserOverrides } from '../utils/sessions';

export type Position = [number, number];

export interface AreaGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown[];
}

export interface MunicipalityOverrides {
  slug?: string;
  name?: string;
  timezone?: string;
  locale?: 'fr' | 'en';
  countryCode?: string;
  /** [lng, lat] the default square boundary is centred on; random (away from other suites) by default. */
  center?: Position;
  /** Half the side of the default square, in degrees (default 0.01, about 1 km). */
  halfSize?: number;
  /** Replaces the square; null creates a municipality without a boundary. */
  boundary?: AreaGeometry | null;
}

export interface TestMunicipality {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: 'fr' | 'en';
  countryCode: string;
  boundary: AreaGeometry | null;
  /** Centre of the default square: a point inside the municipality. */
  center: Position;
}

export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A point unlikely to fall in any other suite's municipality (they share one database). */
export function randomCenter(): Position {
  return [randomInt(-1_700_000, 1_700_000) / 10_000, randomInt(-600_000, 600_000) / 10_000];
}

/** A closed square ring around a point, counter-clockwise as GeoJSON prefers. */
export function squareRing([lng, lat]: Position, halfSize: number): Position[] {
  return [
    [lng - halfSize, lat - halfSize],
    [lng + halfSize, lat - halfSize],
    [lng + halfSize, lat + halfSize],
    [lng - halfSize, lat + halfSize],
    [lng - halfSize, lat - halfSize],
  ];
}

export function squareAround(center: Position, halfSize = 0.01): AreaGeometry {
  return { type: 'Polygon', coordinates: [squareRing(center, halfSize)] };
}

/** POST /api/v1/municipalities as `adminToken` (the platform admin); fails unless 201. */
export async function createMunicipality(http: TestAgent, adminToken: string, overrides: MunicipalityOverrides = {}): Promise<TestMunicipality> {
  const center = overrides.center ?? randomCenter();
  const body = {
    slug: overrides.slug ?? uniqueSlug(),
    name: overrides.name ?? 'Test town',
    timezone: overrides.timezone ?? 'Europe/Paris',
    locale: overrides.locale ?? 'fr',
    ...(overrides.countryCode ? { countryCode: overrides.countryCode } : {}),
    boundary: overrides.boundary === undefined ? squareAround(center, overrides.halfSize) : overrides.boundary,
  };
  const res = await http.post('/api/v1/municipalities').set('Authorization', `Bearer ${adminToken}`).send(body);
  if (res.status !== 201) throw new Error(`create municipality ${body.slug} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { ...(res.body as Omit<TestMunicipality, 'center'>), center };
}

/** PUT /api/v1/municipalities/:slug/members/:userId as `adminToken`; fails unless 200/204. */
export async function grantRoles(
  http: TestAgent,
  adminToken: string,
  slug: string,
  userId: string,
  roles: Array<'staff' | 'facilitator' | 'admin'>,
  department?: string,
): Promise<void> {
  const res = await http
    .put(`/api/v1/municipalities/${slug}/members/${userId}`)
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ roles, ...(department !== undefined ? { department } : {}) });
  if (res.status !== 200 && res.status !== 204) throw new Error(`grant ${roles.join(',')} in ${slug} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** A fresh account holding `roles` in the municipality, signed in. */
export async function memberSession(
  http: TestAgent,
  adminToken: string,
  slug: string,
  roles: Array<'staff' | 'facilitator' | 'admin'>,
  overrides: UserOverrides = {},
): Promise<Session> {
  const session = await createSession(http, { emailPrefix: roles.join('-') || 'member', ...overrides });
  await grantRoles(http, adminToken, slug, session.user.id, roles);
  return session;
}
