import { createMunicipality, memberSession } from '../factories/municipality.factory';
import { DataSource } from 'typeorm';
import { createVenue, createWorkshop, localTime, manyPeople, workshopBody } from '../factories/workshop.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';

jest.setTimeout(300_000);

/** Capacity under concurrency: many people registering at once for a few seats, through the HTTP API. */
describe('workshops: the seat race', () => {
  let t: TestApp;
  let staff: Session;
  let sessionId: string;
  let people: Session[];

  beforeAll(async () => {
    t = await createTestApp();
    const platform = await platformAdminSession(t.http);
    const town = await createMunicipality(t.http, platform.accessToken);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    const venue = await createVenue(t.http, staff, town.slug);
    const w = await createWorkshop(t.http, staff, town.slug, workshopBody({ sessions: [{ startsAt: localTime(9, 18), endsAt: localTime(9, 20), venueId: venue.id, roomId: venue.rooms[0].id, capacity: 20 }] }));
    sessionId = w.sessions[0].id;
    people = await manyPeople(t.http, t.app.get(DataSource), 200);
  });
  afterAll(() => t.close());

  it('200 people racing for 20 seats: exactly 20 registered, 180 waitlisted in arrival order', async () => {
    const answers = await Promise.all(people.map((p) => p.auth(t.http.post(`/api/v1/sessions/${sessionId}/registrations`)).send()));
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const statuses = answers.map((a) => a.body.status as string);
    expect(statuses.filter((s) => s === 'registered')).toHaveLength(20);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(180);
    // Each waiting person was told a distinct place: 1..180.
    const positions = answers.filter((a) => a.body.status === 'waitlisted').map((a) => a.body.waitlistPosition as number);
    expect([...positions].sort((x, y) => x - y)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));

    // The roster is in arrival order: the 20 seats went to the first 20 to arrive, then the queue.
    const roster = await staff.auth(t.http.get(`/api/v1/sessions/${sessionId}/registrations`)).expect(200);
    expect(roster.body.map((r: { status: string }) => r.status)).toEqual([...Array(20).fill('registered'), ...Array(180).fill('waitlisted')]);
    expect(roster.body.slice(20).map((r: { waitlistPosition: number }) => r.waitlistPosition)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
    // What each person was told matches the roster.
    const told = new Map(answers.map((a) => [a.body.id as string, a.body.waitlistPosition as number | null]));
    for (const r of roster.body as Array<{ id: string; waitlistPosition: number | null }>) expect(told.get(r.id)).toBe(r.waitlistPosition);

    const session = await t.http.get(`/api/v1/sessions/${sessionId}`).expect(200);
    expect(session.body).toMatchObject({ capacity: 20, seatsLeft: 0 });
  });
});
