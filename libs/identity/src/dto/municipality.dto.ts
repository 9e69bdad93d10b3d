import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { AreaGeometry } from '@app/common';
import { Transform } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsNotEmpty, IsNumber, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';
import { LOCALES, Locale } from '../users/user.entity';
import type { MunicipalityRecord, MunicipalitySummary } from '../municipalities/municipalities.service';
import { PageQueryDto } from './page.dto';
import { IsAreaGeometry, IsIanaTimeZone, NO_CONTROL_CHARACTERS, toNumber, trimmed } from './validators';

export const MUNICIPALITY_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MUNICIPALITY_NAME_MAX_LENGTH = 200;
/** Path segments under /municipalities that a slug would shadow. */
export const RESERVED_MUNICIPALITY_SLUGS = ['locate'];

const BOUNDARY_DESCRIPTION = 'GeoJSON Polygon or MultiPolygon in WGS 84 ([longitude, latitude]); holes allowed.';
const BOUNDARY_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  description: BOUNDARY_DESCRIPTION,
  required: ['type', 'coordinates'],
  properties: {
    type: { type: 'string', enum: ['Polygon', 'MultiPolygon'] },
    coordinates: { type: 'array', items: {} },
  },
  example: {
    type: 'Polygon',
    coordinates: [
      [
        [3.0, 50.6],
        [3.1, 50.6],
        [3.1, 50.7],
        [3.0, 50.7],
        [3.0, 50.6],
      ],
    ],
  },
};

const toUpperCase = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.toUpperCase() : value);

export class CreateMunicipalityDto {
  @ApiProperty({ description: 'Lowercase kebab-case, used in URLs.', minLength: 2, maxLength: 63, example: 'lille' })
  @IsString()
  @Length(2, 63)
  @Matches(MUNICIPALITY_SLUG_PATTERN, { message: 'slug must be lowercase letters, digits and single dashes (kebab-case)' })
  @NotEquals(RESERVED_MUNICIPALITY_SLUGS[0], { message: 'slug is reserved' })
  slug: string;

  @ApiProperty({ maxLength: MUNICIPALITY_NAME_MAX_LENGTH, example: 'Lille' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MUNICIPALITY_NAME_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ description: 'IANA time zone: working hours, digests and deadlines are counted in it.', example: 'Europe/Paris' })
  @IsIanaTimeZone()
  timezone: string;

  @ApiProperty({ enum: LOCALES, example: 'fr' })
  @IsIn(LOCALES)
  locale: Locale;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2, for public holidays.', default: 'FR', minLength: 2, maxLength: 2 })
  @IsOptional()
  @Transform(toUpperCase)
  @IsString()
  @Length(2, 2)
  @IsISO31661Alpha2()
  countryCode?: string;

  @ApiPropertyOptional({ ...BOUNDARY_SCHEMA, nullable: true })
  @IsOptional()
  @IsAreaGeometry()
  boundary?: AreaGeometry | null;
}

export class UpdateMunicipalityDto {
  @ApiPropertyOptional({ maxLength: MUNICIPALITY_NAME_MAX_LENGTH, example: 'Lille' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MUNICIPALITY_NAME_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris' })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ ...BOUNDARY_SCHEMA, nullable: true, description: `${BOUNDARY_DESCRIPTION} null removes it.` })
  @IsOptional()
  @IsAreaGeometry()
  boundary?: AreaGeometry | null;
}

export class ListMunicipalitiesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name, accents and case aside ("evry" finds "Évry").', minLength: 1, maxLength: 100, example: 'issy' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'q must not contain control characters' })
  q?: string;
}

export class LocateQueryDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 50.6292 })
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: 3.0573 })
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng: number;
}

export class MunicipalityResponseDto {
  @ApiProperty({ format: 'uuid', example: '5f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5' })
  id: string;

  @ApiProperty({ example: 'lille' })
  slug: string;

  @ApiProperty({ example: 'Lille' })
  name: string;

  @ApiProperty({ example: 'Europe/Paris' })
  timezone: string;

  @ApiProperty({ enum: LOCALES })
  locale: Locale;

  @ApiProperty({ example: 'FR' })
  countryCode: string;

  @ApiProperty({ ...BOUNDARY_SCHEMA, nullable: true })
  boundary: AreaGeometry | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-15T08:00:00.000Z' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-01-15T08:00:00.000Z' })
  updatedAt: Date;
}

/** A municipality in lists: its bounding box, not its (possibly large) boundary. */
export class MunicipalitySummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'lille' })
  slug: string;

  @ApiProperty({ example: 'Lille' })
  name: string;

  @ApiProperty({ example: 'Europe/Paris' })
  timezone: string;

  @ApiProperty({ enum: LOCALES })
  locale: Locale;

  @ApiProperty({ example: 'FR' })
  countryCode: string;

  @ApiProperty()
  hasBoundary: boolean;

  @ApiProperty({
    type: [Number],
    nullable: true,
    minItems: 4,
    maxItems: 4,
    description: 'Bounding box of the boundary: [minLng, minLat, maxLng, maxLat].',
    example: [3.0, 50.6, 3.1, 50.7],
  })
  bbox: [number, number, number, number] | null;
}

export class MunicipalityPageDto {
  @ApiProperty({ type: [MunicipalitySummaryDto] })
  items: MunicipalitySummaryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export class LocateResponseDto {
  @ApiProperty({ type: MunicipalitySummaryDto })
  municipality: MunicipalitySummaryDto;
}

export function toMunicipalityResponse(m: MunicipalityRecord): MunicipalityResponseDto {
  return {
    id: m.id,
    slug: m.slug,
    name: m.name,
    timezone: m.timezone,
    locale: m.locale,
    countryCode: m.countryCode,
    boundary: m.boundary,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

export function toMunicipalitySummary(m: MunicipalitySummary): MunicipalitySummaryDto {
  return {
    id: m.id,
    slug: m.slug,
    name: m.name,
    timezone: m.timezone,
    locale: m.locale,
    countryCode: m.countryCode,
    hasBoundary: m.bbox !== null,
    bbox: m.bbox ? [m.bbox.minLng, m.bbox.minLat, m.bbox.maxLng, m.bbox.maxLat] : null,
  };
}
