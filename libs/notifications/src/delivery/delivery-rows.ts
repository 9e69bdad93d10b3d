import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TransactionService } from '@app/common';
import { Locale, SummaryColumns, UserSummary, UsersService } from '@app/identity';
import { NotificationContent } from '../rules/notification-rule';
import { DeliveryStatus, QueuedChannel } from '../notification.types';

/** Most deliveries claimed by one statement (a worker runs NOTIFICATION_CONCURRENCY at once). */
const MAX_CLAIMS_PER_STATEMENT = 500;
/** Claim/mark statements one worker runs at once. */
const STATEMENTS_IN_FLIGHT = 2;

export interface LoadedNotification extends NotificationContent {
  id: string;
  municipalityId: string | null;
  createdAt: Date;
  /** The person's switch for this type and channel now (null: never changed, so on). */
  enabled: boolean | null;
}

/** A recipient without an account (ContactNotificationDraft): e-mail only. */
export interface DeliveryContact {
  email: string;
  name: string | null;
  locale: Locale;
}

export interface ClaimedDelivery {
  id: string;
  /** Null for a contact without an account (then `contact` is set). */
  userId: string | null;
  contact: DeliveryContact | null;
  channel: QueuedChannel;
  /** Null when the notification is gone (its owner's account was erased). */
  notification: LoadedNotification | null;
  /** Where its retry window starts: the notification's creation, or an admin's last retry. */
  retryFrom: Date;
  /** The recipient now; read only for a notification still wanted (null otherwise, or unknown). */
  person: UserSummary | null;
}

/** What a claim found: the delivery, now ours — or why not (its status; null: no such delivery). */
export type ClaimResult = { claimed: ClaimedDelivery } | { claimed: null; status: DeliveryStatus | null };

/** Where a claimed delivery ends: sent or skipped, or back to pending / failed after an error. */
export interface DeliveryMark {
  status: DeliveryStatus;
  /** Why it was skipped, or the error. */
  note: string | null;
}

interface ResultRow {
  id: string;
  claimed: boolean;
  status: DeliveryStatus;
  notification_id: string;
  user_id: string | null;
  channel: QueuedChannel;
  contact_email: string | null;
  contact_name: string | null;
  contact_locale: Locale | null;
  type: string | null;
  subject_type: string | null;
  subject_id: string | null;
  data: Record<string, unknown> | null;
  municipality_id: string | null;
  created_at: Date | null;
  enabled: boolean | null;
  retry_from: Date | null;
  /** The recipient, read by the claim itself; null when not claimed, a contact, or no such account. */
  person: SummaryColumns | null;
}

interface Waiting<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * The delivery rows' claims and marks, for every delivery a worker is sending at once, in one
 * statement. Each claim and each mark is still its own row-level step — a delivery is claimed
 * ('sending', attempts + 1) only if pending or abandoned, and marked only while 'sending' — but
 * the deliveries the worker's concurrent jobs ask for in the same turn of the event loop (and
 * while statements are running) travel together: marks of the sends that just finished and
 * claims of the jobs that just started, as one writable-CTE statement. That is what a delivery
 * costs PostgreSQL: a statement per batch instead of three per mail. A caller waits for its own
 * row's answer, so a job completes only once its mark is stored, as before.
 *
 * The recipients of the claimed deliveries are read by the same statement (identity's
 * `UsersService.summarySql`): a separate read per batch was one more statement for every ~3
 * deliveries (4,111 of the benchmark's ~22,000 statements for 10,000 notifications).
 */
@Injectable()
export class DeliveryRows {
  private claims = new Map<string, Array<Waiting<ClaimResult>>>();
  private marks = new Map<string, { mark: DeliveryMark; waiting: Array<Waiting<void>> }>();
  private scheduled = false;
  private inFlight = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly users: UsersService,
  ) {}

  /** How old a 'sending' claim must be before another sender may take it over. */
  get staleClaimMs(): number {
    return this.config.notifications.sendTimeoutMs + this.config.queueLockMs;
  }

  claim(deliveryId: string): Promise<ClaimResult> {
    return new Promise((resolve, reject) => {
      const waiting = this.claims.get(deliveryId);
      if (waiting) waiting.push({ resolve, reject });
      else this.claims.set(deliveryId, [{ resolve, reject }]);
      this.schedule();
    });
  }

  /** Ends a claim: changes the row only while it is still 'sending'. */
  mark(deliveryId: string, mark: DeliveryMark): Promise<void> {
    return new Promise((resolve, reject) => {
      const pending = this.marks.get(deliveryId);
      // Two marks of one row in a batch: the last one wins, as two statements in a row would.
      if (pending) {
        pending.mark = mark;
        pending.waiting.push({ resolve, reject });
      } else this.marks.set(deliveryId, { mark, waiting: [{ resolve, reject }] });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /**
   * Starts statements for what waits, at most STATEMENTS_IN_FLIGHT at once: what arrives while
   * they run makes the next one's batch. Two rather than one, so a mark — the step between "the
   * SMTP server took it" and "it is recorded as sent", where a crash means a second mail — never
   * waits behind more than one statement.
   */
  private pump(): void {
    while (this.inFlight < STATEMENTS_IN_FLIGHT && (this.claims.size > 0 || this.marks.size > 0)) {
      const marks = this.marks;
      this.marks = new Map();
      // A row is never both marked and claimed in one statement (PostgreSQL would apply only
      // one of the two updates): such a claim waits for the next statement (across statements,
      // row locks order the two).
      const claims = new Map<string, Array<Waiting<ClaimResult>>>();
      for (const [id, waiting] of this.claims) {
        if (claims.size >= MAX_CLAIMS_PER_STATEMENT) break;
        if (marks.has(id)) continue;
        claims.set(id, waiting);
        this.claims.delete(id);
      }
      this.inFlight++;
      void this.run(claims, marks).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(claims: Map<string, Array<Waiting<ClaimResult>>>, marks: Map<string, { mark: DeliveryMark; waiting: Array<Waiting<void>> }>): Promise<void> {
    let rows: ResultRow[];
    try {
      rows = await this.statement([...claims.keys()], marks);
    } catch (error) {
      for (const waiting of claims.values()) for (const w of waiting) w.reject(error);
      for (const { waiting } of marks.values()) for (const w of waiting) w.reject(error);
      return;
    }
    for (const { waiting } of marks.values()) for (const w of waiting) w.resolve();
    if (claims.size === 0) return;

    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [id, waiting] of claims) {
      const row = byId.get(id);
      const [first, ...others] = waiting;
      if (row?.claimed) {
        first.resolve({ claimed: toClaimed(row, this.recipient(row)) });
        // The same delivery asked twice at once: the first job has it, the other finds it busy.
        for (const w of others) w.resolve({ claimed: null, status: 'sending' });
      } else {
        for (const w of waiting) w.resolve({ claimed: null, status: row?.status ?? null });
      }
    }
  }

  /** Who to send to: only for what is still wanted (a notification there, the channel not switched off, a person). */
  private recipient(row: ResultRow): UserSummary | null {
    if (row.type === null || row.enabled === false || row.user_id === null) return null;
    return this.users.summaryFromSql(row.user_id, row.person);
  }

  private statement(claimIds: string[], marks: Map<string, { mark: DeliveryMark }>): Promise<ResultRow[]> {
    const markIds = [...marks.keys()];
    const markList = [...marks.values()].map((m) => m.mark);
    return this.tx.manager.query(
      `WITH m AS (
         UPDATE notification_deliveries d
            SET status = x.status, sent_at = CASE WHEN x.status = 'sent' THEN now() END, last_error = x.note, updated_at = now()
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, status, note)
          WHERE d.id = x.id AND d.status = 'sending'
          RETURNING d.id),
       c AS (
         UPDATE notification_deliveries
            SET status = 'sending', attempts = attempts + 1, claimed_at = now(), updated_at = now()
          WHERE id = ANY($4::uuid[]) AND digest_at IS NULL
            AND (status = 'pending' OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $5::double precision / 1000)))
          RETURNING id, notification_id, user_id, channel, COALESCE(retry_from, created_at) AS retry_from)
       SELECT c.id, true AS claimed, 'sending' AS status, c.notification_id, c.user_id, c.channel,
              n.type, n.subject_type, n.subject_id, n.data, n.municipality_id, n.created_at, c.retry_from, n.contact_email, n.contact_name, n.contact_locale,
              (SELECT p.enabled FROM notification_preferences p WHERE p.user_id = c.user_id AND p.type = n.type AND p.channel = c.channel) AS enabled,
              ${this.users.summarySql('c.user_id')} AS person
         FROM c LEFT JOIN notifications n ON n.id = c.notification_id
       UNION ALL
       -- Not claimed: why (as it stood when this statement began).
       SELECT d.id, false, d.status, d.notification_id, d.user_id, d.channel, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
         FROM notification_deliveries d
        WHERE d.id = ANY($4::uuid[]) AND d.id NOT IN (SELECT id FROM c)`,
      [markIds, markList.map((m) => m.status), markList.map((m) => m.note), claimIds, this.staleClaimMs],
    );
  }
}

function toClaimed(row: ResultRow, person: UserSummary | null): ClaimedDelivery {
  return {
    id: row.id,
    userId: row.user_id,
    contact: row.contact_email ? { email: row.contact_email, name: row.contact_name, locale: row.contact_locale ?? 'fr' } : null,
    channel: row.channel,
    retryFrom: row.retry_from ?? new Date(0),
    notification:
      row.type === null
        ? null
        : {
            id: row.notification_id,
            type: row.type,
            subjectType: row.subject_type!,
            subjectId: row.subject_id!,
            data: row.data ?? {},
            municipalityId: row.municipality_id,
            createdAt: row.created_at!,
            enabled: row.enabled,
          },
    person,
  };
}
