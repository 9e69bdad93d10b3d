import { Test, TestingModule } from '@nestjs/testing';
import { DomainException, loadConfig, OutboxEventEntity, PlatformModule, TransactionService } from '@app/common';
import { IdentityModule, MunicipalitiesService, RegistrationService } from '@app/identity';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { cameraPhoto, forgedImage, metadataMarkersIn, plainPhoto } from '../../../test/fixtures/images';
import { AttachmentEntity } from './attachment.entity';
import { AddImageInput, AttachmentsService } from './attachments.service';
import { MediaPersonalData } from './media-personal-data';
import { MediaModule } from './media.module';

/**
 * AttachmentsService on the real database and a real directory: subjects here are plain ids of
 * a made-up type ("widget"), since attachments do not care what a subject is.
 */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

async function domainError(promise: Promise<unknown>): Promise<DomainException> {
  const error = await promise.then(
    () => {
      throw new Error('expected a domain error, got success');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainException);
  return error as DomainException;
}

describe('AttachmentsService (real database, real files)', () => {
  let moduleRef: TestingModule;
  let attachments: AttachmentsService;
  let tx: TransactionService;
  let storageDir: string;
  let municipalityId: string;
  let uploaderId: string;

  const widget = () => randomUUID();
  const input = (subjectId: string, bytes: Buffer, overrides: Partial<AddImageInput> = {}): AddImageInput => ({
    subjectType: 'widget',
    subjectId,
    municipalityId,
    uploaderId,
    bytes,
    maxPerSubject: 5,
    ...overrides,
  });
  const rowsOf = (subjectId: string) => tx.manager.find(AttachmentEntity, { where: { subjectType: 'widget', subjectId } });

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'civic-media-spec-'));
    moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forRoot(loadConfig({ ...process.env, STORAGE_DIR: storageDir })), IdentityModule, MediaModule],
    }).compile();
    await moduleRef.init();
    attachments = moduleRef.get(AttachmentsService);
    tx = moduleRef.get(TransactionService);
    const [admin] = (await tx.manager.query(`SELECT id FROM users WHERE email = $1`, [process.env.ADMIN_EMAIL])) as Array<{ id: string }>;
    const slug = `media-${randomUUID().slice(0, 8)}`;
    municipalityId = (await moduleRef.get(MunicipalitiesService).create({ id: admin.id, isPlatformAdmin: true }, { slug, name: slug, timezone: 'Europe/Paris', locale: 'fr' })).id;
    uploaderId = (await moduleRef.get(RegistrationService).register({ email: `media-${randomUUID()}@test.local`, password: 'Quiet-lantern-orbit-97', displayName: 'Uploader' })).id;
  });

  afterAll(async () => {
    await moduleRef.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  it('stores a clean full image and a thumbnail, then the row and its outbox event', async () => {
    const subjectId = widget();
    const { view } = await attachments.addImage(input(subjectId, await cameraPhoto('jpeg', { width: 1200, height: 900 })));
    expect(view).toMatchObject({ mimeType: 'image/jpeg', width: 1200, height: 900 });
    expect(view.url).toMatch(new RegExp(`/api/v1/photos/${view.id}\\?size=full$`));
    expect(view.thumbnailUrl).toMatch(new RegExp(`/api/v1/photos/${view.id}\\?size=thumb$`));

    const [row] = await rowsOf(subjectId);
    expect(row).toMatchObject({ id: view.id, municipalityId, uploaderId, mimeType: 'image/jpeg' });
    const files = await filesUnder(storageDir);
    expect(files).toEqual(expect.arrayContaining([join(storageDir, row.storageKey), join(storageDir, row.thumbnailKey!)]));

    const full = await attachments.openFile(row, 'full');
    const thumb = await attachments.openFile(row, 'thumb');
    expect(full?.contentType).toBe('image/jpeg');
    expect(thumb?.contentType).toBe('image/webp');
    const fullBytes = await buffer(full!.body);
    expect(fullBytes.length).toBe(row.bytes);
    expect(metadataMarkersIn(fullBytes)).toEqual([]);
    expect((await sharp(fullBytes).metadata()).exif).toBeUndefined();
    expect((await buffer(thumb!.body)).length).toBeLessThan(fullBytes.length);

    const events = await tx.manager.find(OutboxEventEntity, { where: { type: 'media.attachment_added', aggregateId: subjectId } });
    expect(events.map((e) => e.payload)).toEqual([
      { attachmentId: view.id, subjectType: 'widget', subjectId, municipalityId, uploaderId, count: 1 },
    ]);
  });

  it('never lets concurrent uploads exceed the limit', async () => {
    const subjectId = widget();
    const photo = await plainPhoto('png', 200, 150);
    const before = (await filesUnder(storageDir)).length;
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => attachments.addImage(input(subjectId, photo, { maxPerSubject: 5 }))));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(refused.map((r) => (r.reason as DomainException).code)).toEqual(['ATTACHMENT_LIMIT_REACHED', 'ATTACHMENT_LIMIT_REACHED', 'ATTACHMENT_LIMIT_REACHED']);
    expect(await rowsOf(subjectId)).toHaveLength(5);
    // The losers' files were removed again: two per stored photo, no more.
    expect((await filesUnder(storageDir)).length).toBe(before + 10);
    const counts = (await tx.manager.find(OutboxEventEntity, { where: { type: 'media.attachment_added', aggregateId: subjectId } }))
      .map((e) => (e.payload as { count: number }).count)
      .sort();
    expect(counts).toEqual([1, 2, 3, 4, 5]);
  });

  it('removes the stored files when the row cannot be written', async () => {
    const subjectId = widget();
    const before = await filesUnder(storageDir);
    // No such municipality: the insert violates its foreign key after both files were written.
    const error = await attachments.addImage(input(subjectId, await plainPhoto('webp'), { municipalityId: randomUUID() })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await rowsOf(subjectId)).toEqual([]);
    expect(await filesUnder(storageDir)).toEqual(before);
  });

  it('stores nothing for a file that is not really an image', async () => {
    const subjectId = widget();
    const before = await filesUnder(storageDir);
    expect((await domainError(attachments.addImage(input(subjectId, forgedImage('png'))))).code).toBe('IMAGE_UNREADABLE');
    expect((await domainError(attachments.addImage(input(subjectId, Buffer.from('hello'))))).code).toBe('UNSUPPORTED_IMAGE_TYPE');
    expect(await rowsOf(subjectId)).toEqual([]);
    expect(await filesUnder(storageDir)).toEqual(before);
  });

  it('moves photos to another subject inside the caller transaction, and not at all if it rolls back', async () => {
    const from = widget();
    const to = widget();
    const photo = await plainPhoto('jpeg', 120, 90);
    for (let i = 0; i < 3; i++) await attachments.addImage(input(from, photo));
    await attachments.addImage(input(to, photo));

    await expect(
      tx.run(async (manager) => {
        await attachments.moveToSubject(manager, 'widget', from, 'widget', to);
        throw new Error('merge failed later');
      }),
    ).rejects.toThrow('merge failed later');
    expect(await rowsOf(from)).toHaveLength(3);

    const moved = await tx.run((manager) => attachments.moveToSubject(manager, 'widget', from, 'widget', to));
    expect(moved).toBe(3);
    expect(await rowsOf(from)).toHaveLength(0);
    // A merge may take the target over its usual limit rather than lose photos.
    expect(await rowsOf(to)).toHaveLength(4);
    const listed = await attachments.listBySubjects('widget', [from, to]);
    expect(listed.get(to)).toHaveLength(4);
    expect(listed.has(from)).toBe(false);
    const [event] = await tx.manager.find(OutboxEventEntity, { where: { type: 'media.attachments_moved', aggregateId: to } });
    expect(event.payload).toMatchObject({ fromType: 'widget', fromId: from, toType: 'widget', toId: to, count: 4 });
    expect((event.payload as { attachmentIds: string[] }).attachmentIds).toHaveLength(3);
  });

  it('deletes a subject’s photos, rows and files', async () => {
    const subjectId = widget();
    await attachments.addImage(input(subjectId, await plainPhoto('png', 64, 64)));
    const [row] = await rowsOf(subjectId);
    await expect(attachments.deleteForSubject('widget', subjectId)).resolves.toBe(1);
    expect(await rowsOf(subjectId)).toEqual([]);
    const files = await filesUnder(storageDir);
    expect(files).not.toContain(join(storageDir, row.storageKey));
    expect(files).not.toContain(join(storageDir, row.thumbnailKey!));
    await expect(attachments.openFile(row, 'full')).resolves.toBeNull();
  });

  it('exports and erases the uploader, keeping the photos', async () => {
    const person = (await moduleRef.get(RegistrationService).register({ email: `media-${randomUUID()}@test.local`, password: 'Quiet-lantern-orbit-97', displayName: 'P' })).id;
    const subjectId = widget();
    const { view } = await attachments.addImage(input(subjectId, await plainPhoto('jpeg', 64, 64), { uploaderId: person }));
    const contributor = moduleRef.get(MediaPersonalData);

    const exported = (await contributor.exportFor(person, tx.manager)) as { uploads: Array<Record<string, unknown>> };
    expect(exported.uploads).toEqual([expect.objectContaining({ id: view.id, subjectType: 'widget', subjectId, mimeType: 'image/jpeg' })]);

    await tx.run((manager) => contributor.eraseFor(person, manager, { removeContributions: false, removedText: 'Removed' }));
    const [row] = await rowsOf(subjectId);
    expect(row).toMatchObject({ id: view.id, uploaderId: null });
    expect(((await contributor.exportFor(person, tx.manager)) as { uploads: unknown[] }).uploads).toEqual([]);
  });
});
