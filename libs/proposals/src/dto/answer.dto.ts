import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ANSWER_STATUSES, AnswerStatus } from '../proposal.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ProposalAnswerDto {
  @ApiProperty({ enum: ANSWER_STATUSES, description: 'evaluating, accepted (with estimatedCost and timeline) or rejected (the body says why)' })
  @IsIn(ANSWER_STATUSES)
  status: AnswerStatus;

  @ApiProperty({ minLength: 3, maxLength: 10_000, description: 'Markdown, same subset as proposals' })
  @IsString()
  @MinLength(3)
  @MaxLength(10_000)
  body: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000_000_000, description: 'accepted: estimated cost, whole currency units' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  estimatedCost?: number;

  @ApiPropertyOptional({ maxLength: 500, description: 'accepted: when it should be done' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  timeline?: string;
}

export class PublishAnswersDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  proposalIds: string[];
}
