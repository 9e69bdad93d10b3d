import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The answers of the selection routes (probabilities, draws, run files); see panel-response.dto.ts. */
export class MemberProbabilityDto {
  @ApiProperty({ description: 'The external id (imported) or the volunteer profile id' })
  id: string;

  @ApiProperty()
  probability: number;
}

export class SelectionProbabilitiesResponseDto {
  @ApiProperty()
  algorithmVersion: string;

  @ApiProperty()
  poolHash: string;

  @ApiProperty()
  rulesHash: string;

  @ApiProperty()
  poolSize: number;

  @ApiProperty({ description: 'The smallest probability of anyone who is on at least one valid panel' })
  minimumProbability: number;

  @ApiProperty({ description: 'A proven bound: no lottery gives a larger minimum' })
  minimumProbabilityUpperBound: number;

  @ApiProperty({ description: '1 − minimum / bound: how far from the best possible lottery this one may be, at most' })
  certifiedGap: number;

  @ApiProperty({ type: [String], description: 'People on no valid panel (probability 0)' })
  unreachable: string[];

  @ApiProperty()
  panelsInSupport: number;

  @ApiProperty({ type: [MemberProbabilityDto] })
  probabilities: MemberProbabilityDto[];
}

export const SELECTION_KINDS = ['initial', 'replacement', 'rotation'] as const;

export class SelectionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  panelId: string;

  @ApiProperty({ enum: SELECTION_KINDS, enumName: 'SelectionKind' })
  kind: (typeof SELECTION_KINDS)[number];

  @ApiProperty({ description: '0 for the initial draw, then 1, 2… for the replacement and rotation draws' })
  round: number;

  @ApiProperty()
  seed: string;

  @ApiProperty()
  poolHash: string;

  @ApiProperty()
  rulesHash: string;

  @ApiProperty()
  algorithmVersion: string;

  @ApiProperty()
  distributionHash: string;

  @ApiProperty()
  minimumProbability: number;

  @ApiProperty({ type: [String], description: "The drawn people's pool ids, sorted" })
  members: string[];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class RunQuotaDto {
  @ApiProperty()
  feature: string;

  @ApiProperty()
  value: string;

  @ApiProperty()
  min: number;

  @ApiProperty()
  max: number;
}

export class RunPoolMemberDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  features: Readonly<Record<string, string>>;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The household key, hashed with the panel id' })
  household?: string | null;
}

export class RunCompletesDto {
  @ApiProperty({ enum: ['replacement', 'rotation'] })
  kind: 'replacement' | 'rotation';

  @ApiProperty()
  round: number;

  @ApiProperty()
  committedPoolHash: string;

  @ApiProperty({ type: [String] })
  seated: string[];

  @ApiProperty({ type: [RunQuotaDto] })
  quotasLeft: RunQuotaDto[];
}

/** The run file: everything a draw depends on and what it gave, for `npm run panel:draw -- run.json`. */
export class PanelRunResponseDto {
  @ApiProperty({ enum: ['civic-panel-run/1'] })
  format: 'civic-panel-run/1';

  @ApiProperty({ format: 'uuid' })
  panelId: string;

  @ApiProperty()
  panelSize: number;

  @ApiProperty()
  householdRule: boolean;

  @ApiProperty({ type: [RunQuotaDto] })
  quotas: RunQuotaDto[];

  @ApiProperty({ type: [RunPoolMemberDto], description: 'The pseudonymous pool snapshot' })
  pool: RunPoolMemberDto[];

  @ApiProperty()
  poolHash: string;

  @ApiProperty()
  rulesHash: string;

  @ApiProperty()
  algorithmVersion: string;

  @ApiProperty()
  seed: string;

  @ApiProperty()
  distributionHash: string;

  @ApiProperty()
  minimumProbability: number;

  @ApiProperty({ type: [String] })
  members: string[];

  @ApiPropertyOptional({ type: RunCompletesDto, description: 'Replacement and rotation draws: what the draw completes' })
  completes?: RunCompletesDto;
}
