import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { AuditLogService, AuditPageDto, AuditQueryDto, PlatformAuditQueryDto, toAuditEntryResponse } from '@app/identity';

@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1')
export class AuditController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get('municipalities/:slug/audit')
  @ApiOperation({ summary: "A municipality's audit trail, newest first (its admins)" })
  @ApiParam({ name: 'slug', example: 'lille' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (limit, cursor, filters)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async forMunicipality(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.auditLog.listForMunicipality(caller, slug, query);
    return { items: page.items.map(toAuditEntryResponse), nextCursor: page.nextCursor };
  }

  @Get('admin/audit')
  @ApiOperation({ summary: 'The whole audit trail, newest first (platform admin)' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (limit, cursor, filters)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not a platform admin' })
  async all(@CurrentUser() caller: AuthUser, @Query() query: PlatformAuditQueryDto): Promise<AuditPageDto> {
    const page = await this.auditLog.listAll(caller, query);
    return { items: page.items.map(toAuditEntryResponse), nextCursor: page.nextCursor };
  }
}
