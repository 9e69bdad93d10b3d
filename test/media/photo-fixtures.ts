import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

export interface PhotoView {
  id: string;
  mimeType: string;
  width: number;
  height: number;
  url: string;
  thumbnailUrl: string;
  createdAt: string;
}

export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** Path and query of an absolute URL from the API, for supertest. */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** An app with its own photo storage, two towns, their staff, a reporter and a neighbour. */
export interface PhotoWorld {
  t: TestApp;
  db: DataSource;
  storageDir: string;
  admin: Session;
  town: TestMunicipality;
  other: TestMunicipality;
  staff: Session;
  otherStaff: Session;
  reporter: Session;
  neighbour: Session;
  categoryCode: string;
}

export async function setUpPhotoWorld(): Promise<PhotoWorld> {
  const storageDir = await mkdtemp(join(tmpdir(), 'civic-photos-e2e-'));
  const t = await createTestApp({ env: { STORAGE_DIR: storageDir } });
  const admin = await platformAdminSession(t.http);
  const town = await createMunicipality(t.http, admin.accessToken, { name: 'Photoville' });
  const other = await createMunicipality(t.http, admin.accessToken, { name: 'Elsewhere' });
  const townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
  return {
    t,
    db: t.app.get(DataSource),
    storageDir,
    admin,
    town,
    other,
    staff: await memberSession(t.http, admin.accessToken, town.slug, ['staff']),
    otherStaff: await memberSession(t.http, admin.accessToken, other.slug, ['staff']),
    reporter: await createSession(t.http, { displayName: 'Rita Reporter' }),
    neighbour: await createSession(t.http, { displayName: 'Ned Neighbour' }),
    categoryCode: (await createCategory(t.http, townAdmin.accessToken, town.slug)).code,
  };
}

export async function tearDownPhotoWorld(w: PhotoWorld | undefined): Promise<void> {
  if (!w) return;
  await w.t.close();
  await rm(w.storageDir, { recursive: true, force: true });
}

/** Filing a report, uploading to it and counting its rows; `world` is read when called (after beforeAll). */
export function photoRequests(world: () => PhotoWorld) {
  return {
    newReport: () => createReport(world().t.http, world().reporter.accessToken, world().town, world().categoryCode),
    upload: (s: Session | null, reportId: string, bytes: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg') => {
      const req = world().t.http.post(`/api/v1/reports/${reportId}/photos`);
      return (s ? s.auth(req) : req).attach('photo', bytes, { filename, contentType });
    },
    rowsFor: async (reportId: string) =>
      Number(
        ((await world().db.query(`SELECT count(*)::int AS n FROM attachments WHERE subject_type = 'report' AND subject_id = $1`, [reportId])) as Array<{ n: number }>)[0].n,
      ),
  };
}
