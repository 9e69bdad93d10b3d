import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QUESTION_TYPES, QuestionType, SCALES, ScaleKind } from '../questions';

/**
 * The surveys API's answers as the OpenAPI document declares them, so the web app is typed from
 * the document and a changed answer breaks its build. The controllers return these types.
 */
export class QuestionOptionResponseDto {
  @ApiProperty()
  code: string;

  @ApiProperty()
  label: string;
}

export class DisplayConditionResponseDto {
  @ApiProperty({ description: 'The id of an earlier choice question' })
  question: string;

  @ApiProperty({ type: [String], description: 'Shown when that answer holds one of these option codes' })
  anyOf: string[];
}

export class QuestionResponseDto {
  @ApiProperty({ description: 'Stable code, unique in the survey: answers and results are keyed by it' })
  id: string;

  @ApiProperty({ enum: QUESTION_TYPES, enumName: 'SurveyQuestionType' })
  type: QuestionType;

  @ApiProperty()
  label: string;

  @ApiProperty()
  required: boolean;

  @ApiPropertyOptional({ type: [QuestionOptionResponseDto] })
  options?: QuestionOptionResponseDto[];

  @ApiPropertyOptional({ description: 'multiple_choice: fewest options to choose' })
  min?: number;

  @ApiPropertyOptional({ description: 'multiple_choice: most options to choose' })
  max?: number;

  @ApiPropertyOptional({ enum: SCALES, enumName: 'SurveyScale' })
  scale?: ScaleKind;

  @ApiPropertyOptional({ type: DisplayConditionResponseDto })
  showIf?: DisplayConditionResponseDto;
}

export class SurveyAudienceResponseDto {
  @ApiProperty({ enum: ['panel', 'residents'] })
  kind: 'panel' | 'residents';

  @ApiPropertyOptional({ format: 'uuid', description: 'kind panel: its active members may answer' })
  panelId?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'kind residents: only those of this district, or null for the whole town' })
  districtId?: string | null;
}

export const SURVEY_STATES = ['scheduled', 'open', 'closed'] as const;

export class SurveyResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: [QuestionResponseDto] })
  questions: QuestionResponseDto[];

  @ApiProperty({ type: SurveyAudienceResponseDto })
  audience: SurveyAudienceResponseDto;

  @ApiProperty({ description: 'Answers cannot be joined to people; shown to respondents before they answer' })
  anonymous: boolean;

  @ApiProperty({ description: 'Results readable by anyone once closed' })
  resultsPublic: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  opensAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  closesAt: Date;

  @ApiProperty({ type: Number, nullable: true })
  reminderDaysBefore: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt: Date | null;

  @ApiProperty({ enum: SURVEY_STATES, enumName: 'SurveyState' })
  state: (typeof SURVEY_STATES)[number];
}

export class SurveyPageDto {
  @ApiProperty({ type: [SurveyResponseDto] })
  items: SurveyResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

/** An answer: an option code (single choice, text), option codes (multiple choice, ranking), or an integer (scale). */
const ANSWER_SCHEMA = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'number' }] };

export class SavedAnswersDto {
  @ApiProperty({ format: 'uuid' })
  surveyId: string;

  @ApiProperty()
  anonymous: boolean;

  @ApiProperty({ type: 'object', additionalProperties: ANSWER_SCHEMA, description: 'question id → answer' })
  answers: Record<string, string | string[] | number>;

  @ApiProperty()
  submitted: boolean;
}

export class OptionCountDto {
  @ApiProperty()
  code: string;

  @ApiProperty()
  label: string;

  @ApiProperty()
  count: number;

  @ApiProperty()
  percent: number;
}

export class ScaleValueCountDto {
  @ApiProperty()
  value: number;

  @ApiProperty()
  count: number;

  @ApiProperty()
  percent: number;
}

export class ScaleResultDto {
  @ApiProperty({ type: Number, nullable: true })
  mean: number | null;

  @ApiProperty({ type: [ScaleValueCountDto] })
  distribution: ScaleValueCountDto[];
}

export class BordaPointsDto {
  @ApiProperty()
  code: string;

  @ApiProperty()
  label: string;

  @ApiProperty()
  points: number;
}

export class RankingResultDto {
  @ApiProperty({ type: [BordaPointsDto] })
  borda: BordaPointsDto[];

  @ApiProperty({ type: [OptionCountDto] })
  firstChoice: OptionCountDto[];
}

export class CrossTabRowDto {
  @ApiProperty()
  code: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'feature value → count' })
  counts: Record<string, number>;
}

export class CrossTabDto {
  @ApiProperty()
  feature: string;

  @ApiProperty({ type: [String] })
  values: string[];

  @ApiProperty({ type: [CrossTabRowDto] })
  rows: CrossTabRowDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number', nullable: true }, description: 'scales: the mean per feature value' })
  means?: Record<string, number | null>;
}

export class QuestionResultDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ enum: QUESTION_TYPES, enumName: 'SurveyQuestionType' })
  type: QuestionType;

  @ApiProperty()
  label: string;

  @ApiProperty({ description: 'Respondents who answered it (weighted when weighting)' })
  answered: number;

  @ApiPropertyOptional({ type: [OptionCountDto] })
  options?: OptionCountDto[];

  @ApiPropertyOptional({ type: ScaleResultDto })
  scale?: ScaleResultDto;

  @ApiPropertyOptional({ type: RankingResultDto })
  ranking?: RankingResultDto;

  @ApiPropertyOptional({ type: [String] })
  texts?: string[];

  @ApiPropertyOptional({ type: CrossTabDto })
  crossTab?: CrossTabDto;
}

export class WeightCellDto {
  @ApiProperty()
  value: string;

  @ApiProperty()
  target: number;

  @ApiProperty()
  respondents: number;

  @ApiProperty()
  weight: number;
}

export class WeightingDto {
  @ApiProperty()
  feature: string;

  @ApiProperty({ type: [WeightCellDto] })
  cells: WeightCellDto[];

  @ApiProperty({ description: 'Respondents whose value has no target (weight 0)' })
  unweighted: number;
}

export class SurveyResultsDto {
  @ApiProperty({ format: 'uuid' })
  surveyId: string;

  @ApiProperty({ enum: SURVEY_STATES, enumName: 'SurveyState' })
  state: string;

  @ApiProperty()
  responses: number;

  @ApiProperty({ type: WeightingDto, nullable: true })
  weighting: WeightingDto | null;

  @ApiProperty({ type: [QuestionResultDto] })
  questions: QuestionResultDto[];
}

