import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { GeneratedResidencyCodes, MyResidencyView, ResidencyView } from '../residency/residency.service';
import { DEFAULT_RESIDENCY_CODE_DAYS } from '../residency/residency.service';

export const MAX_RESIDENCY_CODES_PER_BATCH = 1000;

export class GenerateResidencyCodesDto {
  @ApiProperty({ minimum: 1, maximum: MAX_RESIDENCY_CODES_PER_BATCH, example: 200 })
  @IsInt()
  @Min(1)
  @Max(MAX_RESIDENCY_CODES_PER_BATCH)
  count: number;

  @ApiProperty({ required: false, minimum: 1, maximum: 365, default: DEFAULT_RESIDENCY_CODE_DAYS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;

  @ApiProperty({ required: false, format: 'uuid', description: 'The district of the addresses these letters go to: whoever redeems one is recorded as living there.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

/** The year of birth, asked where a vote has a minimum age. */
const BIRTH_YEAR = { required: false, minimum: 1900, maximum: 2100, example: 1990, description: 'Asked where a vote has a minimum age; used for nothing else.' } as const;

export class VerifyResidentDto {
  @ApiProperty({ required: false, format: 'uuid', description: 'The district the person lives in' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty(BIRTH_YEAR)
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;
}

export class ResidencyCodesResponseDto {
  @ApiProperty({
    type: [String],
    description: 'The codes, shown this once: only their hashes are kept. Mail them on paper.',
    example: ['K7QM-3XWD-9RTB'],
  })
  codes: string[];

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt: Date;
}

export class RedeemResidencyCodeDto {
  @ApiProperty({ description: 'The code from the letter; case, dashes and spaces do not matter.', maxLength: 64, example: 'K7QM-3XWD-9RTB' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  code: string;

  @ApiProperty(BIRTH_YEAR)
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;
}

export class ResidencyResponseDto {
  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ enum: ['code', 'staff'] })
  method: 'code' | 'staff';

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The staff member who verified, for direct verification.' })
  verifiedById: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  verifiedAt: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  districtId: string | null;

  @ApiProperty({ type: Number, nullable: true })
  birthYear: number | null;
}

export class ResidencyMunicipalityDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'lille' })
  slug: string;

  @ApiProperty({ example: 'Lille' })
  name: string;
}

export class MyResidencyResponseDto {
  @ApiProperty({ type: ResidencyMunicipalityDto })
  municipality: ResidencyMunicipalityDto;

  @ApiProperty({ enum: ['code', 'staff'] })
  method: 'code' | 'staff';

  @ApiProperty({ type: String, format: 'date-time' })
  verifiedAt: Date;
}

export class MyResidenciesResponseDto {
  @ApiProperty({ type: [MyResidencyResponseDto] })
  items: MyResidencyResponseDto[];
}

export function toResidencyResponse(r: ResidencyView): ResidencyResponseDto {
  return { municipalityId: r.municipalityId, userId: r.userId, method: r.method, verifiedById: r.verifiedById, verifiedAt: r.verifiedAt, districtId: r.districtId, birthYear: r.birthYear };
}

export function toResidencyCodesResponse(g: GeneratedResidencyCodes): ResidencyCodesResponseDto {
  return { codes: g.codes, expiresAt: g.expiresAt };
}

export function toMyResidenciesResponse(list: MyResidencyView[]): MyResidenciesResponseDto {
  return { items: list.map((r) => ({ municipality: { ...r.municipality }, method: r.method, verifiedAt: r.verifiedAt })) };
}
