import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { ATTRIBUTE_DATATYPES } from '../../categories/report-category.entity';

/**
 * Open311 inputs are validated by Open311Service (not the global pipe) so that errors come out in
 * the spec's format and unknown parameters are ignored, as GeoReport clients expect. Each field
 * is reported once (stopAtFirstError), and class-validator runs the bottom decorator first, so the
 * type check sits last.
 */
export class PostServiceRequestDto {
  @ApiPropertyOptional({ description: 'The municipality slug; may also be sent in the query string' })
  @IsOptional()
  @MaxLength(63)
  @IsString()
  jurisdiction_id?: string;

  @ApiProperty({ description: "An API key issued by this jurisdiction's admin; may also be sent in the query string" })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  api_key?: string;

  @ApiProperty({ description: 'From GET services' })
  @IsDefined({ message: 'service_code was not provided' })
  @MaxLength(63)
  @IsString()
  service_code: string;

  @ApiPropertyOptional({ description: 'WGS84 latitude; lat and long are required (this server does not geocode)', minimum: -90, maximum: 90 })
  @IsOptional()
  @Type(() => Number)
  @Min(-90)
  @Max(90)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat must be a number' })
  lat?: number;

  @ApiPropertyOptional({ description: 'WGS84 longitude', minimum: -180, maximum: 180 })
  @IsOptional()
  @Type(() => Number)
  @Min(-180)
  @Max(180)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'long must be a number' })
  long?: number;

  @ApiPropertyOptional({ description: 'Human-readable address, stored with the coordinates (never geocoded)', maxLength: 500 })
  @IsOptional()
  @MaxLength(500)
  @IsString()
  address_string?: string;

  @ApiPropertyOptional({ description: 'Not supported: this server needs lat and long', maxLength: 200 })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  address_id?: string;

  @ApiPropertyOptional({ description: "Submitter's email; staff-only, never published", maxLength: 254 })
  @IsOptional()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  device_id?: string;

  @ApiPropertyOptional({ description: "The submitter's account id in the client's system, echoed back", maxLength: 200 })
  @IsOptional()
  @MaxLength(200)
  @IsString()
  account_id?: string;

  @ApiPropertyOptional({ description: 'Staff-only, never published', maxLength: 100 })
  @IsOptional()
  @MaxLength(100)
  @IsString()
  first_name?: string;

  @ApiPropertyOptional({ description: 'Staff-only, never published', maxLength: 100 })
  @IsOptional()
  @MaxLength(100)
  @IsString()
  last_name?: string;

  @ApiPropertyOptional({ description: 'Staff-only, never published', maxLength: 40 })
  @IsOptional()
  @MaxLength(40)
  @IsString()
  phone?: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @MaxLength(4000)
  @IsString()
  description?: string;

  @ApiPropertyOptional({ description: 'An http(s) URL to media; stored as given and never fetched by this server', maxLength: 2000 })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'media_url must be an http or https URL' })
  media_url?: string;

  @ApiPropertyOptional({
    description: 'Answers to the service definition: attribute[code]=value, attribute[code][]=a&attribute[code][]=b for a multivaluelist',
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  })
  @IsOptional()
  attribute?: Record<string, unknown>;
}

const COMMA_LIST = /^[^,]{1,100}(,[^,]{1,100}){0,99}$/;

export class ServiceRequestsQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated ids (at most 100); overrides every other filter' })
  @IsOptional()
  @MaxLength(2000)
  @Matches(/^\s*\d{1,18}\s*(,\s*\d{1,18}\s*){0,99}$/, { message: 'service_request_id must be a comma-separated list of at most 100 request ids' })
  @IsString()
  service_request_id?: string;

  @ApiPropertyOptional({ description: 'Comma-separated service codes' })
  @IsOptional()
  @MaxLength(2000)
  @Matches(COMMA_LIST, { message: 'service_code must be a comma-separated list of service codes' })
  @IsString()
  service_code?: string;

  @ApiPropertyOptional({ description: 'w3c date-time, e.g. 2010-01-01T00:00:00Z; the window spans at most 90 days' })
  @IsOptional()
  @MaxLength(40)
  @IsString()
  start_date?: string;

  @ApiPropertyOptional({ description: 'w3c date-time, e.g. 2010-01-01T00:00:00Z' })
  @IsOptional()
  @MaxLength(40)
  @IsString()
  end_date?: string;

  @ApiPropertyOptional({ description: 'open, closed or both, comma-separated' })
  @IsOptional()
  @MaxLength(20)
  @Matches(/^\s*(open|closed)\s*(,\s*(open|closed)\s*)?$/, { message: 'status must be open, closed or open,closed' })
  @IsString()
  status?: string;
}

// Response shapes, for the API documentation (the spec's field names).

export class Open311ServiceResponseDto {
  @ApiProperty() service_code: string;
  @ApiProperty({ description: "Name in the municipality's language" }) service_name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ description: 'true when the service has attributes: GET services/{service_code} lists them' }) metadata: boolean;
  @ApiProperty({ enum: ['realtime'] }) type: 'realtime';
  @ApiProperty({ nullable: true, type: String, description: 'Comma-separated' }) keywords: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The department' }) group: string | null;
}

export class Open311AttributeValueResponseDto {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
}

export class Open311AttributeResponseDto {
  @ApiProperty() variable: boolean;
  @ApiProperty() code: string;
  @ApiProperty({ enum: ATTRIBUTE_DATATYPES }) datatype: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ nullable: true, type: String }) datatype_description: string | null;
  @ApiProperty() order: number;
  @ApiProperty() description: string;
  @ApiPropertyOptional({ type: [Open311AttributeValueResponseDto] }) values?: Open311AttributeValueResponseDto[];
}

export class Open311ServiceDefinitionResponseDto {
  @ApiProperty() service_code: string;
  @ApiProperty({ type: [Open311AttributeResponseDto] }) attributes: Open311AttributeResponseDto[];
}

export class Open311CreatedResponseDto {
  @ApiProperty({ description: "The report's public number" }) service_request_id: string;
  @ApiProperty({ nullable: true, type: String }) service_notice: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The account_id sent, if any' }) account_id: string | null;
}

export class Open311RequestResponseDto {
  @ApiProperty({ description: "The report's public number" }) service_request_id: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiProperty({ nullable: true, type: String }) status_notes: string | null;
  @ApiProperty() service_name: string;
  @ApiProperty() service_code: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The department, else the municipality' }) agency_responsible: string | null;
  @ApiProperty({ nullable: true, type: String }) service_notice: string | null;
  @ApiProperty({ example: '2026-11-20T10:15:00+01:00' }) requested_datetime: string;
  @ApiProperty({ example: '2026-11-20T10:15:00+01:00' }) updated_datetime: string;
  @ApiProperty({ nullable: true, type: String, description: 'The service-level (or staff-set) deadline' }) expected_datetime: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String }) address_id: string | null;
  @ApiProperty({ nullable: true, type: String }) zipcode: string | null;
  @ApiProperty() lat: number;
  @ApiProperty() long: number;
  @ApiProperty({ nullable: true, type: String, description: "The first photo's URL, else the media_url the client sent" }) media_url: string | null;
}

export class Open311ErrorResponseDto {
  @ApiProperty({ description: 'The HTTP status' }) code: number;
  @ApiProperty() description: string;
}
