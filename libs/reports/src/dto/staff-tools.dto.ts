import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ASSISTED_CHANNELS, AssistedChannel } from '../reports/report.entity';
import { CreateReportDto, LocationDto } from './report.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Digits, spaces, dots, dashes, parentheses and a leading +: what people write phone numbers with. */
const PHONE = /^\+?[0-9 .()-]{3,40}$/;

/** The person a staff member files for: a name, and an e-mail and/or a phone. Staff only. */
export class AssistedContactDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Mme Dupont' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 254, description: "The report's notifications reach this address by e-mail" })
  @IsOptional()
  @Transform(trim)
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ maxLength: 40, example: '+33 3 20 00 00 00' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  @Matches(PHONE, { message: 'phone must be a phone number (digits, spaces, dots, dashes, parentheses, a leading +)' })
  phone?: string;
}

/** POST /municipalities/:slug/reports/assisted: a staff member files for someone who phoned, came or wrote. */
export class AssistedReportDto extends OmitType(CreateReportDto, ['anonymous'] as const) {
  @ApiProperty({ enum: ASSISTED_CHANNELS, description: 'How the person reached the town' })
  @IsIn(ASSISTED_CHANNELS)
  channel: AssistedChannel;

  @ApiProperty({ type: AssistedContactDto })
  @ValidateNested()
  @Type(() => AssistedContactDto)
  contact: AssistedContactDto;
}

class VersionedDto {
  @ApiPropertyOptional({ minimum: 1, description: 'The version you saw, if not sent as If-Match' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  version?: number;
}

/** PATCH /reports/:id/correction: what the report says, corrected by staff; the original is kept. */
export class CorrectReportDto extends VersionedDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 5000, description: 'The corrected (or redacted) description' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ type: LocationDto, description: 'The corrected pin; must stay inside the municipality (else transfer)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ maxLength: 63, description: 'The right category; deadlines and department follow it' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  categoryCode?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'Why (kept with the correction, staff only)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** POST /reports/:id/transfer: to the municipality it belongs to. */
export class TransferReportDto extends VersionedDto {
  @ApiProperty({ maxLength: 63, description: 'Slug of the municipality that takes it' })
  @IsString()
  @MaxLength(63)
  municipality: string;

  @ApiProperty({ maxLength: 63, description: 'A category of that municipality' })
  @IsString()
  @MaxLength(63)
  categoryCode: string;

  @ApiPropertyOptional({ type: LocationDto, description: 'A corrected pin, inside that municipality; default the current one' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** POST /reports/:id/hide and /unhide. */
export class ModerateReportDto extends VersionedDto {
  @ApiProperty({ minLength: 3, maxLength: 500, description: 'Why (staff only)' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}

export class CorrectionResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['correction', 'transfer', 'hidden', 'unhidden'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorName: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', properties: { from: {}, to: {} } },
    description: 'Field → {from, to}: the values before and after',
  })
  changes: Record<string, { from: unknown; to: unknown }>;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() createdAt: string;
}
