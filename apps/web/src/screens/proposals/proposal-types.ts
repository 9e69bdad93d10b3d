import type { Locale } from '../../i18n';

/**
 * The proposals API's answers as these screens read them. The proposals routes do not declare
 * response schemas in the OpenAPI document yet, so these are written by hand from libs/proposals
 * (ProposalView in views/proposal-view.ts, TopicView, SupportResult).
 */
export const PROPOSAL_STATUSES = [
  'draft',
  'held',
  'published',
  'threshold_reached',
  'expired',
  'evaluating',
  'accepted',
  'rejected',
  'implemented',
  'withdrawn',
  'hidden',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const PROPOSAL_SORTS = ['newest', 'most_supported', 'most_commented', 'random'] as const;
export type ProposalSort = (typeof PROPOSAL_SORTS)[number];

export interface ProposalTopic {
  id: string;
  code: string;
  nameFr: string;
  nameEn: string;
  active?: boolean;
}

export interface Proposal {
  id: string;
  municipalityId: string;
  title: string;
  /** The Markdown as written; never shown as HTML. */
  body: string;
  /** Rendered by markdown-it (raw HTML off) and sanitized by sanitize-html on the server. */
  bodyHtml: string;
  status: ProposalStatus;
  awaitingReview: boolean;
  moderationNote: string | null;
  topic: ProposalTopic | null;
  location: { lat: number; lng: number } | null;
  districtId: string | null;
  author: { id: string; displayName: string } | null;
  coauthors: Array<{ id: string; displayName: string }>;
  supportCount: number;
  commentCount: number;
  publishedAt: string | null;
  expiresAt: string | null;
  answer: { status: string; bodyHtml: string } | null;
  withdrawnReason: string | null;
  createdAt: string;
  supportedByMe: boolean;
}

export interface ProposalPage {
  items: Proposal[];
  nextCursor: string | null;
  seed: string | null;
}

/** `GET …/proposals/geojson`: the located ones, each feature's properties the proposal without its location. */
export interface ProposalFeatures {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: Omit<Proposal, 'location'> }>;
}

export interface SupportResult {
  proposalId: string;
  supportCount: number;
  status: ProposalStatus;
  supportedByMe: boolean;
}

export const topicName = (topic: ProposalTopic, locale: Locale): string => (locale === 'en' ? topic.nameEn : topic.nameFr);

/** Its authors may change the text of a draft, and of a published one until its first support (else 409 PROPOSAL_EDIT_LOCKED). */
export const editable = (p: Proposal): boolean => p.status === 'draft' || (p.status === 'published' && p.supportCount === 0);

/** Withdrawing: from a draft or any public state (the API lists the legal moves). */
export const withdrawable = (p: Proposal): boolean => p.status !== 'withdrawn' && p.status !== 'hidden';

/** Supports are taken while a proposal is published (and after the threshold, until it expires). */
export const takesSupports = (p: Proposal): boolean => p.status === 'published' || p.status === 'threshold_reached';
