import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { cameraPhoto, metadataMarkersIn } from '../fixtures/images';
import { draft, ProposalTown, proposalTown, published } from '../proposals/proposal-fixtures';
import { createMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { filesUnder, pathOf } from './photo-fixtures';

/** The smallest file every PDF reader opens: one empty page. */
function pdf(note = 'plan'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${note}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

const binary = (res: { on: (e: string, f: (c?: Buffer) => void) => void }, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Documents (PDF and images as files) through media, on proposals; read from the outside. */
describe('media: documents on proposals', () => {
  let t: TestApp;
  let storageDir: string;
  let town: ProposalTown;
  let author: Session;
  let neighbour: Session;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'civic-documents-e2e-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir } });
    town = await proposalTown(t.http);
    author = await createSession(t.http);
    neighbour = await createSession(t.http);
  });
  afterAll(async () => {
    await t?.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  const upload = (who: Session, proposalId: string, bytes: Buffer, filename: string, contentType = 'application/pdf') =>
    who.auth(t.http.post(`/api/v1/proposals/${proposalId}/documents`)).attach('document', bytes, { filename, contentType });

  it('stores a PDF under a cleaned name and serves it as a download to everyone while the proposal is public', async () => {
    const id = await published(t.http, town, author);
    const file = pdf();
    const res = await upload(author, id, file, 'C:\\Users\\me\\plan du quartier é.exe', 'application/octet-stream').expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      fileName: 'plan du quartier é.pdf',
      mimeType: 'application/pdf',
      bytes: file.length,
      url: expect.stringMatching(/\/api\/v1\/documents\/[0-9a-f-]{36}$/),
      createdAt: expect.any(String),
    });
    const listed = await t.http.get(`/api/v1/proposals/${id}/documents`).expect(200);
    expect(listed.body).toEqual([res.body]);

    const download = await t.http.get(pathOf(res.body.url)).buffer(true).parse(binary).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="plan du quartier ?.pdf"; filename*=UTF-8''plan%20du%20quartier%20%C3%A9.pdf`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.compare(download.body as Buffer, file)).toBe(0);
    // A document is not a photo, and the photo routes say so.
    await t.http.get(`/api/v1/photos/${res.body.id}`).expect(404);
  });

  it('refuses forged files by their bytes (415), whatever their name and type claim, and too large ones (413); nothing is stored', async () => {
    const id = await published(t.http, town, author);
    const storedBefore = (await filesUnder(storageDir)).filter((f) => f.includes(`${sep}documents${sep}`)).length;
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const forged = await upload(author, id, html, 'plan.pdf').expect(415);
    expect(forged.body).toMatchObject({ code: 'UNSUPPORTED_DOCUMENT_TYPE' });
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(200)]);
    expect((await upload(author, id, exe, 'plan.pdf').expect(415)).body.code).toBe('UNSUPPORTED_DOCUMENT_TYPE');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
    expect((await upload(author, id, svg, 'plan.png', 'image/png').expect(415)).body.code).toBe('UNSUPPORTED_DOCUMENT_TYPE');

    const huge = Buffer.concat([pdf(), Buffer.alloc(15 * 1024 * 1024)]);
    const tooLarge = await upload(author, id, huge, 'huge.pdf').expect(413);
    expect(tooLarge.body).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', meta: { maxBytes: 15 * 1024 * 1024 } });
    const fr = await author.auth(t.http.post(`/api/v1/proposals/${id}/documents`)).set('Accept-Language', 'fr').attach('document', html, { filename: 'plan.pdf' }).expect(415);
    expect(fr.body.message).toBe('Seuls les documents PDF et les images JPEG, PNG ou WebP sont acceptés');

    expect((await upload(author, id, Buffer.alloc(0), 'empty.pdf').expect(400)).body.code).toBe('DOCUMENT_REQUIRED');
    expect((await t.http.get(`/api/v1/proposals/${id}/documents`).expect(200)).body).toEqual([]);
    expect((await filesUnder(storageDir)).filter((f) => f.includes(`${sep}documents${sep}`)).length).toBe(storedBefore);
  });

  it('keeps an image as a file without its metadata', async () => {
    const id = await published(t.http, town, author);
    const photo = await cameraPhoto('jpeg');
    expect(metadataMarkersIn(photo).length).toBeGreaterThan(0);
    const res = await upload(author, id, photo, 'scan.jpeg', 'image/jpeg').expect(201);
    expect(res.body).toMatchObject({ fileName: 'scan.jpg', mimeType: 'image/jpeg' });
    const download = await t.http.get(pathOf(res.body.url)).buffer(true).parse(binary).expect(200);
    expect(metadataMarkersIn(download.body as Buffer)).toEqual([]);
  });

  it('lets only the author and staff add, follows the proposal\'s visibility, counts its own limit, and lets the uploader remove', async () => {
    const id = await published(t.http, town, author);
    expect((await upload(neighbour, id, pdf(), 'mine.pdf').expect(403)).body.code).toBe('DOCUMENT_UPLOAD_FORBIDDEN');
    await t.http.post(`/api/v1/proposals/${id}/documents`).attach('document', pdf(), { filename: 'a.pdf' }).expect(401);
    const byStaff = await upload(town.staff, id, pdf('staff'), 'note.pdf').expect(201);
    expect((await neighbour.auth(t.http.delete(`/api/v1/documents/${byStaff.body.id}`)).expect(403)).body.code).toBe('DOCUMENT_DELETE_FORBIDDEN');
    for (let i = 0; i < 4; i++) await upload(author, id, pdf(`n${i}`), `annexe-${i}.pdf`).expect(201);
    expect((await upload(author, id, pdf('six'), 'six.pdf').expect(409)).body).toMatchObject({ code: 'DOCUMENT_LIMIT_REACHED', meta: { max: 5 } });
    await town.staff.auth(t.http.delete(`/api/v1/documents/${byStaff.body.id}`)).expect(204);
    await t.http.get(`/api/v1/documents/${byStaff.body.id}`).expect(404);
    await upload(author, id, pdf('again'), 'again.pdf').expect(201);

    // A draft's documents: its author and staff only; others get the 404 of nothing.
    const hidden = await draft(t.http, town, author);
    const doc = await upload(author, hidden, pdf('draft'), 'draft.pdf').expect(201);
    await t.http.get(`/api/v1/documents/${doc.body.id}`).expect(404);
    await neighbour.auth(t.http.get(`/api/v1/documents/${doc.body.id}`)).expect(404);
    await neighbour.auth(t.http.get(`/api/v1/proposals/${hidden}/documents`)).expect(404);
    await author.auth(t.http.get(`/api/v1/documents/${doc.body.id}`)).expect(200);
    await town.staff.auth(t.http.get(`/api/v1/documents/${doc.body.id}`)).expect(200);
    await author.auth(t.http.delete(`/api/v1/documents/${doc.body.id}`)).expect(204);
    await author.auth(t.http.get(`/api/v1/documents/${doc.body.id}`)).expect(404);
  });

  it("lists a proposal's photos (not its documents) to whoever may see it", async () => {
    const id = await published(t.http, town, author);
    await t.http.get(`/api/v1/proposals/${id}/photos`).expect(200).expect((res) => expect(res.body).toEqual([]));
    await upload(author, id, pdf('beside'), 'beside.pdf').expect(201);
    const photo = await author.auth(t.http.post(`/api/v1/proposals/${id}/photos`)).attach('photo', await cameraPhoto('jpeg'), { filename: 'p.jpg', contentType: 'image/jpeg' }).expect(201);
    const listed = await t.http.get(`/api/v1/proposals/${id}/photos`).expect(200);
    expect(listed.body).toEqual([photo.body]);
    await t.http.get(pathOf(listed.body[0].thumbnailUrl)).expect(200);

    const hidden = await draft(t.http, town, author);
    await author.auth(t.http.post(`/api/v1/proposals/${hidden}/photos`)).attach('photo', await cameraPhoto('jpeg'), { filename: 'p.jpg', contentType: 'image/jpeg' }).expect(201);
    await neighbour.auth(t.http.get(`/api/v1/proposals/${hidden}/photos`)).expect(404);
    await author.auth(t.http.get(`/api/v1/proposals/${hidden}/photos`)).expect(200).expect((res) => expect(res.body).toHaveLength(1));
  });

  it('refuses documents on subjects that take none', async () => {
    const platform = town.platformAdmin;
    const other = await createMunicipality(t.http, platform.accessToken);
    const category = await createCategory(t.http, platform.accessToken, other.slug);
    const reporter = await createSession(t.http);
    const report = await createReport(t.http, reporter.accessToken, other, category.code);
    const res = await reporter.auth(t.http.post(`/api/v1/reports/${report.id}/documents`)).attach('document', pdf(), { filename: 'a.pdf' }).expect(404);
    expect(res.body.code).toBe('DOCUMENTS_NOT_ACCEPTED');
  });
});
