import { randomBytes } from 'node:crypto';
import TestAgent from 'supertest/lib/agent';
import { createMunicipality, TestMunicipality } from '../factories/municipality.factory';
import { Session } from '../utils/sessions';

/**
 * Subjects for the engagement suites: reports, created through the reports API like a phone
 * would, in a town with one category.
 */
export interface Town extends TestMunicipality {
  categoryCode: string;
}

export async function createTown(http: TestAgent, admin: Session): Promise<Town> {
  const town = await createMunicipality(http, admin.accessToken);
  const categoryCode = `cat_${randomBytes(3).toString('hex')}`;
  const res = await admin
    .auth(http.post(`/api/v1/municipalities/${town.slug}/categories`))
    .send({ code: categoryCode, name: { fr: 'Éclairage public', en: 'Street lighting' } });
  if (res.status !== 201) throw new Error(`create category answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { ...town, categoryCode };
}

/** POST /api/v1/municipalities/:slug/reports by `reporter`; returns the report id. */
export async function createReport(http: TestAgent, reporter: Session, town: Town): Promise<string> {
  const [lng, lat] = town.center;
  const res = await reporter
    .auth(http.post(`/api/v1/municipalities/${town.slug}/reports`))
    .send({ kind: 'problem', categoryCode: town.categoryCode, description: 'The street light is out', location: { lat, lng } });
  if (res.status !== 201) throw new Error(`create report answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
