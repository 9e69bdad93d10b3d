import type { AnswerStatus, ProposalAnswerEntity, ProposalEntity, ProposalTopicEntity } from '../proposal.entity';
import type { ProposalLanguage, ProposalStatus } from '../lifecycle/proposal-lifecycle';

export interface PersonRef {
  id: string;
  displayName: string;
}

export interface ProposalAnswerView {
  status: AnswerStatus;
  body: string;
  bodyHtml: string;
  estimatedCost: number | null;
  timeline: string | null;
  publishedAt: Date | null;
}

/** A proposal as the public (and its authors) see it; live payloads are this view too. */
export interface ProposalView {
  id: string;
  municipalityId: string;
  title: string;
  body: string;
  bodyHtml: string;
  language: ProposalLanguage;
  status: ProposalStatus;
  /** Held by pre-moderation: only its authors and staff see it, as "awaiting review". */
  awaitingReview: boolean;
  moderationNote: string | null;
  topic: { id: string; code: string; nameFr: string; nameEn: string } | null;
  location: { lat: number; lng: number } | null;
  districtId: string | null;
  author: PersonRef | null;
  coauthors: PersonRef[];
  supportCount: number;
  commentCount: number;
  publishedAt: Date | null;
  expiresAt: Date | null;
  thresholdReachedAt: Date | null;
  answerDueAt: Date | null;
  answer: ProposalAnswerView | null;
  withdrawnReason: string | null;
  promotedFromReportId: string | null;
  /** The workshop board note it came from, with its author's consent. */
  fromWorkshopIdeaId: string | null;
  createdAt: Date;
  /** Whether the caller supports it (false for anonymous callers). */
  supportedByMe: boolean;
}

export function toAnswerView(a: ProposalAnswerEntity): ProposalAnswerView {
  return {
    status: a.status,
    body: a.body,
    bodyHtml: a.bodyHtml,
    estimatedCost: a.estimatedCost === null ? null : Number(a.estimatedCost),
    timeline: a.timeline,
    publishedAt: a.publishedAt,
  };
}

export interface ViewExtras {
  topic: ProposalTopicEntity | null;
  names: Map<string, string>;
  coauthorIds: string[];
  answer: ProposalAnswerEntity | null;
  supportedByMe: boolean;
}

export function toProposalView(p: ProposalEntity, x: ViewExtras): ProposalView {
  const person = (id: string | null): PersonRef | null => (id ? { id, displayName: x.names.get(id) ?? 'Deleted user' } : null);
  return {
    id: p.id,
    municipalityId: p.municipalityId,
    title: p.title,
    body: p.body,
    bodyHtml: p.bodyHtml,
    language: p.language,
    status: p.status,
    awaitingReview: p.status === 'held',
    moderationNote: p.moderationNote,
    topic: x.topic ? { id: x.topic.id, code: x.topic.code, nameFr: x.topic.nameFr, nameEn: x.topic.nameEn } : null,
    location: p.lat !== null && p.lng !== null ? { lat: p.lat, lng: p.lng } : null,
    districtId: p.districtId,
    author: person(p.authorId),
    coauthors: x.coauthorIds.map((id) => person(id)!),
    supportCount: p.supportCount,
    commentCount: p.commentCount,
    publishedAt: p.publishedAt,
    expiresAt: p.expiresAt,
    thresholdReachedAt: p.thresholdReachedAt,
    answerDueAt: p.answerDueAt,
    answer: x.answer?.publishedAt ? toAnswerView(x.answer) : null,
    withdrawnReason: p.withdrawnReason,
    promotedFromReportId: p.promotedFromReportId,
    fromWorkshopIdeaId: p.fromWorkshopIdeaId,
    createdAt: p.createdAt,
    supportedByMe: x.supportedByMe,
  };
}
