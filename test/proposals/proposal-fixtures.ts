import TestAgent from 'supertest/lib/agent';
import { createMunicipality, memberSession, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

/** A town with its admin, staff, one topic, and a helper to write (and publish) proposals. */
export interface ProposalTown {
  town: TestMunicipality;
  platformAdmin: Session;
  admin: Session;
  staff: Session;
  topicId: string;
  /** A district covering the north-east quarter of the town square. */
  districtId: string;
}

export async function proposalTown(http: TestAgent, settings: Record<string, unknown> = {}): Promise<ProposalTown> {
  const platformAdmin = await platformAdminSession(http);
  const town = await createMunicipality(http, platformAdmin.accessToken);
  const admin = await memberSession(http, platformAdmin.accessToken, town.slug, ['admin']);
  const staff = await memberSession(http, platformAdmin.accessToken, town.slug, ['staff']);
  const topic = await admin.auth(http.post(`/api/v1/municipalities/${town.slug}/proposal-topics`)).send({ code: 'mobility', nameFr: 'Mobilité', nameEn: 'Mobility' }).expect(201);
  const [lng, lat] = town.center;
  const district = await admin
    .auth(http.post(`/api/v1/municipalities/${town.slug}/districts`))
    .send({ code: 'NE', nameFr: 'Nord-Est', nameEn: 'North-East', boundary: squareAround([lng + 0.005, lat + 0.005], 0.004) })
    .expect(201);
  if (Object.keys(settings).length) await admin.auth(http.put(`/api/v1/municipalities/${town.slug}/proposal-settings`)).send(settings).expect(200);
  return { town, platformAdmin, admin, staff, topicId: topic.body.id, districtId: district.body.id };
}

/** Makes someone a verified resident of the town (staff verifies them). */
export async function makeResident(http: TestAgent, t: ProposalTown, who: Session): Promise<void> {
  await t.staff.auth(http.put(`/api/v1/municipalities/${t.town.slug}/residents/${who.user.id}`)).send({}).expect((res) => {
    if (res.status !== 200 && res.status !== 201) throw new Error(`residency answered ${res.status}`);
  });
}

export async function residents(http: TestAgent, t: ProposalTown, count: number): Promise<Session[]> {
  const out: Session[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, count - i) }, () => createSession(http)));
    await Promise.all(batch.map((s) => makeResident(http, t, s)));
    out.push(...batch);
  }
  return out;
}

export async function draft(http: TestAgent, t: ProposalTown, author: Session, body: Record<string, unknown> = {}): Promise<string> {
  const res = await author
    .auth(http.post(`/api/v1/municipalities/${t.town.slug}/proposals`))
    .send({ title: 'Des arceaux vélo devant la médiathèque', body: 'Il manque des arceaux pour les vélos près de la médiathèque.', topicId: t.topicId, ...body });
  if (res.status !== 201) throw new Error(`draft answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function published(http: TestAgent, t: ProposalTown, author: Session, body: Record<string, unknown> = {}): Promise<string> {
  const id = await draft(http, t, author, body);
  await author.auth(http.post(`/api/v1/proposals/${id}/publish`)).expect(200);
  return id;
}
