import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, Public } from '@app/common';
import { Open311DiscoveryDto, open311Discovery, renderOpen311Discovery } from '@app/reports';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../common/error-response.dto';
import { formatParam } from './open311-response';

/** Open311 Service Discovery: the one URL a 311 client needs to find our GeoReport v2 endpoint. */
@ApiTags('open311')
@Public()
@Controller('open311')
export class Open311DiscoveryController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('discovery.:format')
  @ApiOperation({ summary: 'Service Discovery (discovery.json or discovery.xml): endpoint, specification, formats, contact' })
  @ApiParam({ name: 'format', enum: ['json', 'xml'] })
  @ApiProduces('application/json', 'text/xml')
  @ApiOkResponse({ type: Open311DiscoveryDto, description: 'XML: <discovery><changeset/>…<endpoints><endpoint>…' })
  @ApiErrors({ 404: 'Unknown format: use .json or .xml' })
  discovery(@Param('format') format: string, @Res() res: FastifyReply): void {
    const doc = open311Discovery(this.config.publicUrl, this.config.mailFrom, this.config.nodeEnv === 'production');
    const { contentType, body } = renderOpen311Discovery(doc, formatParam(format));
    res.status(200).type(contentType).send(body);
  }
}
