import { Body, Controller, Get, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@app/common';
import {
  Open311CreatedResponseDto,
  Open311ErrorResponseDto,
  Open311RequestResponseDto,
  Open311ServiceDefinitionResponseDto,
  Open311ServiceResponseDto,
  Open311Service,
  PostServiceRequestDto,
} from '@app/reports';
import type { FastifyReply } from 'fastify';
import { Open311ExceptionFilter } from './open311-exception.filter';
import { fileParam, formatParam, sendOpen311 } from './open311-response';

const JURISDICTION = {
  name: 'jurisdiction_id',
  required: true,
  description: 'The municipality slug',
  example: 'lille',
} as const;
const FORMAT = { name: 'format', enum: ['json', 'xml'], description: 'Response format, as the path extension' } as const;

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) for the ecosystem of 311 apps and
 * city systems. Parameters are read raw (not through the global validation pipe) and checked by
 * Open311Service: clients send extension parameters that must be ignored, and every error must
 * come out in the spec's format (see Open311ExceptionFilter).
 */
@ApiTags('open311')
@ApiExtraModels(Open311ErrorResponseDto)
@ApiProduces('application/json', 'text/xml')
@ApiBadRequestResponse({ description: 'Spec error list: jurisdiction_id missing, invalid parameters, general service error', type: [Open311ErrorResponseDto] })
@ApiNotFoundResponse({ description: 'Spec error list: unknown jurisdiction_id, service_code or service_request_id', type: [Open311ErrorResponseDto] })
@Public()
@UseFilters(Open311ExceptionFilter)
@Controller('open311/v2')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Get('services.:format')
  @ApiOperation({ summary: 'GET Service List: the active categories of the municipality' })
  @ApiParam(FORMAT)
  @ApiQuery(JURISDICTION)
  @ApiOkResponse({ type: [Open311ServiceResponseDto], description: 'XML: <services><service>…' })
  async services(@Param('format') format: string, @Query('jurisdiction_id') jurisdictionId: unknown, @Res() res: FastifyReply): Promise<void> {
    const fmt = formatParam(format);
    sendOpen311(res, fmt, 200, { root: 'services', items: await this.open311.services(jurisdictionId) });
  }

  @Get('services/:file')
  @ApiOperation({ summary: 'GET Service Definition: the attributes of one service, e.g. services/pothole.json' })
  @ApiParam({ name: 'file', description: '{service_code}.json or {service_code}.xml', example: 'pothole.json' })
  @ApiQuery(JURISDICTION)
  @ApiOkResponse({ type: Open311ServiceDefinitionResponseDto, description: 'XML: <service_definition>…<attributes><attribute>…' })
  async serviceDefinition(@Param('file') file: string, @Query('jurisdiction_id') jurisdictionId: unknown, @Res() res: FastifyReply): Promise<void> {
    const [serviceCode, fmt] = fileParam(file);
    sendOpen311(res, fmt, 200, { root: 'service_definition', definition: await this.open311.serviceDefinition(jurisdictionId, serviceCode) });
  }

  @Post('requests.:format')
  @ApiOperation({
    summary: 'POST Service Request: file a report (api_key required)',
    description:
      'Form-encoded as the spec says (JSON also accepted). lat and long are required: this server does not geocode address_string. ' +
      'attribute[code]=value, attribute[code][]=a&attribute[code][]=b for a multivaluelist. media_url is kept as a link and never fetched. ' +
      'Contact fields (email, names, phone) reach staff only. Answers 201 with [{service_request_id, service_notice, account_id}].',
  })
  @ApiParam(FORMAT)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: PostServiceRequestDto })
  @ApiCreatedResponse({ type: [Open311CreatedResponseDto], description: 'XML: <service_requests><request>…' })
  @ApiForbiddenResponse({ description: 'Spec error list: api_key missing, unknown, revoked or of another jurisdiction', type: [Open311ErrorResponseDto] })
  async createRequest(
    @Param('format') format: string,
    @Query() query: Record<string, unknown>,
    @Body() body: Record<string, unknown>,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const fmt = formatParam(format);
    sendOpen311(res, fmt, 201, { root: 'service_requests', items: await this.open311.createRequest(query, body) });
  }

  @Get('requests.:format')
  @ApiOperation({
    summary: 'GET Service Requests: public reports, newest first',
    description:
      'service_request_id (comma-separated) overrides every other filter. Otherwise requested_datetime within start_date..end_date ' +
      '(w3c date-times; at most 90 days apart; default the last 90 days), service_code and status (open, closed) comma-separated. At most 1000 requests.',
  })
  @ApiParam(FORMAT)
  @ApiQuery(JURISDICTION)
  @ApiQuery({ name: 'service_request_id', required: false, example: '1042,1043' })
  @ApiQuery({ name: 'service_code', required: false, example: 'pothole,graffiti' })
  @ApiQuery({ name: 'start_date', required: false, example: '2026-11-01T00:00:00+01:00' })
  @ApiQuery({ name: 'end_date', required: false, example: '2026-11-30T00:00:00+01:00' })
  @ApiQuery({ name: 'status', required: false, example: 'open' })
  @ApiOkResponse({ type: [Open311RequestResponseDto], description: 'XML: <service_requests><request>…' })
  async requests(@Param('format') format: string, @Query() query: Record<string, unknown>, @Res() res: FastifyReply): Promise<void> {
    const fmt = formatParam(format);
    sendOpen311(res, fmt, 200, { root: 'service_requests', items: await this.open311.requests(query) });
  }

  @Get('requests/:file')
  @ApiOperation({ summary: 'GET Service Request: one request as a one-element list, e.g. requests/1042.json' })
  @ApiParam({ name: 'file', description: '{service_request_id}.json or {service_request_id}.xml', example: '1042.json' })
  @ApiQuery(JURISDICTION)
  @ApiOkResponse({ type: [Open311RequestResponseDto], description: 'XML: <service_requests><request>…' })
  async request(@Param('file') file: string, @Query('jurisdiction_id') jurisdictionId: unknown, @Res() res: FastifyReply): Promise<void> {
    const [serviceRequestId, fmt] = fileParam(file);
    sendOpen311(res, fmt, 200, { root: 'service_requests', items: await this.open311.request(jurisdictionId, serviceRequestId) });
  }
}
