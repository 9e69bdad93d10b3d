import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

export class ContactPreferencesDto {
  @ApiProperty()
  @IsBoolean()
  email: boolean;

  @ApiProperty()
  @IsBoolean()
  post: boolean;

  @ApiPropertyOptional({ type: String, maxLength: 30, nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ().-]{4,30}$/)
  phone?: string | null;
}

export class VolunteerDto {
  @ApiProperty({ description: 'The consent text version accepted; must be the current one', maxLength: 50 })
  @IsString()
  @MaxLength(50)
  consentVersion: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'feature code → value code, one for each feature of the panel',
    example: { age_band: '30-44' },
  })
  @IsObject()
  features: Record<string, string>;

  @ApiPropertyOptional({ description: 'Postal address, used for the household rule only (required when the panel has it)', maxLength: 300 })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  address?: string;

  @ApiProperty({ type: ContactPreferencesDto })
  @ValidateNested()
  @Type(() => ContactPreferencesDto)
  contact: ContactPreferencesDto;
}
