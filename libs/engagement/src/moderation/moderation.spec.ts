import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { loadConfig, ModerationChange, PlatformModule, ProvidesSubject, SubjectInfo, SubjectProvider, TransactionService } from '@app/common';
import { Actor, IdentityModule, MembershipsService, MunicipalitiesService, RegistrationService } from '@app/identity';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EngagementModule } from '../engagement.module';
import { FlagsService } from '../flags/flags.service';
import { ModerationSettingsService } from './moderation-settings.service';
import { ModerationService } from './moderation.service';

/**
 * The contract a library relies on, with a "widget" subject type defined here as another
 * library would: screen() in its own transaction, decisions reaching its moderate hook in the
 * decision's transaction, and a failing hook undoing the whole decision.
 */
const widgets = new Map<string, SubjectInfo>();

@Injectable()
@ProvidesSubject({ type: 'widget', collection: 'widgets' })
class WidgetSubjects implements SubjectProvider {
  readonly changes: Array<ModerationChange & { id: string; inTransaction: boolean }> = [];
  failNext = false;

  async describe(id: string): Promise<SubjectInfo | null> {
    return widgets.get(id) ?? null;
  }

  async moderate(id: string, change: ModerationChange, manager: EntityManager): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('widget storage down');
    }
    this.changes.push({ id, ...change, inTransaction: manager.queryRunner?.isTransactionActive ?? false });
  }

  async moderationPreviews(ids: string[]): Promise<Map<string, string>> {
    return new Map(ids.map((id) => [id, `widget ${id.slice(0, 4)}`]));
  }
}

@Module({ providers: [WidgetSubjects] })
class WidgetModule {}

describe('ModerationService: the contract for owning libraries (real database)', () => {
  let moduleRef: TestingModule;
  let moderation: ModerationService;
  let tx: TransactionService;
  let provider: WidgetSubjects;
  let admin: Actor;
  let town: { id: string; slug: string };
  let staff: Actor;

  const user = async (): Promise<Actor> => {
    const created = await moduleRef.get(RegistrationService).register({ email: `mod-${randomUUID()}@test.local`, password: 'Quiet-lantern-orbit-97', displayName: 'Wendy Widget' });
    return { id: created.id, isPlatformAdmin: false };
  };
  const widget = (ownerId: string | null = null) => {
    const id = randomUUID();
    widgets.set(id, { municipalityId: town.id, isPublic: true, ownerId });
    return id;
  };
  const screen = (authorId: string | null, subjectId: string, text: string) =>
    tx.run((manager) => moderation.screen(manager, { municipalityId: town.id, authorId, subjectType: 'widget', subjectId, text }));
  const itemStatus = async (itemId: string) =>
    ((await tx.manager.query(`SELECT status FROM moderation_items WHERE id = $1`, [itemId])) as Array<{ status: string }>)[0]?.status;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({ imports: [PlatformModule.forRoot(loadConfig()), IdentityModule, EngagementModule, WidgetModule] }).compile();
    await moduleRef.init();
    moderation = moduleRef.get(ModerationService);
    tx = moduleRef.get(TransactionService);
    provider = moduleRef.get(WidgetSubjects);
    const [row] = (await tx.manager.query(`SELECT id FROM users WHERE email = $1`, [process.env.ADMIN_EMAIL])) as Array<{ id: string }>;
    admin = { id: row.id, isPlatformAdmin: true };
    const slug = `mod-${randomUUID().slice(0, 8)}`;
    town = { id: (await moduleRef.get(MunicipalitiesService).create(admin, { slug, name: slug, timezone: 'Europe/Paris', locale: 'fr' })).id, slug };
    staff = await user();
    await moduleRef.get(MembershipsService).setRoles(admin, slug, staff.id, { roles: ['staff'] });
    await moduleRef.get(ModerationSettingsService).update(admin, slug, { heldWords: ['éclairage'], flagThreshold: 2 });
  });
  afterAll(() => moduleRef.close());

  it('screen holds by the word list, records the item and moderation.held in the caller’s transaction', async () => {
    const author = await user();
    const id = widget(author.id);
    const result = await screen(author.id, id, 'Panne d’ECLAIRAGE');
    expect(result).toEqual({ held: true, itemId: expect.any(String), reason: 'word_list', matchedWords: ['éclairage'] });
    const events = await tx.manager.query(`SELECT type, payload FROM outbox_events WHERE aggregate_id = $1`, [(result as { itemId: string }).itemId]);
    expect(events).toEqual([{ type: 'moderation.held', payload: expect.objectContaining({ subjectType: 'widget', subjectId: id, authorId: author.id, kind: 'held', reason: 'word_list' }) }]);
    expect(await moderation.pendingReviews('widget', [id, randomUUID()])).toEqual(new Map([[id, { itemId: (result as { itemId: string }).itemId, kind: 'held', reason: 'word_list' }]]));
    expect(await screen(author.id, widget(author.id), 'Tout va bien')).toEqual({ held: false });
    // The town's staff are never held.
    expect(await screen(staff.id, widget(staff.id), 'éclairage')).toEqual({ held: false });
  });

  it('a caller’s rolled-back transaction leaves nothing behind', async () => {
    const id = widget();
    await expect(
      tx.run(async (manager) => {
        await moderation.screen(manager, { municipalityId: town.id, authorId: null, subjectType: 'widget', subjectId: id, text: 'éclairage' });
        throw new Error('the owning library failed after screening');
      }),
    ).rejects.toThrow('failed after screening');
    expect(await moderation.pendingReviews('widget', [id])).toEqual(new Map());
  });

  it('decisions reach the hook inside the decision’s transaction: release, reject, then unhide', async () => {
    const author = await user();
    const id = widget(author.id);
    const { itemId } = (await screen(author.id, id, 'éclairage')) as { itemId: string };
    await moderation.decide(staff, town.slug, itemId, 'reject', 'Off topic');
    await moderation.decide(staff, town.slug, itemId, 'unhide', null);
    expect(provider.changes.filter((c) => c.id === id)).toEqual([
      { id, action: 'reject', itemId, actorId: staff.id, reason: 'Off topic', inTransaction: true },
      { id, action: 'release', itemId, actorId: staff.id, reason: null, inTransaction: true },
    ]);
    const second = widget(author.id);
    const held = (await screen(author.id, second, 'éclairage')) as { itemId: string };
    await moderation.decide(staff, town.slug, held.itemId, 'approve', null);
    expect(provider.changes.at(-1)).toMatchObject({ id: second, action: 'release' });
  });

  it('a hook that fails undoes the decision: the item stays pending, nothing announced', async () => {
    const id = widget();
    const { itemId } = (await screen(null, id, 'éclairage')) as { itemId: string };
    provider.failNext = true;
    await expect(moderation.decide(staff, town.slug, itemId, 'approve', null)).rejects.toThrow('widget storage down');
    expect(await itemStatus(itemId)).toBe('pending');
    expect(await tx.manager.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1 AND type = 'moderation.decided'`, [itemId])).toEqual([]);
  });

  it('flags reaching the threshold hide the subject through the hook (no actor), once', async () => {
    const owner = await user();
    const id = widget(owner.id);
    const flags = moduleRef.get(FlagsService);
    for (let i = 0; i < 3; i++) await flags.flag(await user(), { type: 'widget', id }, { reason: 'spam' });
    expect(provider.changes.filter((c) => c.id === id)).toEqual([{ id, action: 'hide', itemId: expect.any(String), actorId: null, reason: null, inTransaction: true }]);
    expect((await moderation.pendingReviews('widget', [id])).get(id)).toMatchObject({ kind: 'flagged', reason: 'flags' });
  });
});
