import type { Schemas } from '../../api/client';
import type { Locale } from '../../i18n';

/** The proposals API's answers, generated from its OpenAPI document (libs/proposals' response DTOs). */
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

export type ProposalTopic = Schemas['ProposalTopicResponseDto'];
export type Proposal = Schemas['ProposalResponseDto'];
export type ProposalPage = Schemas['ProposalPageResponseDto'];
/** `GET …/proposals/geojson`: the located ones, each feature's properties the proposal without its location. */
export type ProposalFeatures = Schemas['ProposalFeatureCollectionDto'];
export type SupportResult = Schemas['SupportResultResponseDto'];

export const topicName = (topic: Pick<ProposalTopic, 'nameFr' | 'nameEn'>, locale: Locale): string => (locale === 'en' ? topic.nameEn : topic.nameFr);

/** Its authors may change the text of a draft, and of a published one until its first support (else 409 PROPOSAL_EDIT_LOCKED). */
export const editable = (p: Proposal): boolean => p.status === 'draft' || (p.status === 'published' && p.supportCount === 0);

/** Withdrawing: from a draft or any public state (the API lists the legal moves). */
export const withdrawable = (p: Proposal): boolean => p.status !== 'withdrawn' && p.status !== 'hidden';

/** Supports are taken while a proposal is published (and after the threshold, until it expires). */
export const takesSupports = (p: Proposal): boolean => p.status === 'published' || p.status === 'threshold_reached';

const PUBLIC_STATUSES: readonly ProposalStatus[] = ['published', 'threshold_reached', 'expired', 'evaluating', 'accepted', 'rejected', 'implemented'];

/** Seen by everyone (so are its files): a public state, or withdrawn after it was public (libs/proposals canSee). */
export const isPublic = (p: Pick<Proposal, 'status' | 'publishedAt'>): boolean => PUBLIC_STATUSES.includes(p.status) || (p.status === 'withdrawn' && !!p.publishedAt);
