import TestAgent from 'supertest/lib/agent';
import { Session } from '../utils/sessions';

/** Request helpers shared by the moderation suites (a town's rules, comments, its queue). */
export interface QueueItem {
  id: string;
  subjectType: string;
  collection: string | null;
  subjectId: string;
  authorId: string | null;
  author: { id: string; displayName: string } | null;
  kind: 'held' | 'flagged';
  reason: string;
  matchedWords: string[];
  status: string;
  decisionReason: string | null;
  decidedById: string | null;
  preview: string | null;
  openFlags: number;
}

export interface ListedComment {
  id: string;
  body: string | null;
  status: string;
  awaitingReview: boolean;
}

export function moderationHelpers(http: TestAgent) {
  const setRules = async (admin: Session, slug: string, rules: Record<string, unknown>) => {
    const res = await admin.auth(http.patch(`/api/v1/municipalities/${slug}/moderation/settings`)).send(rules);
    if (res.status !== 200) throw new Error(`moderation settings answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  };
  const comment = async (author: Session, reportId: string, body: string) => {
    const res = await author.auth(http.post(`/api/v1/reports/${reportId}/comments`)).send({ body });
    if (res.status !== 201) throw new Error(`comment answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as ListedComment;
  };
  /** The thread as `viewer` (undefined: anonymous) reads it. */
  const thread = async (reportId: string, viewer?: Session): Promise<ListedComment[]> => {
    const req = http.get(`/api/v1/reports/${reportId}/comments?limit=100`);
    const res = await (viewer ? viewer.auth(req) : req);
    if (res.status !== 200) throw new Error(`thread answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.items as ListedComment[];
  };
  const queue = async (staff: Session, slug: string, query: Record<string, string | number> = {}): Promise<QueueItem[]> => {
    const res = await staff.auth(http.get(`/api/v1/municipalities/${slug}/moderation/queue`).query({ limit: 100, ...query }));
    if (res.status !== 200) throw new Error(`queue answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.items as QueueItem[];
  };
  const itemFor = async (staff: Session, slug: string, subjectId: string, query: Record<string, string> = {}): Promise<QueueItem | undefined> =>
    (await queue(staff, slug, query)).find((i) => i.subjectId === subjectId);
  const decide = (who: Session, slug: string, itemId: string, decision: 'approve' | 'reject' | 'unhide', body: Record<string, unknown> = {}) =>
    who.auth(http.post(`/api/v1/municipalities/${slug}/moderation/items/${itemId}/${decision}`)).send(body);
  return { setRules, comment, thread, queue, itemFor, decide };
}
