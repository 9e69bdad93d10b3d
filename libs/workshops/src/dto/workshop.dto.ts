import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { WORKSHOP_FORMATS, WorkshopFormat } from '../workshops/workshop.entity';
import { PROSE, SINGLE_LINE } from './venue.dto';

/** A wall-clock time in the municipality's timezone, without offset: `2027-03-14T18:30`. */
export const LOCAL_DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/;
export const TOPIC = /^[a-z0-9][a-z0-9-]{0,39}$/;

export class LocalizedTitleDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'fr must be one line of text' })
  fr: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'en must be one line of text' })
  en: string;
}

export class LocalizedDescriptionDto {
  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @MaxLength(10000)
  @Matches(PROSE, { message: 'fr must not contain control characters' })
  fr: string;

  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @MaxLength(10000)
  @Matches(PROSE, { message: 'en must not contain control characters' })
  en: string;
}

export class RepeatDto {
  @ApiProperty({ enum: ['daily', 'weekly'] })
  @IsIn(['daily', 'weekly'])
  frequency: 'daily' | 'weekly';

  @ApiProperty({ minimum: 2, maximum: 52, description: 'Sessions in all, this one included; same wall-clock time in the town, across DST changes' })
  @IsInt()
  @Min(2)
  @Max(52)
  count: number;
}

export class SessionInputDto {
  @ApiProperty({ example: '2027-03-14T18:30', description: "Start, wall-clock time in the municipality's timezone (no offset)" })
  @IsString()
  @Matches(LOCAL_DATE_TIME, { message: 'startsAt must be a local date-time YYYY-MM-DDTHH:mm' })
  startsAt: string;

  @ApiProperty({ example: '2027-03-14T20:30', description: "End, wall-clock time in the municipality's timezone" })
  @IsString()
  @Matches(LOCAL_DATE_TIME, { message: 'endsAt must be a local date-time YYYY-MM-DDTHH:mm' })
  endsAt: string;

  @ApiPropertyOptional({ example: '2027-03-13T12:00', description: 'Registration and cancellation close then (default: the start)' })
  @IsOptional()
  @IsString()
  @Matches(LOCAL_DATE_TIME, { message: 'registrationCutoff must be a local date-time YYYY-MM-DDTHH:mm' })
  registrationCutoff?: string;

  @ApiPropertyOptional({ description: 'Required for in-person and hybrid workshops' })
  @IsOptional()
  @IsUUID()
  venueId?: string;

  @ApiPropertyOptional({ description: 'A room of the venue; its capacity bounds the session capacity' })
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @ApiProperty({ minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity: number;

  @ApiPropertyOptional({ type: RepeatDto, description: 'Makes this entry a series' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RepeatDto)
  repeat?: RepeatDto;
}

export class CreateWorkshopDto {
  @ApiProperty({ type: LocalizedTitleDto })
  @ValidateNested()
  @Type(() => LocalizedTitleDto)
  title: LocalizedTitleDto;

  @ApiProperty({ type: LocalizedDescriptionDto })
  @ValidateNested()
  @Type(() => LocalizedDescriptionDto)
  description: LocalizedDescriptionDto;

  @ApiProperty({ example: 'mobility', description: 'lower-case slug' })
  @IsString()
  @Matches(TOPIC, { message: 'topic must be a lower-case slug (a-z, 0-9, -), at most 40 characters' })
  topic: string;

  @ApiProperty({ enum: WORKSHOP_FORMATS })
  @IsIn(WORKSHOP_FORMATS)
  format: WorkshopFormat;

  @ApiPropertyOptional({ description: 'Link to join; required for online and hybrid, refused for in person', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'onlineUrl must be an https URL' })
  onlineUrl?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Users with the facilitator role in the town (default: the caller, if a facilitator)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  facilitatorIds?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, nullable: true, type: Number, description: 'Refuse people with this many no-shows in the town (null or absent: no limit; 0 would refuse everyone)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxNoShows?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 168, default: 24, description: 'Hours a freed seat is held for the next waiting person' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(168)
  offerHours?: number;

  @ApiProperty({ type: [SessionInputDto], minItems: 1, maxItems: 20 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SessionInputDto)
  sessions: SessionInputDto[];
}

export class UpdateWorkshopDto {
  @ApiPropertyOptional({ type: LocalizedTitleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedTitleDto)
  title?: LocalizedTitleDto;

  @ApiPropertyOptional({ type: LocalizedDescriptionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedDescriptionDto)
  description?: LocalizedDescriptionDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(TOPIC, { message: 'topic must be a lower-case slug (a-z, 0-9, -), at most 40 characters' })
  topic?: string;

  @ApiPropertyOptional({ enum: WORKSHOP_FORMATS })
  @IsOptional()
  @IsIn(WORKSHOP_FORMATS)
  format?: WorkshopFormat;

  @ApiPropertyOptional({ maxLength: 500, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'onlineUrl must be an https URL' })
  onlineUrl?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  facilitatorIds?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, nullable: true, type: Number, description: 'null removes the limit' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxNoShows?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 168 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(168)
  offerHours?: number;
}

export class AddSessionsDto {
  @ApiProperty({ type: [SessionInputDto], minItems: 1, maxItems: 20 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SessionInputDto)
  sessions: SessionInputDto[];
}

/** Moving a session: any of its time, place or capacity. */
export class UpdateSessionDto {
  @ApiPropertyOptional({ example: '2027-03-14T18:30' })
  @IsOptional()
  @IsString()
  @Matches(LOCAL_DATE_TIME, { message: 'startsAt must be a local date-time YYYY-MM-DDTHH:mm' })
  startsAt?: string;

  @ApiPropertyOptional({ example: '2027-03-14T20:30' })
  @IsOptional()
  @IsString()
  @Matches(LOCAL_DATE_TIME, { message: 'endsAt must be a local date-time YYYY-MM-DDTHH:mm' })
  endsAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(LOCAL_DATE_TIME, { message: 'registrationCutoff must be a local date-time YYYY-MM-DDTHH:mm' })
  registrationCutoff?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  venueId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity?: number;
}

export class SessionResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() workshopId: string;
  @ApiProperty() municipalityId: string;
  @ApiProperty({ description: 'UTC' }) startsAt: string;
  @ApiProperty({ description: 'UTC' }) endsAt: string;
  @ApiProperty({ description: "Wall-clock start in the town's timezone" }) localStartsAt: string;
  @ApiProperty({ description: "Wall-clock end in the town's timezone" }) localEndsAt: string;
  @ApiProperty() timezone: string;
  @ApiProperty() registrationCutoffAt: string;
  @ApiProperty({ nullable: true, type: String }) venueId: string | null;
  @ApiProperty({ nullable: true, type: String }) roomId: string | null;
  @ApiProperty() capacity: number;
  @ApiProperty() seatsLeft: number;
  @ApiProperty({ enum: ['scheduled', 'cancelled'] }) status: string;
  @ApiProperty() sequence: number;
}

export class WorkshopResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() municipalityId: string;
  @ApiProperty({ type: LocalizedTitleDto }) title: LocalizedTitleDto;
  @ApiProperty({ type: LocalizedDescriptionDto }) description: LocalizedDescriptionDto;
  @ApiProperty() topic: string;
  @ApiProperty({ enum: WORKSHOP_FORMATS }) format: WorkshopFormat;
  @ApiProperty({ nullable: true, type: String }) onlineUrl: string | null;
  @ApiProperty({ type: [String] }) facilitatorIds: string[];
  @ApiProperty({ nullable: true, type: Number }) maxNoShows: number | null;
  @ApiProperty() offerHours: number;
  @ApiProperty({ type: [SessionResponseDto] }) sessions: SessionResponseDto[];
}
