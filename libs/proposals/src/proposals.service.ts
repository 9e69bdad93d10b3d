import { Injectable } from '@nestjs/common';
import { AuditService, concurrentReads, containsPoint, OutboxService, selectEntities, TransactionService, ValidationError } from '@app/common';
import { FollowsService, ModerationService } from '@app/engagement';
import { AccessService, Actor, DistrictsService, isOwner, MunicipalitiesService, MunicipalityView, PeopleDirectoryService, UsersService } from '@app/identity';
import { EntityManager, IsNull, Not } from 'typeorm';
import { detectLanguage, plainText, renderSafeMarkdown } from './content/markdown';
import { CreateProposalDto, UpdateProposalDto } from './dto/proposal.dto';
import { allowedTransitions, isPublicStatus, ProposalStatus } from './lifecycle/proposal-lifecycle';
import { eventBase, eventMeta, PROPOSAL_SUBJECT, ProposalTransitions } from './lifecycle/proposal-transitions';
import { ParticipationService } from './participation/participation.service';
import { ProposalAnswerEntity, ProposalCoauthorEntity, ProposalEntity, ProposalSupportEntity, ProposalTopicEntity } from './proposal.entity';
import {
  emptyAfterSanitizing,
  NoInvitationError,
  NotAuthorError,
  outsideMunicipality,
  ProposalEditLockedError,
  ProposalIllegalTransitionError,
  ProposalNotFoundError,
  unknownDistrict,
  unknownTopic,
} from './proposals.errors';
import { ProposalView, toProposalView } from './views/proposal-view';

const DAY_MS = 86_400_000;

/**
 * Statuses whose text its authors may still change (a published one only until its first
 * support). Not while held: staff review the text that was screened.
 */
const EDITABLE: readonly ProposalStatus[] = ['draft', 'published'];

/** Drafts, publication, edits, withdrawal and co-authors of citizen proposals; who sees what. */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly districts: DistrictsService,
    private readonly access: AccessService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly follows: FollowsService,
    private readonly participation: ParticipationService,
    private readonly transitions: ProposalTransitions,
    private readonly moderation: ModerationService,
    private readonly people: PeopleDirectoryService,
  ) {}

  /** A new draft; nothing is public until it is published. */
  async create(actor: Actor, slug: string, dto: CreateProposalDto, manager?: EntityManager, extra: Partial<ProposalEntity> = {}): Promise<ProposalEntity> {
    const municipality = await this.municipalities.requireBySlug(slug, manager);
    return this.tx.join(manager, async (m) => {
      const fields = await this.contentFields(m, municipality, { ...dto, language: dto.language ?? detectLanguage(`${dto.title} ${dto.body}`, municipality.locale) });
      const proposal = await m.save(m.create(ProposalEntity, { municipalityId: municipality.id, authorId: actor.id, status: 'draft', ...fields, ...extra }));
      await m.query(`UPDATE proposals SET location = CASE WHEN lat IS NULL THEN NULL ELSE point(lng, lat) END WHERE id = $1`, [proposal.id]);
      return m.findOneByOrFail(ProposalEntity, { id: proposal.id });
    });
  }

  /**
   * Changes the text, topic or place. Drafts and held content freely; a published proposal only
   * until its first support (409 PROPOSAL_EDIT_LOCKED): people supported what they read.
   */
  async update(actor: Actor, id: string, dto: UpdateProposalDto): Promise<ProposalEntity> {
    return this.tx.run(async (manager) => {
      const proposal = await this.transitions.lock(manager, id);
      await this.assertVisible(actor, proposal, manager);
      if (!isOwner(proposal.authorId, actor.id)) throw new NotAuthorError();
      if (proposal.supportCount > 0 || proposal.firstSupportedAt) throw new ProposalEditLockedError(proposal.supportCount);
      if (!EDITABLE.includes(proposal.status)) throw new ProposalEditLockedError(0);
      const municipality = await this.municipalities.requireById(proposal.municipalityId, manager);
      const merged = {
        title: dto.title ?? proposal.title,
        body: dto.body ?? proposal.body,
        topicId: dto.topicId ?? proposal.topicId,
        language: dto.language ?? proposal.language,
        // null takes the saved place off (UpdateProposalDto); left out keeps it.
        location: dto.location === null ? undefined : (dto.location ?? (proposal.lat !== null && proposal.lng !== null ? { lat: proposal.lat, lng: proposal.lng } : undefined)),
        // A new place brings its own district; without one the district stays unless changed or cleared.
        districtId: dto.districtId === null ? undefined : (dto.districtId ?? (dto.location ? undefined : (proposal.districtId ?? undefined))),
      };
      const fields = await this.contentFields(manager, municipality, merged);
      await manager.update(ProposalEntity, { id }, fields);
      await manager.query(`UPDATE proposals SET location = CASE WHEN lat IS NULL THEN NULL ELSE point(lng, lat) END WHERE id = $1`, [id]);
      const updated = await manager.findOneByOrFail(ProposalEntity, { id });
      if (isPublicStatus(updated.status)) await this.outbox.record(manager, 'proposals.edited', eventBase(updated), eventMeta(updated, actor.id));
      return updated;
    });
  }

  /**
   * draft → published: the support period starts now. The town's pre-moderation rules
   * (engagement's ModerationService.screen, in this transaction) may hold it instead: then it
   * waits, visible to its authors as awaiting review and to staff, until a moderator approves
   * (published) or refuses it (back to draft, with the reason).
   */
  async publish(actor: Actor, id: string): Promise<ProposalEntity> {
    return this.tx.run(async (manager) => {
      const proposal = await this.transitions.lock(manager, id);
      await this.assertVisible(actor, proposal, manager);
      if (!isOwner(proposal.authorId, actor.id)) throw new NotAuthorError();
      // Only moderation moves a held proposal on.
      if (proposal.status !== 'draft') throw new ProposalIllegalTransitionError(proposal.status, 'published', allowedTransitions(proposal.status));
      const screened = await this.moderation.screen(manager, {
        municipalityId: proposal.municipalityId,
        authorId: actor.id,
        subjectType: PROPOSAL_SUBJECT,
        subjectId: proposal.id,
        text: `${proposal.title}\n\n${proposal.body}`,
      });
      if (screened.held) return this.transitions.move(manager, proposal, 'held', 'author', actor.id, { audit: false, changes: { moderationNote: null } });
      return this.publishIn(manager, proposal, actor.id, 'author');
    });
  }

  /** Publishes a locked draft or held proposal: dates, the authors' follows, the events. */
  async publishIn(manager: EntityManager, proposal: ProposalEntity, actorId: string | null, by: 'author' | 'moderation' | 'staff'): Promise<ProposalEntity> {
    const settings = await this.participation.settingsFor(proposal.municipalityId, manager);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + settings.supportPeriodDays * DAY_MS);
    await this.transitions.move(manager, proposal, 'published', by, actorId, { changes: { publishedAt: now, expiresAt, moderationNote: null }, audit: by !== 'author' });
    for (const userId of [proposal.authorId, ...(await this.acceptedCoauthorIds(proposal.id, manager))]) {
      if (userId) await this.follows.follow(userId, { type: PROPOSAL_SUBJECT, id: proposal.id }, manager);
    }
    await this.outbox.record(manager, 'proposals.published', { ...eventBase(proposal), expiresAt: expiresAt.toISOString() }, eventMeta(proposal, actorId));
    return proposal;
  }

  /** Its author takes it back, from a draft or any public state, saying why. */
  async withdraw(actor: Actor, id: string, reason: string): Promise<ProposalEntity> {
    return this.tx.run(async (manager) => {
      const proposal = await this.transitions.lock(manager, id);
      await this.assertVisible(actor, proposal, manager);
      if (!isOwner(proposal.authorId, actor.id)) throw new NotAuthorError();
      return this.transitions.move(manager, proposal, 'withdrawn', 'author', actor.id, { reason, changes: { withdrawnReason: reason } });
    });
  }

  /**
   * The author invites someone by e-mail address. Only a verified resident of the proposal's town
   * can be found (identity's PeopleDirectoryService), so an author can probe the town's residents
   * only, never the platform's accounts; not found — no account, another town's, erased — is one
   * 422 UNKNOWN_PERSON on `email`. Every lookup is audited, found or not (without the address, which
   * would outlive an erasure in the trail), and the route is under the per-IP limit of the
   * authentication routes.
   */
  async inviteCoauthorByEmail(actor: Actor, id: string, email: string): Promise<void> {
    const found = await this.tx.run(async (manager) => {
      const proposal = await this.getVisible(actor, id, manager);
      // Authorship first: anyone else learns nothing about the address.
      if (!isOwner(proposal.authorId, actor.id)) throw new NotAuthorError();
      const userId = await this.people.residentIdByEmail(proposal.municipalityId, email, manager);
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: proposal.municipalityId,
        action: 'proposal.coauthor_looked_up',
        targetType: userId ? 'user' : 'proposal',
        targetId: userId ?? proposal.id,
        after: { found: !!userId, proposalId: proposal.id },
      });
      return userId;
    });
    // After the commit, so that a lookup that found nobody stays in the trail.
    if (!found) throw new ValidationError('No such resident', [{ field: 'email', code: 'UNKNOWN_PERSON', message: 'no verified resident of this town has this address' }], 'VALIDATION_FAILED', 'unprocessable');
    await this.inviteCoauthor(actor, id, found, 'email');
  }

  /** The author invites someone to co-sign; they are shown once they accept. `field`: what the caller sent. */
  async inviteCoauthor(actor: Actor, id: string, userId: string, field: 'userId' | 'email' = 'userId'): Promise<void> {
    await this.tx.run(async (manager) => {
      const proposal = await this.transitions.lock(manager, id);
      await this.assertVisible(actor, proposal, manager);
      if (!isOwner(proposal.authorId, actor.id)) throw new NotAuthorError();
      if (proposal.status === 'withdrawn' || proposal.status === 'hidden') throw new ProposalEditLockedError(proposal.supportCount);
      const person = (await this.users.summaries([userId], manager)).get(userId);
      if (!person || person.erased) throw new ValidationError('No such person', [{ field, code: 'UNKNOWN_PERSON', message: 'no account has this id' }], 'VALIDATION_FAILED', 'unprocessable');
      if (userId === proposal.authorId) throw new ValidationError('The author cannot co-sign', [{ field, code: 'AUTHOR_ALREADY_SIGNS', message: 'the author already signs it' }], 'VALIDATION_FAILED', 'unprocessable');
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(ProposalCoauthorEntity)
        .values({ proposalId: id, userId, acceptedAt: null })
        .orIgnore()
        .returning(['user_id'])
        .execute();
      if (inserted.raw.length) await this.outbox.record(manager, 'proposals.coauthor_invited', { ...eventBase(proposal), userId }, eventMeta(proposal, actor.id));
    });
  }

  async acceptInvitation(actor: Actor, id: string): Promise<void> {
    await this.tx.run(async (manager) => {
      const proposal = await this.transitions.lock(manager, id);
      const result = await manager.update(ProposalCoauthorEntity, { proposalId: id, userId: actor.id, acceptedAt: IsNull() }, { acceptedAt: new Date() });
      if (!result.affected) {
        const already = await manager.existsBy(ProposalCoauthorEntity, { proposalId: id, userId: actor.id, acceptedAt: Not(IsNull()) });
        if (!already) throw new NoInvitationError();
      }
      if (isPublicStatus(proposal.status)) await this.follows.follow(actor.id, { type: PROPOSAL_SUBJECT, id }, manager);
    });
  }

  /** The invitee says no: the invitation goes, and nothing is shown (only a pending one can be declined). */
  async declineInvitation(actor: Actor, id: string): Promise<void> {
    const result = await this.tx.manager.delete(ProposalCoauthorEntity, { proposalId: id, userId: actor.id, acceptedAt: IsNull() });
    if (!result.affected) throw new NoInvitationError();
  }

  /** The invitations to co-sign the person has not answered, newest first (withdrawn and hidden proposals left out). */
  async pendingInvitations(actor: Actor): Promise<ProposalView[]> {
    const proposals = await selectEntities(
      this.tx.manager,
      ProposalEntity,
      `id IN (SELECT proposal_id FROM proposal_coauthors WHERE user_id = $1 AND accepted_at IS NULL) AND status NOT IN ('withdrawn', 'hidden') ORDER BY created_at DESC LIMIT 50`,
      [actor.id],
    );
    return this.views(proposals, actor);
  }

  /** The proposal if the viewer may see it, else PROPOSAL_NOT_FOUND (its existence is not given away). */
  async getVisible(viewer: Actor | null, id: string, manager: EntityManager = this.tx.manager): Promise<ProposalEntity> {
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const proposal = UUID.test(id) ? await manager.findOneBy(ProposalEntity, { id }) : null;
    if (!proposal) throw new ProposalNotFoundError();
    await this.assertVisible(viewer, proposal, manager);
    return proposal;
  }

  async view(viewer: Actor | null, id: string): Promise<ProposalView> {
    const proposal = await this.getVisible(viewer, id);
    return (await this.views([proposal], viewer))[0];
  }

  /**
   * Public states (and a withdrawn proposal that was public) for everyone; drafts for their
   * authors and invitees; held and hidden ones for their authors and the town's staff.
   */
  async canSee(viewer: Actor | null, p: ProposalEntity, manager: EntityManager = this.tx.manager): Promise<boolean> {
    if (isPublicStatus(p.status) || (p.status === 'withdrawn' && p.publishedAt)) return true;
    if (!viewer) return false;
    if (isOwner(p.authorId, viewer.id)) return true;
    if (p.status === 'draft' || p.status === 'withdrawn') return manager.existsBy(ProposalCoauthorEntity, { proposalId: p.id, userId: viewer.id });
    return this.access.hasRole(viewer, p.municipalityId, ['staff', 'admin']);
  }

  async assertVisible(viewer: Actor | null, p: ProposalEntity, manager?: EntityManager): Promise<void> {
    if (!(await this.canSee(viewer, p, manager))) throw new ProposalNotFoundError();
  }

  /** Views of many proposals in a few queries (topics, names, co-authors, answers, the viewer's supports). */
  async views(proposals: ProposalEntity[], viewer: Actor | null, manager: EntityManager = this.tx.manager): Promise<ProposalView[]> {
    if (proposals.length === 0) return [];
    const ids = proposals.map((p) => p.id);
    // All at once (prepared, one pooled connection each outside a transaction): the page's reads
    // were five round trips one after the other. Co-authors' names, rare, come after.
    const [topics, coauthors, answers, supported, authorNames] = await concurrentReads(manager, [
      () => selectEntities(manager, ProposalTopicEntity, `id = ANY($1::uuid[])`, [[...new Set(proposals.map((p) => p.topicId))]]),
      () => selectEntities(manager, ProposalCoauthorEntity, `proposal_id = ANY($1::uuid[]) AND accepted_at IS NOT NULL ORDER BY accepted_at`, [ids]),
      () => selectEntities(manager, ProposalAnswerEntity, `proposal_id = ANY($1::uuid[]) AND published_at IS NOT NULL`, [ids]),
      () => (viewer ? selectEntities(manager, ProposalSupportEntity, `proposal_id = ANY($1::uuid[]) AND user_id = $2`, [ids, viewer.id]) : Promise.resolve([])),
      () => this.users.displayNames(proposals.map((p) => p.authorId ?? ''), manager),
    ] as const);
    const names = coauthors.length ? new Map([...authorNames, ...(await this.users.displayNames(coauthors.map((c) => c.userId), manager))]) : authorNames;
    const supportedIds = new Set(supported.map((s) => s.proposalId));
    return proposals.map((p) =>
      toProposalView(p, {
        topic: topics.find((t) => t.id === p.topicId) ?? null,
        names,
        coauthorIds: coauthors.filter((c) => c.proposalId === p.id).map((c) => c.userId),
        answer: answers.find((a) => a.proposalId === p.id) ?? null,
        supportedByMe: supportedIds.has(p.id),
      }),
    );
  }

  /** The author and co-authors who accepted: they cannot support it. */
  async acceptedCoauthorIds(proposalId: string, manager: EntityManager = this.tx.manager): Promise<string[]> {
    const rows = await manager.findBy(ProposalCoauthorEntity, { proposalId, acceptedAt: Not(IsNull()) });
    return rows.map((r) => r.userId);
  }

  /** Checked content: sanitized body, an active topic, a place inside the town and its district. */
  private async contentFields(
    manager: EntityManager,
    municipality: MunicipalityView,
    input: { title: string; body: string; topicId: string; language: 'fr' | 'en'; location?: { lat: number; lng: number }; districtId?: string },
  ): Promise<Pick<ProposalEntity, 'title' | 'body' | 'bodyHtml' | 'topicId' | 'language' | 'lat' | 'lng' | 'districtId'>> {
    const bodyHtml = renderSafeMarkdown(input.body);
    if (!plainText(input.body)) throw emptyAfterSanitizing('body');
    if (!(await this.participation.activeTopic(municipality.id, input.topicId, manager))) throw unknownTopic();
    let districtId: string | null = null;
    if (input.location) {
      const { lat, lng } = input.location;
      if (municipality.boundary && !containsPoint(municipality.boundary, lng, lat)) throw outsideMunicipality();
      districtId = (await this.districts.findContaining(municipality.id, lng, lat, manager))?.id ?? null;
    }
    if (!districtId && input.districtId) {
      const known = await this.districts.requireInMunicipality(municipality.id, input.districtId, manager).then(
        () => true,
        () => false,
      );
      if (!known) throw unknownDistrict();
      districtId = input.districtId;
    }
    return {
      title: input.title,
      body: input.body,
      bodyHtml,
      topicId: input.topicId,
      language: input.language,
      lat: input.location?.lat ?? null,
      lng: input.location?.lng ?? null,
      districtId,
    };
  }
}
