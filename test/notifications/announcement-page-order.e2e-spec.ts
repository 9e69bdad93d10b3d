import { DataSource } from 'typeorm';
import { AnnouncementFanout } from '@app/notifications';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { IsolatedEnv, isolatedEnv } from './notification-fixtures';

jest.setTimeout(120_000);

/**
 * The store walk's pages stored at once (NOTIFICATION_FANOUT_PAGES_AT_ONCE) commit in order: a
 * page moves the cursor only after the page before it committed, and rolls back when that one
 * failed. The walk is driven by hand (no worker runs against this database), with a trigger on
 * `notifications` slowing or failing the first page's first person.
 */
describe('announcements: pages stored at once commit in order', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let db: DataSource;
  let fanout: AnnouncementFanout;
  let staff: Session;
  let town: TestMunicipality;
  let people: string[];
  let announcementId: string;

  const notified = async (): Promise<string[]> =>
    (await db.query(`SELECT user_id FROM notifications WHERE subject_id = $1 ORDER BY user_id`, [announcementId])).map((r: { user_id: string }) => r.user_id);
  const cursor = async (): Promise<string | null> => (await db.query(`SELECT fanout_cursor FROM announcements WHERE id = $1`, [announcementId]))[0].fanout_cursor;
  /** What the first page's first person does to its page's insert: fail it, or hold it `seconds`. */
  const firstPerson = async (action: 'fail' | { seconds: number } | null) => {
    await db.query(`DROP TRIGGER IF EXISTS page_order_probe ON notifications`);
    if (!action) return;
    const body = action === 'fail' ? `RAISE EXCEPTION 'page order probe'` : `PERFORM pg_sleep(${action.seconds})`;
    await db.query(`
      CREATE OR REPLACE FUNCTION page_order_probe() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.user_id = '${people[0]}'::uuid THEN ${body}; END IF;
        RETURN NEW;
      END $fn$`);
    await db.query(`CREATE TRIGGER page_order_probe BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION page_order_probe()`);
  };

  beforeAll(async () => {
    env = await isolatedEnv('announcement_page_order');
    t = await createTestApp({ env: env.env });
    db = t.app.get(DataSource);
    fanout = t.app.get(AnnouncementFanout);
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Pageville' });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    for (let i = 0; i < 7; i++) {
      const resident = await createSession(t.http, { emailPrefix: `page-order-${i}` });
      await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${resident.user.id}`)).expect(201);
    }
    // The walk's order: by user id.
    people = (await db.query(`SELECT user_id FROM residencies WHERE municipality_id = $1 ORDER BY user_id`, [town.id])).map((r: { user_id: string }) => r.user_id);
    const res = await staff
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/announcements`))
      .send({ audience: { kind: 'municipality.residents' }, title: { fr: 'Ordre', en: 'Order' }, body: { fr: 'Corps', en: 'Body' }, channels: ['in_app'] })
      .expect(201);
    announcementId = res.body.id;
  });

  afterAll(async () => {
    await db?.query(`DROP TRIGGER IF EXISTS page_order_probe ON notifications`);
    await t?.close();
    await env?.teardown();
  });

  it('rolls the second page back when the first fails, so the cursor never passes a page not stored', async () => {
    await firstPerson('fail');
    await expect(fanout.nextPage(3, 2)).rejects.toThrow(/page order probe/);
    // The second page (people 3-5) was stored in its own transaction, and rolled back.
    expect(await notified()).toEqual([]);
    expect(await cursor()).toBeNull();
  });

  it('holds the second page until the first commits, however long the first takes', async () => {
    // The first page is held 1.5 s; the second, stored meanwhile, moves the cursor only after it.
    await firstPerson({ seconds: 1.5 });
    const page = await fanout.nextPage(3, 2);
    expect(page).toMatchObject({ announcementId, people: 6, stored: 6, done: false });
    expect(await notified()).toEqual([...people.slice(0, 6)].sort());
    expect(await cursor()).toBe(people[5]);
    await firstPerson(null);
    // The last person, and the walk ends; nobody twice.
    expect(await fanout.nextPage(3, 2)).toMatchObject({ people: 1, stored: 1, done: true });
    expect(await notified()).toEqual([...people].sort());
    expect(await fanout.nextPage(3, 2)).toBeNull();
    const [row] = await db.query(`SELECT status, recipients FROM announcements WHERE id = $1`, [announcementId]);
    expect(row).toEqual({ status: 'sent', recipients: 7 });
  });
});
