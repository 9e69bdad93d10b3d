import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { ApiKeyResponseDto, ApiKeysService, CreateApiKeyDto, CreatedApiKeyResponseDto } from '@app/reports';
import { UuidParam } from '../../common/uuid-param';

@ApiTags('open311')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
@ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
@ApiParam({ name: 'slug', example: 'lille' })
@Controller('api/v1/municipalities/:slug/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Issue an Open311 API key (municipality admin); the key is shown once, only its SHA-256 is kept' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (name)' })
  create(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: CreateApiKeyDto) {
    return this.apiKeys.create(caller, slug, dto);
  }

  @Get()
  @ApiOperation({ summary: "The municipality's Open311 API keys, revoked ones included (never the keys themselves)" })
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  list(@CurrentUser() caller: AuthUser, @Param('slug') slug: string) {
    return this.apiKeys.list(caller, slug);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API key at once (idempotent)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'API_KEY_NOT_FOUND or MUNICIPALITY_NOT_FOUND' })
  async revoke(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @UuidParam('id') id: string): Promise<void> {
    await this.apiKeys.revoke(caller, slug, id);
  }
}
