import { Injectable } from '@nestjs/common';
import { Page, TransactionService, UnauthenticatedError } from '@app/common';
import { AccessService, Actor, MunicipalitiesService, UsersService } from '@app/identity';
import { MODERATOR_ROLES } from './moderator-roles';
import { cursorAtSql, decodeTimeCursor, encodeTimeCursor, PageRequest, pageSize } from '../keyset';
import { SubjectRegistry } from '../subjects/subject-registry';
import { ModerationItemView, ModerationService } from './moderation.service';
import { ModerationItemEntity, ModerationKind, ModerationReason, ModerationStatus } from './moderation.entities';

export interface ModerationQueueQuery extends PageRequest {
  /** Default pending: what waits for a decision. */
  status?: ModerationStatus;
  kind?: ModerationKind;
  reason?: ModerationReason;
}

export interface QueuedModerationItemView extends ModerationItemView {
  /** Who wrote it, by display name (staff see who); null once erased. */
  author: { id: string; displayName: string } | null;
  /** What the content says, from its library (a comment's text, a proposal's title); null if it gives none. */
  preview: string | null;
  /** Flags still open on the subject. */
  openFlags: number;
}

interface QueueRow {
  id: string;
  cursor_at: string;
  open_flags: number;
}

/** The staff's moderation queue of a town: held and flagged content of every subject type, oldest first. */
@Injectable()
export class ModerationQueueService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly users: UsersService,
    private readonly registry: SubjectRegistry,
    private readonly moderation: ModerationService,
  ) {}

  /** Keyset on (created_at, id); each filter combination is served by one of the items' indexes. */
  async queue(actor: Actor | undefined, slug: string, query: ModerationQueueQuery = {}): Promise<Page<QueuedModerationItemView>> {
    if (!actor) throw new UnauthenticatedError();
    const limit = pageSize(query.limit);
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, MODERATOR_ROLES);
    const params: unknown[] = [municipality.id, query.status ?? 'pending'];
    const where = ['i.municipality_id = $1', 'i.status = $2'];
    if (query.kind) {
      params.push(query.kind);
      where.push(`i.kind = $${params.length}`);
    }
    if (query.reason) {
      params.push(query.reason);
      where.push(`i.reason = $${params.length}`);
    }
    if (query.cursor) {
      const key = decodeTimeCursor(query.cursor);
      params.push(key.at, key.id);
      where.push(`(i.created_at, i.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: QueueRow[] = await this.tx.manager.query(
      `SELECT i.id, ${cursorAtSql('i.created_at')} AS cursor_at,
              (SELECT count(*)::int FROM flags f WHERE f.subject_type = i.subject_type AND f.subject_id = i.subject_id AND f.status = 'open') AS open_flags
       FROM moderation_items i WHERE ${where.join(' AND ')}
       ORDER BY i.created_at, i.id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const entities = new Map(
      (page.length ? await this.tx.manager.findBy(ModerationItemEntity, page.map((r) => ({ id: r.id }))) : []).map((e) => [e.id, e]),
    );
    const items = page.map((r) => entities.get(r.id)!);
    const [authors, previews] = [await this.users.summaries(items.flatMap((i) => (i.authorId ? [i.authorId] : []))), await this.previews(items)];
    const last = page[page.length - 1];
    return {
      items: page.map((r) => {
        const item = entities.get(r.id)!;
        const author = item.authorId ? authors.get(item.authorId) : undefined;
        return {
          ...this.moderation.toView(item),
          author: author && !author.erased ? { id: author.id, displayName: author.displayName } : null,
          preview: previews.get(`${item.subjectType}:${item.subjectId}`) ?? null,
          openFlags: r.open_flags,
        };
      }),
      nextCursor: rows.length > limit ? encodeTimeCursor({ at: last.cursor_at, id: last.id }) : null,
    };
  }

  /** One call per subject type on the page, through its provider. */
  private async previews(items: ModerationItemEntity[]): Promise<Map<string, string>> {
    const byType = new Map<string, string[]>();
    for (const i of items) byType.set(i.subjectType, [...(byType.get(i.subjectType) ?? []), i.subjectId]);
    const out = new Map<string, string>();
    for (const [type, ids] of byType) {
      const provider = this.registry.providerOf(type);
      if (!provider?.moderationPreviews) continue;
      for (const [id, text] of await provider.moderationPreviews(ids, this.tx.manager)) out.set(`${type}:${id}`, text);
    }
    return out;
  }
}
