import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import {
  DomainException,
  loadConfig,
  PlatformModule,
  ProvidesSubject,
  SubjectInfo,
  SubjectProvider,
  TransactionService,
  ValidationError,
} from '@app/common';
import { Actor, IdentityModule, MembershipsService, MunicipalitiesService, PersonalDataService, RegistrationService } from '@app/identity';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CommentsService } from './comments/comments.service';
import { EngagementModule } from './engagement.module';
import { FlagsService } from './flags/flags.service';
import { FollowsService } from './follows/follows.service';
import { SubjectRef } from './subjects/subject-registry';

/**
 * The engagement services on the real database, with two subject types defined here as test
 * fixtures: "thing" (hideable) and "gadget" (not hideable), described from memory.
 */
const things = new Map<string, SubjectInfo>();

@Injectable()
@ProvidesSubject({ type: 'thing', collection: 'things' })
class ThingSubjects implements SubjectProvider {
  readonly hidden: Array<{ id: string; actorId: string; inTransaction: boolean }> = [];

  async describe(id: string): Promise<SubjectInfo | null> {
    return things.get(id) ?? null;
  }

  async hide(id: string, actorId: string, manager: EntityManager): Promise<void> {
    this.hidden.push({ id, actorId, inTransaction: manager.queryRunner?.isTransactionActive ?? false });
    things.set(id, { ...things.get(id)!, isPublic: false });
  }
}

@Injectable()
@ProvidesSubject({ type: 'gadget', collection: 'gadgets' })
class GadgetSubjects implements SubjectProvider {
  async describe(id: string): Promise<SubjectInfo | null> {
    return things.get(id) ?? null;
  }
}

@Module({ providers: [ThingSubjects, GadgetSubjects] })
class FixtureSubjectsModule {}

const PASSWORD = 'Quiet-lantern-orbit-97';

async function expectDomainError(promise: Promise<unknown>, code: string): Promise<DomainException> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, got success`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainException);
  expect((error as DomainException).code).toBe(code);
  return error as DomainException;
}

describe('engagement services (real database)', () => {
  let moduleRef: TestingModule;
  let comments: CommentsService;
  let follows: FollowsService;
  let flags: FlagsService;
  let tx: TransactionService;
  let admin: Actor;
  let lille: { id: string; slug: string };
  let roubaix: { id: string; slug: string };
  let lilleStaff: Actor;
  let roubaixStaff: Actor;

  const user = async (displayName = 'Camille Martin'): Promise<Actor> => {
    const created = await moduleRef.get(RegistrationService).register({ email: `eng-${randomUUID()}@test.local`, password: PASSWORD, displayName });
    return { id: created.id, isPlatformAdmin: false };
  };

  const municipality = async (): Promise<{ id: string; slug: string }> => {
    const slug = `eng-${randomUUID().slice(0, 8)}`;
    const created = await moduleRef.get(MunicipalitiesService).create(admin, { slug, name: slug, timezone: 'Europe/Paris', locale: 'fr' });
    return { id: created.id, slug };
  };

  const staffOf = async (m: { slug: string }): Promise<Actor> => {
    const staff = await user('Staff Member');
    await moduleRef.get(MembershipsService).setRoles(admin, m.slug, staff.id, { roles: ['staff'] });
    return staff;
  };

  const thing = (municipalityId: string, overrides: Partial<SubjectInfo> = {}): SubjectRef => {
    const id = randomUUID();
    things.set(id, { municipalityId, isPublic: true, ownerId: null, ...overrides });
    return { type: 'thing', id };
  };

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forRoot(loadConfig()), IdentityModule, EngagementModule, FixtureSubjectsModule],
    }).compile();
    await moduleRef.init();
    comments = moduleRef.get(CommentsService);
    follows = moduleRef.get(FollowsService);
    flags = moduleRef.get(FlagsService);
    tx = moduleRef.get(TransactionService);
    const [row] = (await tx.manager.query(`SELECT id FROM users WHERE email = $1`, [process.env.ADMIN_EMAIL])) as Array<{ id: string }>;
    admin = { id: row.id, isPlatformAdmin: true };
    lille = await municipality();
    roubaix = await municipality();
    lilleStaff = await staffOf(lille);
    roubaixStaff = await staffOf(roubaix);
  });

  afterAll(() => moduleRef.close());

  describe('CommentsService', () => {
    it('adds a trimmed comment with its author name and records engagement.comment_added in the outbox', async () => {
      const author = await user('Jeanne Dupont');
      const subject = thing(lille.id);
      const added = await comments.add(author, subject, '   Same problem on my street.  \n');
      expect(added).toEqual({
        id: expect.any(String),
        subjectType: 'thing',
        subjectId: subject.id,
        inReplyToId: null,
        body: 'Same problem on my street.',
        status: 'visible',
        awaitingReview: false,
        author: { id: author.id, displayName: 'Jeanne Dupont' },
        editedAt: null,
        deletedAt: null,
        createdAt: expect.any(Date),
      });
      const events = (await tx.manager.query(`SELECT type, payload, municipality_id, actor_id FROM outbox_events WHERE aggregate_id = $1`, [
        added.id,
      ])) as Array<Record<string, unknown>>;
      expect(events).toEqual([
        {
          type: 'engagement.comment_added',
          payload: { commentId: added.id, subjectType: 'thing', subjectId: subject.id, municipalityId: lille.id, authorId: author.id, inReplyToId: null },
          municipality_id: lille.id,
          actor_id: author.id,
        },
      ]);
      expect(await moduleRef.get(FollowsService).isFollowing(author.id, subject)).toBe(true);
    });

    it('lists oldest first, page by page, each comment exactly once', async () => {
      const author = await user();
      const subject = thing(lille.id);
      const bodies = ['one', 'two', 'three', 'four', 'five'];
      for (const body of bodies) await comments.add(author, subject, body);
      const seen: Array<string | null> = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await comments.list(subject, { cursor, limit: 2 });
        seen.push(...page.items.map((c) => c.body));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(seen).toEqual(bodies);
      expect(pages).toBe(3);
    });

    it('keeps comments written in one transaction (same timestamp) in a stable, complete order', async () => {
      const author = await user();
      const subject = thing(lille.id);
      await tx.run(async (manager) => {
        for (let i = 0; i < 5; i++) {
          await manager.query(
            `INSERT INTO comments (subject_type, subject_id, municipality_id, author_id, body) VALUES ('thing', $1, $2, $3, $4)`,
            [subject.id, lille.id, author.id, `c${i}`],
          );
        }
      });
      const all = await comments.list(subject, { limit: 100 });
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await comments.list(subject, { cursor, limit: 2 });
        paged.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(all.items.map((c) => c.id));
      expect(new Set(paged).size).toBe(5);
    });

    it('answers SUBJECT_NOT_FOUND for an unknown subject, an unknown type, and a subject hidden from the public', async () => {
      const author = await user();
      await expectDomainError(comments.add(author, { type: 'thing', id: randomUUID() }, 'hello'), 'SUBJECT_NOT_FOUND');
      await expectDomainError(comments.add(author, { type: 'nope', id: randomUUID() }, 'hello'), 'SUBJECT_NOT_FOUND');
      const hidden = thing(lille.id, { isPublic: false });
      await expectDomainError(comments.add(author, hidden, 'hello'), 'SUBJECT_NOT_FOUND');
      await expectDomainError(comments.list(hidden), 'SUBJECT_NOT_FOUND');
      await expectDomainError(comments.list(hidden, {}, author), 'SUBJECT_NOT_FOUND');
      // The municipality's staff still reads it; staff of another town does not.
      await expect(comments.list(hidden, {}, lilleStaff)).resolves.toEqual({ items: [], nextCursor: null });
      await expectDomainError(comments.list(hidden, {}, roubaixStaff), 'SUBJECT_NOT_FOUND');
    });

    it('refuses comments on comments', async () => {
      const author = await user();
      const parent = await comments.add(author, thing(lille.id), 'parent');
      await expectDomainError(comments.add(author, { type: 'comment', id: parent.id }, 'reply'), 'SUBJECT_NOT_FOUND');
    });

    it.each([
      ['empty', ''],
      ['only spaces', '   \n '],
      ['over 2000 characters', 'x'.repeat(2001)],
      ['a NUL character', 'a\u0000b'],
    ])('refuses a body that is %s', async (_label, body) => {
      const author = await user();
      await expect(comments.add(author, thing(lille.id), body)).rejects.toBeInstanceOf(ValidationError);
    });

    it('accepts exactly 2000 characters, counted as characters not UTF-16 units', async () => {
      const author = await user();
      const body = '🚲'.repeat(2000);
      await expect(comments.add(author, thing(lille.id), body)).resolves.toMatchObject({ body });
    });

    it('refuses a tampered cursor with VALIDATION_FAILED', async () => {
      const subject = thing(lille.id);
      await expectDomainError(comments.list(subject, { cursor: 'not-a-cursor' }), 'VALIDATION_FAILED');
      const foreign = Buffer.from(JSON.stringify({ at: "2020-01-01'; DROP TABLE comments; --", id: 'x' })).toString('base64url');
      await expectDomainError(comments.list(subject, { cursor: foreign }), 'VALIDATION_FAILED');
    });
  });

  describe('FollowsService', () => {
    it('follows idempotently, lists followers, unfollows idempotently', async () => {
      const [a, b] = [await user(), await user()];
      const subject = thing(lille.id);
      await follows.follow(a.id, subject);
      await follows.follow(a.id, subject);
      await follows.follow(b.id, subject);
      expect(await follows.followerIds(subject)).toEqual([a.id, b.id]);
      expect(await follows.isFollowing(a.id, subject)).toBe(true);
      await follows.unfollow(a.id, subject);
      await follows.unfollow(a.id, subject);
      expect(await follows.isFollowing(a.id, subject)).toBe(false);
      expect(await follows.followerIds(subject)).toEqual([b.id]);
    });

    it("joins the caller's transaction: a rolled-back follow never happened", async () => {
      const a = await user();
      const subject = thing(lille.id);
      await expect(
        tx.run(async (manager) => {
          await follows.follow(a.id, subject, manager);
          expect(await follows.isFollowing(a.id, subject, manager)).toBe(true);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await follows.isFollowing(a.id, subject)).toBe(false);
    });

    it('lets the owner follow a subject not yet public, nobody else', async () => {
      const [owner, other] = [await user(), await user()];
      const subject = thing(lille.id, { isPublic: false, ownerId: owner.id });
      await follows.follow(owner.id, subject);
      await expectDomainError(follows.follow(other.id, subject), 'SUBJECT_NOT_FOUND');
      await expectDomainError(follows.follow(other.id, { type: 'thing', id: randomUUID() }), 'SUBJECT_NOT_FOUND');
    });

    it("lists a person's follows, most recent first, page by page", async () => {
      const a = await user();
      const subjects = [thing(lille.id), thing(lille.id), thing(roubaix.id)];
      for (const s of subjects) await follows.follow(a.id, s);
      const first = await follows.listForUser(a.id, { limit: 2 });
      const second = await follows.listForUser(a.id, { limit: 2, cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((f) => f.subjectId)).toEqual(subjects.map((s) => s.id).reverse());
      expect(second.nextCursor).toBeNull();
      expect(first.items[0]).toMatchObject({ subjectType: 'thing', collection: 'things' });
    });
  });

  describe('FlagsService', () => {
    it('takes one flag per person per subject (ALREADY_FLAGGED), on comments too', async () => {
      const [author, reporter] = [await user(), await user()];
      const comment = await comments.add(author, thing(lille.id), 'You are all idiots');
      const flag = await flags.flag(reporter, { type: 'comment', id: comment.id }, { reason: 'abusive', note: '  insults  ' });
      expect(flag).toMatchObject({ subjectType: 'comment', collection: 'comments', municipalityId: lille.id, status: 'open', note: 'insults' });
      await expectDomainError(flags.flag(reporter, { type: 'comment', id: comment.id }, { reason: 'spam' }), 'ALREADY_FLAGGED');
      await expectDomainError(flags.flag(reporter, { type: 'comment', id: randomUUID() }, { reason: 'spam' }), 'SUBJECT_NOT_FOUND');
    });

    it('shows the queue to staff of that municipality only', async () => {
      const citizen = await user();
      await expectDomainError(flags.queue(citizen, lille.slug), 'FORBIDDEN');
      await expectDomainError(flags.queue(roubaixStaff, lille.slug), 'FORBIDDEN');
      await expectDomainError(flags.queue(lilleStaff, 'no-such-town'), 'MUNICIPALITY_NOT_FOUND');
      await expect(flags.queue(lilleStaff, lille.slug)).resolves.toHaveProperty('items');
    });

    it('upholding removes the comment from public view, closes every open flag on it, audits and records the decision', async () => {
      const [author, r1, r2] = [await user(), await user(), await user()];
      const subject = thing(lille.id);
      const comment = await comments.add(author, subject, 'Buy cheap watches at example.com');
      const f1 = await flags.flag(r1, { type: 'comment', id: comment.id }, { reason: 'spam' });
      const f2 = await flags.flag(r2, { type: 'comment', id: comment.id }, { reason: 'off_topic' });

      const queue = await flags.queue(lilleStaff, lille.slug, { limit: 100 });
      const queued = queue.items.filter((f) => f.subjectId === comment.id);
      expect(queued.map((f) => f.id)).toEqual([f1.id, f2.id]);
      expect(queued[0].preview).toBe('Buy cheap watches at example.com');

      await expectDomainError(flags.resolve(roubaixStaff, f1.id, 'upheld'), 'FORBIDDEN');
      await expectDomainError(flags.resolve(r1, f1.id, 'upheld'), 'FORBIDDEN');
      const resolved = await flags.resolve(lilleStaff, f1.id, 'upheld');
      expect(resolved).toMatchObject({ id: f1.id, status: 'upheld', resolvedById: lilleStaff.id, resolvedAt: expect.any(Date) });

      expect((await comments.list(subject)).items.map((c) => c.id)).not.toContain(comment.id);
      const forStaff = await comments.list(subject, {}, lilleStaff);
      expect(forStaff.items.find((c) => c.id === comment.id)?.status).toBe('removed');
      await expectDomainError(flags.flag(await user(), { type: 'comment', id: comment.id }, { reason: 'spam' }), 'SUBJECT_NOT_FOUND');

      const [second] = (await tx.manager.query(`SELECT status, resolved_by_id FROM flags WHERE id = $1`, [f2.id])) as Array<Record<string, unknown>>;
      expect(second).toEqual({ status: 'upheld', resolved_by_id: lilleStaff.id });
      await expectDomainError(flags.resolve(lilleStaff, f2.id, 'dismissed'), 'FLAG_ALREADY_RESOLVED');

      const audit = (await tx.manager.query(
        `SELECT action, actor_id, municipality_id, target_type, target_id, after FROM audit_log
         WHERE (target_type = 'flag' AND target_id = $1) OR (target_type = 'comment' AND target_id = $2) ORDER BY id`,
        [f1.id, comment.id],
      )) as Array<Record<string, unknown>>;
      expect(audit.map((a) => a.action)).toEqual(['comment.removed', 'flag.upheld']);
      expect(audit[1]).toMatchObject({ actor_id: lilleStaff.id, municipality_id: lille.id, after: { flagIds: [f1.id, f2.id].sort() } });

      const [event] = (await tx.manager.query(`SELECT payload FROM outbox_events WHERE type = 'engagement.flag_resolved' AND aggregate_id = $1`, [
        f1.id,
      ])) as Array<{ payload: Record<string, unknown> }>;
      expect(event.payload).toMatchObject({ flagId: f1.id, decision: 'upheld', subjectType: 'comment', subjectId: comment.id, resolvedById: lilleStaff.id });
    });

    it('dismissing leaves the comment visible', async () => {
      const [author, reporter] = [await user(), await user()];
      const subject = thing(lille.id);
      const comment = await comments.add(author, subject, 'The council should fix this.');
      const flag = await flags.flag(reporter, { type: 'comment', id: comment.id }, { reason: 'other' });
      await flags.resolve(lilleStaff, flag.id, 'dismissed');
      expect((await comments.list(subject)).items.map((c) => c.id)).toContain(comment.id);
      expect((await flags.queue(lilleStaff, lille.slug, { status: 'dismissed', limit: 100 })).items.map((f) => f.id)).toContain(flag.id);
    });

    it("upholding a flag on another subject type hides it through its provider, in the decision's transaction", async () => {
      const reporter = await user();
      const subject = thing(lille.id);
      const flag = await flags.flag(reporter, subject, { reason: 'personal_data' });
      await flags.resolve(lilleStaff, flag.id, 'upheld');
      expect(moduleRef.get(ThingSubjects).hidden).toContainEqual({ id: subject.id, actorId: lilleStaff.id, inTransaction: true });
      expect(things.get(subject.id)!.isPublic).toBe(false);
    });

    it('refuses to uphold a flag on a subject its library cannot hide, and leaves the flag open', async () => {
      const reporter = await user();
      const id = randomUUID();
      things.set(id, { municipalityId: lille.id, isPublic: true, ownerId: null });
      const flag = await flags.flag(reporter, { type: 'gadget', id }, { reason: 'spam' });
      await expectDomainError(flags.resolve(lilleStaff, flag.id, 'upheld'), 'SUBJECT_NOT_HIDEABLE');
      const [row] = (await tx.manager.query(`SELECT status FROM flags WHERE id = $1`, [flag.id])) as Array<{ status: string }>;
      expect(row.status).toBe('open');
    });

    it('answers FLAG_NOT_FOUND for an unknown flag', async () => {
      await expectDomainError(flags.resolve(lilleStaff, randomUUID(), 'dismissed'), 'FLAG_NOT_FOUND');
    });
  });

  describe('personal data', () => {
    it('exports comments, follows and flags; erasure anonymises comments, drops follows, unlinks flags', async () => {
      const person = await user('To Be Erased');
      const other = await user();
      const subject = thing(lille.id);
      const comment = await comments.add(person, subject, 'My two cents');
      await follows.follow(person.id, subject);
      const othersComment = await comments.add(other, subject, 'Mine');
      const flag = await flags.flag(person, { type: 'comment', id: othersComment.id }, { reason: 'off_topic' });

      const personalData = moduleRef.get(PersonalDataService);
      const exported = await personalData.exportFor(person.id);
      expect(exported.sections.engagement).toEqual({
        comments: [expect.objectContaining({ id: comment.id, body: 'My two cents', subjectType: 'thing', subjectId: subject.id })],
        follows: [expect.objectContaining({ subjectType: 'thing', subjectId: subject.id })],
        flags: [expect.objectContaining({ id: flag.id, reason: 'off_topic' })],
        moderation: [],
      });

      await personalData.erase(person.id, { password: PASSWORD });
      const listed = await comments.list(subject);
      expect(listed.items.find((c) => c.id === comment.id)).toMatchObject({ body: 'My two cents', author: null });
      expect(listed.items.find((c) => c.id === othersComment.id)?.author).toEqual({ id: other.id, displayName: 'Camille Martin' });
      // The other commenter still follows; the erased person does not.
      expect(await follows.followerIds(subject)).toEqual([other.id]);
      const [row] = (await tx.manager.query(`SELECT reporter_id FROM flags WHERE id = $1`, [flag.id])) as Array<{ reporter_id: string | null }>;
      expect(row.reporter_id).toBeNull();
      const [authorRow] = (await tx.manager.query(`SELECT author_id FROM comments WHERE id = $1`, [comment.id])) as Array<{ author_id: string | null }>;
      expect(authorRow.author_id).toBeNull();
    });
  });
});
