import { ApiProperty, OmitType } from '@nestjs/swagger';
import { ANSWER_STATUSES, AnswerStatus } from '../proposal.entity';
import { PROPOSAL_LANGUAGES, PROPOSAL_STATUSES, ProposalLanguage, ProposalStatus } from '../lifecycle/proposal-lifecycle';
import { ProposalLocationDto } from './proposal.dto';

/**
 * The OpenAPI shapes of the proposals' answers (views/proposal-view.ts and the services' results).
 * Documentation only: the services return their views, these classes describe them so the web
 * app's API types are generated, not written by hand. The controllers declare these as their
 * return types, so a view that stops matching its documented shape fails to compile.
 */
export class ProposalPersonDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  displayName: string;
}

export class ProposalTopicRefDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'mobility' })
  code: string;

  @ApiProperty()
  nameFr: string;

  @ApiProperty()
  nameEn: string;
}

export class ProposalTopicResponseDto extends ProposalTopicRefDto {
  @ApiProperty({ description: 'Inactive topics take no new proposals' })
  active: boolean;
}

export class ProposalTopicListResponseDto {
  @ApiProperty({ type: [ProposalTopicResponseDto] })
  items: ProposalTopicResponseDto[];
}

export class ProposalAnswerResponseDto {
  @ApiProperty({ enum: ANSWER_STATUSES })
  status: AnswerStatus;

  @ApiProperty({ description: 'Markdown as written' })
  body: string;

  @ApiProperty({ description: 'Rendered and sanitized' })
  bodyHtml: string;

  @ApiProperty({ type: Number, nullable: true })
  estimatedCost: number | null;

  @ApiProperty({ type: String, nullable: true })
  timeline: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt: Date | null;
}

export class ProposalResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ description: 'The Markdown as written; never shown as HTML' })
  body: string;

  @ApiProperty({ description: 'Rendered by markdown-it (raw HTML off) and sanitized by sanitize-html' })
  bodyHtml: string;

  @ApiProperty({ enum: PROPOSAL_LANGUAGES })
  language: ProposalLanguage;

  @ApiProperty({ enum: PROPOSAL_STATUSES })
  status: ProposalStatus;

  @ApiProperty({ description: 'Held by pre-moderation: seen by its authors and staff only' })
  awaitingReview: boolean;

  @ApiProperty({ type: String, nullable: true })
  moderationNote: string | null;

  @ApiProperty({ type: ProposalTopicRefDto, nullable: true })
  topic: ProposalTopicRefDto | null;

  @ApiProperty({ type: ProposalLocationDto, nullable: true })
  location: ProposalLocationDto | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  districtId: string | null;

  @ApiProperty({ type: ProposalPersonDto, nullable: true, description: 'null once the author erased their account' })
  author: ProposalPersonDto | null;

  @ApiProperty({ type: [ProposalPersonDto], description: 'Co-authors who accepted' })
  coauthors: ProposalPersonDto[];

  @ApiProperty()
  supportCount: number;

  @ApiProperty()
  commentCount: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  thresholdReachedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answerDueAt: Date | null;

  @ApiProperty({ type: ProposalAnswerResponseDto, nullable: true, description: 'The published official answer' })
  answer: ProposalAnswerResponseDto | null;

  @ApiProperty({ type: String, nullable: true })
  withdrawnReason: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  promotedFromReportId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  fromWorkshopIdeaId: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ description: 'Whether the caller supports it (false for anonymous callers)' })
  supportedByMe: boolean;
}

export class ProposalListResponseDto {
  @ApiProperty({ type: [ProposalResponseDto] })
  items: ProposalResponseDto[];
}

export class ProposalPageResponseDto extends ProposalListResponseDto {
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The seed of a `random` list: send it back with the cursor' })
  seed: string | null;
}

export class ProposalPointDto {
  @ApiProperty({ enum: ['Point'] })
  type: 'Point';

  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2, description: '[lng, lat]' })
  coordinates: [number, number];
}

export class ProposalFeaturePropertiesDto extends OmitType(ProposalResponseDto, ['location'] as const) {}

export class ProposalFeatureDto {
  @ApiProperty({ enum: ['Feature'] })
  type: 'Feature';

  @ApiProperty({ type: ProposalPointDto })
  geometry: ProposalPointDto;

  @ApiProperty({ type: ProposalFeaturePropertiesDto })
  properties: ProposalFeaturePropertiesDto;
}

export class ProposalFeatureCollectionDto {
  @ApiProperty({ enum: ['FeatureCollection'] })
  type: 'FeatureCollection';

  @ApiProperty({ type: [ProposalFeatureDto] })
  features: ProposalFeatureDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty({ type: String, nullable: true })
  seed: string | null;
}

export class SupportResultResponseDto {
  @ApiProperty({ format: 'uuid' })
  proposalId: string;

  @ApiProperty()
  supportCount: number;

  @ApiProperty({ enum: PROPOSAL_STATUSES, description: 'threshold_reached when this support reached it' })
  status: ProposalStatus;

  @ApiProperty()
  supportedByMe: boolean;
}

export class ParticipationSettingsResponseDto {
  @ApiProperty()
  residencyRequired: boolean;

  @ApiProperty()
  supportThreshold: number;

  @ApiProperty()
  supportPeriodDays: number;

  @ApiProperty()
  answerDeadlineDays: number;
}

export class AnswerPublishFailureDto {
  @ApiProperty({ format: 'uuid' })
  proposalId: string;

  @ApiProperty({ example: 'PROPOSAL_NO_ANSWER' })
  code: string;

  @ApiProperty()
  message: string;
}

export class BulkPublishResponseDto {
  @ApiProperty({ type: [String], description: 'The proposals whose answer is now public' })
  published: string[];

  @ApiProperty({ type: [AnswerPublishFailureDto] })
  failed: AnswerPublishFailureDto[];
}
