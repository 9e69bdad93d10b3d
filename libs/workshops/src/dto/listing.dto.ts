import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { PageQueryDto } from '@app/common';
import { WORKSHOP_FORMATS, WorkshopFormat } from '../workshops/workshop.entity';
import { SessionResponseDto, TOPIC, LocalizedTitleDto } from './workshop.dto';

/** Filters of the public listing of sessions; every one optional. */
export class ListSessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Sessions starting at or after (ISO 8601; default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Sessions starting before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(TOPIC, { message: 'topic must be a lower-case slug' })
  topic?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  venueId?: string;

  @ApiPropertyOptional({ description: "The venue's district" })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ enum: WORKSHOP_FORMATS })
  @IsOptional()
  @IsIn(WORKSHOP_FORMATS)
  format?: WorkshopFormat;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, description: 'At least this many seats left' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  seatsLeft?: number;
}

export class SessionListingDto extends SessionResponseDto {
  @ApiProperty({ type: LocalizedTitleDto }) title: LocalizedTitleDto;
  @ApiProperty() topic: string;
  @ApiProperty({ enum: WORKSHOP_FORMATS }) format: WorkshopFormat;
  @ApiProperty({ nullable: true, type: String }) venueName: string | null;
  @ApiProperty({ nullable: true, type: String }) districtId: string | null;
}

export class SessionListingPageDto {
  @ApiProperty({ type: [SessionListingDto] }) items: SessionListingDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
