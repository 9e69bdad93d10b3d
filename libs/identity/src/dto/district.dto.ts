import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { AreaGeometry } from '@app/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { DistrictRecord } from '../districts/districts.service';
import { PageQueryDto } from './page.dto';
import { IsAreaGeometry, NO_CONTROL_CHARACTERS, trimmed } from './validators';

export const DISTRICT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const DISTRICT_NAME_MAX_LENGTH = 200;

const BOUNDARY: ApiPropertyOptions = {
  type: 'object',
  description: "GeoJSON Polygon or MultiPolygon in WGS 84, inside the municipality's boundary.",
  required: ['type', 'coordinates'],
  properties: { type: { type: 'string', enum: ['Polygon', 'MultiPolygon'] }, coordinates: { type: 'array', items: {} } },
};

export class CreateDistrictDto {
  @ApiProperty({ description: 'Short code, unique in the municipality (letters, digits, - and _).', maxLength: 32, example: 'VIEUX-LILLE' })
  @IsString()
  @Length(1, 32)
  @Matches(DISTRICT_CODE_PATTERN, { message: 'code must be letters, digits, "-" and "_", starting with a letter or digit' })
  code: string;

  @ApiProperty({ maxLength: DISTRICT_NAME_MAX_LENGTH, example: 'Vieux-Lille' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISTRICT_NAME_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'nameFr must not contain control characters' })
  nameFr: string;

  @ApiProperty({ maxLength: DISTRICT_NAME_MAX_LENGTH, example: 'Old Lille' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISTRICT_NAME_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'nameEn must not contain control characters' })
  nameEn: string;

  @ApiPropertyOptional({ ...BOUNDARY, nullable: true })
  @IsOptional()
  @IsAreaGeometry()
  boundary?: AreaGeometry | null;
}

export class UpdateDistrictDto {
  @ApiPropertyOptional({ maxLength: 32 })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  @Matches(DISTRICT_CODE_PATTERN, { message: 'code must be letters, digits, "-" and "_", starting with a letter or digit' })
  code?: string;

  @ApiPropertyOptional({ maxLength: DISTRICT_NAME_MAX_LENGTH })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISTRICT_NAME_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'nameFr must not contain control characters' })
  nameFr?: string;

  @ApiPropertyOptional({ maxLength: DISTRICT_NAME_MAX_LENGTH })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISTRICT_NAME_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'nameEn must not contain control characters' })
  nameEn?: string;

  @ApiPropertyOptional({ ...BOUNDARY, nullable: true, description: 'null removes it.' })
  @IsOptional()
  @IsAreaGeometry()
  boundary?: AreaGeometry | null;
}

export class ListDistrictsQueryDto extends PageQueryDto {}

export class DistrictResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty({ example: 'VIEUX-LILLE' })
  code: string;

  @ApiProperty({ example: 'Vieux-Lille' })
  nameFr: string;

  @ApiProperty({ example: 'Old Lille' })
  nameEn: string;

  @ApiProperty({ ...BOUNDARY, nullable: true })
  boundary: AreaGeometry | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

export class DistrictPageDto {
  @ApiProperty({ type: [DistrictResponseDto] })
  items: DistrictResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class LocateDistrictResponseDto {
  @ApiProperty({ type: DistrictResponseDto })
  district: Omit<DistrictResponseDto, 'createdAt' | 'updatedAt'>;
}

export function toDistrictResponse(d: DistrictRecord): DistrictResponseDto {
  return { id: d.id, municipalityId: d.municipalityId, code: d.code, nameFr: d.nameFr, nameEn: d.nameEn, boundary: d.boundary, createdAt: d.createdAt, updatedAt: d.updatedAt };
}
