import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsLatitude, IsLongitude, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/** One line of plain text: no control characters. */
export const SINGLE_LINE = /^[^\p{Cc}]*$/u;
/** Prose: line breaks and tabs allowed, other control characters not. */
export const PROSE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

export class VenueLocationDto {
  @ApiProperty({ example: 6.1844 })
  @IsLongitude()
  lng: number;

  @ApiProperty({ example: 48.6921 })
  @IsLatitude()
  lat: number;
}

export class CreateRoomDto {
  @ApiProperty({ maxLength: 120 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: 'name must be one line of text' })
  name: string;

  @ApiProperty({ minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity: number;
}

export class CreateVenueDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'name must be one line of text' })
  name: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(SINGLE_LINE, { message: 'address must be one line of text' })
  address?: string;

  @ApiPropertyOptional({ type: VenueLocationDto, description: 'WGS 84; inside the municipality. Sets the district.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VenueLocationDto)
  location?: VenueLocationDto;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Step-free access, hearing loop, toilets...' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(PROSE, { message: 'accessibility must not contain control characters' })
  accessibility?: string;

  @ApiPropertyOptional({ description: 'A third place (tiers-lieu)' })
  @IsOptional()
  @IsBoolean()
  isThirdPlace?: boolean;

  @ApiPropertyOptional({ type: [CreateRoomDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CreateRoomDto)
  rooms?: CreateRoomDto[];
}

export class UpdateVenueDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'name must be one line of text' })
  name?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(SINGLE_LINE, { message: 'address must be one line of text' })
  address?: string;

  @ApiPropertyOptional({ type: VenueLocationDto, nullable: true, description: 'null takes the location off (and the district with it)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VenueLocationDto)
  location?: VenueLocationDto | null;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(PROSE, { message: 'accessibility must not contain control characters' })
  accessibility?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isThirdPlace?: boolean;
}

export class RoomResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() capacity: number;
}

export class VenueResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() municipalityId: string;
  @ApiProperty() name: string;
  @ApiProperty() address: string;
  @ApiProperty({ type: VenueLocationDto, nullable: true }) location: VenueLocationDto | null;
  @ApiProperty({ nullable: true, type: String }) districtId: string | null;
  @ApiProperty() accessibility: string;
  @ApiProperty() isThirdPlace: boolean;
  @ApiProperty({ type: [RoomResponseDto] }) rooms: RoomResponseDto[];
}
