import { ApiProperty } from '@nestjs/swagger';
import { create } from 'xmlbuilder2';
import { OPEN311_CONTENT_TYPES, Open311Format } from './open311-format';

/**
 * Open311 Service Discovery (http://wiki.open311.org/Service_Discovery/), which GeoReport v2
 * requires beside the API: where the endpoint is, which spec and formats it speaks, whom to ask.
 * `changeset` changes when this document or the endpoints' shape changes; the categories of
 * each town (service definitions) are read live, never cached behind it.
 */
export const OPEN311_DISCOVERY_CHANGESET = '2026-12-06T00:00:00Z';
export const GEOREPORT_V2_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

export class Open311DiscoveryEndpointDto {
  @ApiProperty({ example: GEOREPORT_V2_SPECIFICATION }) specification: string;
  @ApiProperty({ example: 'https://civic.example.org/open311/v2' }) url: string;
  @ApiProperty({ format: 'date-time', example: OPEN311_DISCOVERY_CHANGESET }) changeset: string;
  @ApiProperty({ enum: ['production', 'test'] }) type: 'production' | 'test';
  @ApiProperty({ type: [String], example: ['text/xml', 'application/json'] }) formats: string[];
}

export class Open311DiscoveryDto {
  @ApiProperty({ format: 'date-time', example: OPEN311_DISCOVERY_CHANGESET }) changeset: string;
  @ApiProperty({ description: 'Whom to contact about the API', example: 'Civic platform <contact@civic.example.org>' }) contact: string;
  @ApiProperty({ description: 'How to get an api_key (needed to POST requests)' }) key_service: string;
  @ApiProperty({ type: [Open311DiscoveryEndpointDto] }) endpoints: Open311DiscoveryEndpointDto[];
}

export function open311Discovery(publicUrl: string, contact: string, production: boolean): Open311DiscoveryDto {
  return {
    changeset: OPEN311_DISCOVERY_CHANGESET,
    contact,
    key_service: `A municipality's administrators create API keys at ${publicUrl}/api/v1/municipalities/{jurisdiction_id}/api-keys; ask them for one.`,
    endpoints: [
      {
        specification: GEOREPORT_V2_SPECIFICATION,
        url: `${publicUrl}/open311/v2`,
        changeset: OPEN311_DISCOVERY_CHANGESET,
        type: production ? 'production' : 'test',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

/** The document as JSON, or as the spec's XML (`<discovery>…<endpoints><endpoint>…<formats><format>`). */
export function renderOpen311Discovery(doc: Open311DiscoveryDto, format: Open311Format): { contentType: string; body: string } {
  if (format === 'json') return { contentType: OPEN311_CONTENT_TYPES.json, body: JSON.stringify(doc) };
  const xml = create({ version: '1.0', encoding: 'UTF-8' }).ele({
    discovery: {
      changeset: doc.changeset,
      contact: doc.contact,
      key_service: doc.key_service,
      endpoints: { endpoint: doc.endpoints.map((e) => ({ specification: e.specification, url: e.url, changeset: e.changeset, type: e.type, formats: { format: e.formats } })) },
    },
  });
  return { contentType: OPEN311_CONTENT_TYPES.xml, body: xml.end() };
}
