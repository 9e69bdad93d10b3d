import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Page, TransactionService } from '@app/common';
import { Locale, UsersService } from '@app/identity';
import { NotificationNotFoundError } from '../notifications.errors';
import { CreatedNotificationRange } from '../notifications.events';
import { NotificationRuleRegistry } from '../rules/notification-rule.registry';
import { cursorAtSql, decodeTimeCursor, DEFAULT_PAGE_SIZE, encodeTimeCursor } from './keyset';

export interface NotificationView {
  id: string;
  type: string;
  municipalityId: string | null;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
  /** In the recipient's language. */
  title: string;
  body: string;
  /** Absolute link to what it is about. */
  url: string;
  readAt: Date | null;
  createdAt: Date;
}

export interface InboxPage extends Page<NotificationView> {
  unreadCount: number;
}

export interface InboxQuery {
  cursor?: string;
  limit?: number;
  unread?: boolean;
}

interface NotificationRow {
  id: string;
  type: string;
  municipality_id: string | null;
  subject_type: string;
  subject_id: string;
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
  cursor_at: string;
}

const COLUMNS = `id, type, municipality_id, subject_type, subject_id, data, read_at, created_at, ${cursorAtSql('created_at')} AS cursor_at`;

/** The in-app inbox: newest first, with the unread count, read one by one or all at once. */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly rules: NotificationRuleRegistry,
    private readonly users: UsersService,
  ) {}

  async list(userId: string, query: InboxQuery = {}): Promise<InboxPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [userId];
    // Written out so each variant matches its partial index (inbox or unread).
    let where = `user_id = $1 AND in_app`;
    if (query.unread) where += ` AND read_at IS NULL`;
    if (query.cursor) {
      const key = decodeTimeCursor(query.cursor);
      params.push(key.at, key.id);
      where += ` AND (created_at, id) < ($2::timestamptz, $3::uuid)`;
    }
    params.push(limit + 1);
    const rows: NotificationRow[] = await this.tx.manager.query(
      `SELECT ${COLUMNS} FROM notifications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const locale = await this.localeOf(userId);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((row) => this.toView(row, locale)),
      nextCursor: rows.length > limit ? encodeTimeCursor({ at: last.cursor_at, id: last.id }) : null,
      unreadCount: await this.unreadCount(userId),
    };
  }

  async unreadCount(userId: string): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await this.tx.manager.query(
      `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND in_app AND read_at IS NULL`,
      [userId],
    );
    return n;
  }

  /** One notification of the person's, as the inbox shows it (the realtime layer sends this). */
  async view(userId: string, id: string): Promise<NotificationView> {
    const rows: NotificationRow[] = await this.tx.manager.query(`SELECT ${COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2 AND in_app`, [
      id,
      userId,
    ]);
    if (rows.length === 0) throw new NotificationNotFoundError();
    return this.toView(rows[0], await this.localeOf(userId));
  }

  /**
   * Several notifications as their recipients' inboxes show them (two queries whatever the
   * count), for the live channel; missing ones (erased since, or not in-app) are left out.
   */
  async views(ids: readonly string[]): Promise<Array<{ userId: string; view: NotificationView }>> {
    if (ids.length === 0) return [];
    const rows: Array<NotificationRow & { user_id: string; locale: Locale | null }> = await this.tx.manager.query(
      `SELECT user_id, ${COLUMNS}, ${this.users.localeSql('user_id')} AS locale FROM notifications WHERE id = ANY($1::uuid[]) AND in_app ORDER BY created_at, id`,
      [ids],
    );
    return this.inTheirLanguage(rows);
  }

  /**
   * The next `limit` in-app notifications of an announcement's page (`notification.created`'s
   * range) after the person `after`, in person order — a walk of the notifications' source key
   * — so the live channel reads a page of any size back a bounded chunk at a time.
   */
  async viewsInRange(sourceEventId: string, range: CreatedNotificationRange, after: string | null, limit: number): Promise<Array<{ userId: string; view: NotificationView }>> {
    const rows: Array<NotificationRow & { user_id: string; locale: Locale | null }> = await this.tx.manager.query(
      `SELECT user_id, ${COLUMNS}, ${this.users.localeSql('user_id')} AS locale FROM notifications
        WHERE source_event_id = $1 AND ($2::uuid IS NULL OR user_id > $2::uuid) AND user_id <= $3::uuid AND type = $4 AND in_app
        ORDER BY user_id LIMIT $5`,
      [sourceEventId, after, range.lastUserId, range.type, limit],
    );
    return this.inTheirLanguage(rows);
  }

  /** Each row's view in its recipient's language, read by the same statement (no round trip of its own). */
  private inTheirLanguage(rows: Array<NotificationRow & { user_id: string; locale: Locale | null }>): Array<{ userId: string; view: NotificationView }> {
    return rows.map((row) => ({ userId: row.user_id, view: this.toView(row, row.locale ?? 'fr') }));
  }

  /** Idempotent: reading a read notification keeps its first read time. */
  async markRead(userId: string, id: string): Promise<NotificationView> {
    const [rows]: [NotificationRow[], number] = await this.tx.manager.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 AND in_app RETURNING ${COLUMNS}`,
      [id, userId],
    );
    if (rows.length === 0) throw new NotificationNotFoundError();
    return this.toView(rows[0], await this.localeOf(userId));
  }

  /** Returns how many were unread. */
  async markAllRead(userId: string): Promise<number> {
    const [, affected]: [unknown, number] = await this.tx.manager.query(
      `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND in_app AND read_at IS NULL`,
      [userId],
    );
    return affected;
  }

  private async localeOf(userId: string): Promise<Locale> {
    return (await this.users.summaries([userId])).get(userId)?.locale ?? 'fr';
  }

  private toView(row: NotificationRow, locale: Locale): NotificationView {
    const rule = this.rules.ruleForType(row.type);
    // A type whose library is gone still lists, with its raw type as text.
    const text = rule?.handler.render({ type: row.type, subjectType: row.subject_type, subjectId: row.subject_id, data: row.data }, locale) ?? {
      title: row.type,
      body: '',
      path: '/',
    };
    return {
      id: row.id,
      type: row.type,
      municipalityId: row.municipality_id,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      data: row.data,
      title: text.title,
      body: text.body,
      url: `${this.config.publicUrl}${text.path}`,
      readAt: row.read_at,
      createdAt: row.created_at,
    };
  }
}
