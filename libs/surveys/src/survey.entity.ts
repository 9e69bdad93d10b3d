import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Answers, Question } from './questions';

/** Who may answer: the active members of a panel, or the verified residents of the town (optionally of one district). */
export type SurveyAudience = { kind: 'panel'; panelId: string } | { kind: 'residents'; districtId: string | null };

/** A questionnaire of a municipality, open between two dates. */
@Entity('surveys')
@Index('surveys_municipality_keyset', ['municipalityId', 'createdAt', 'id'])
export class SurveyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'jsonb' })
  questions: Question[];

  @Column({ type: 'jsonb' })
  audience: SurveyAudience;

  /** Decided at creation, shown to respondents before they answer, never changed afterwards. */
  @Column({ type: 'boolean' })
  anonymous: boolean;

  /** Results readable by anyone once the survey has closed (staff read them at any time). */
  @Column({ type: 'boolean', default: false })
  resultsPublic: boolean;

  @Column({ type: 'timestamptz' })
  opensAt: Date;

  @Column({ type: 'timestamptz' })
  closesAt: Date;

  /** Remind targeted people who have not submitted this many days before the close; null: no reminder. */
  @Column({ type: 'int', nullable: true })
  reminderDaysBefore: number | null;

  /** When it closed (at closesAt by the scheduled job, or earlier by staff): anonymous answers are released then. */
  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Who took part, and whether they submitted — never what. No timestamp, no response reference. */
@Entity('survey_participations')
@Index('survey_participations_submitted_idx', ['surveyId', 'submitted'])
@Index('survey_participations_user_idx', ['userId'])
export class SurveyParticipationEntity {
  @PrimaryColumn({ type: 'uuid' })
  surveyId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'boolean', default: false })
  submitted: boolean;
}

/** An identified survey's response, editable until the close. `userId` is null once its author erased their account. */
@Entity('survey_responses')
@Index('survey_responses_person_key', ['surveyId', 'userId'], { unique: true })
@Index('survey_responses_user_idx', ['userId'])
export class SurveyResponseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  surveyId: string;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'jsonb' })
  answers: Answers;

  /** The respondent's panel feature values when they answered (cross-tabs, weighting). */
  @Column({ type: 'jsonb', nullable: true })
  features: Record<string, string> | null;

  @Column({ type: 'boolean', default: false })
  submitted: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** What an anonymous survey's sealed row holds. */
export interface SealedSurveyResponse {
  answers: Answers;
  features: Record<string, string> | null;
  submitted: boolean;
}

/**
 * An anonymous survey's response while it is open: AES-256-GCM ciphertext bound to the survey,
 * found again by a keyed hash of the respondent's id (SecretSeal), so its owner can come back and
 * edit it; no user, no time. Emptied into survey_anonymous_responses, shuffled, at the close.
 */
@Entity('survey_sealed_responses')
export class SurveySealedResponseEntity {
  @PrimaryColumn({ type: 'uuid' })
  surveyId: string;

  @PrimaryColumn({ type: 'text' })
  respondentLookup: string;

  @Column({ type: 'text' })
  sealed: string;
}

/** An anonymous survey's submitted responses after the close: random ids, no user, no time, written all at once in random order. */
@Entity('survey_anonymous_responses')
@Index('survey_anonymous_responses_survey_idx', ['surveyId'])
export class SurveyAnonymousResponseEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  surveyId: string;

  @Column({ type: 'jsonb' })
  answers: Answers;

  @Column({ type: 'jsonb', nullable: true })
  features: Record<string, string> | null;
}

export const SURVEY_ENTITIES = [SurveyEntity, SurveyParticipationEntity, SurveyResponseEntity, SurveySealedResponseEntity, SurveyAnonymousResponseEntity];
