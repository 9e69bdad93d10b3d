import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import {
  CreateMunicipalityDto,
  ListMunicipalitiesQueryDto,
  LocateQueryDto,
  LocateResponseDto,
  MunicipalitiesService,
  MunicipalityPageDto,
  MunicipalityResponseDto,
  toMunicipalityResponse,
  toMunicipalitySummary,
  UpdateMunicipalityDto,
} from '@app/identity';

@ApiTags('municipalities')
@Controller('api/v1/municipalities')
export class MunicipalitiesController {
  constructor(private readonly municipalities: MunicipalitiesService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a municipality (platform admin)' })
  @ApiCreatedResponse({ type: MunicipalityResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details name the fields (slug, timezone, boundary...)' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not a platform admin' })
  @ApiConflictResponse({ description: 'MUNICIPALITY_SLUG_TAKEN' })
  async create(@CurrentUser() caller: AuthUser, @Body() dto: CreateMunicipalityDto): Promise<MunicipalityResponseDto> {
    return toMunicipalityResponse(await this.municipalities.create(caller, dto));
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'List municipalities', description: 'Ordered by slug, keyset-paginated; `q` keeps the towns whose name contains it (accents and case aside); boundaries are summarised by their bounding box.' })
  @ApiOkResponse({ type: MunicipalityPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (limit, cursor, q)' })
  async list(@Query() query: ListMunicipalitiesQueryDto): Promise<MunicipalityPageDto> {
    const page = await this.municipalities.list(query);
    return { items: page.items.map(toMunicipalitySummary), nextCursor: page.nextCursor };
  }

  // Declared before `:slug` so that "locate" is never read as a slug.
  @Get('locate')
  @Public()
  @ApiOperation({ summary: 'Which municipality contains a point', description: 'Used to route a report to the right town.' })
  @ApiOkResponse({ type: LocateResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (lat, lng)' })
  @ApiNotFoundResponse({ description: 'NO_MUNICIPALITY_AT_POINT' })
  async locate(@Query() query: LocateQueryDto): Promise<LocateResponseDto> {
    return { municipality: toMunicipalitySummary(await this.municipalities.locate(query.lng, query.lat)) };
  }

  @Get(':slug')
  @Public()
  @ApiOperation({ summary: 'A municipality, with its boundary' })
  @ApiParam({ name: 'slug', example: 'lille' })
  @ApiOkResponse({ type: MunicipalityResponseDto })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async get(@Param('slug') slug: string): Promise<MunicipalityResponseDto> {
    return toMunicipalityResponse(await this.municipalities.getBySlug(slug));
  }

  @Patch(':slug')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Change a municipality's name, time zone, locale or boundary (its admin or the platform admin)" })
  @ApiParam({ name: 'slug', example: 'lille' })
  @ApiOkResponse({ type: MunicipalityResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async update(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: UpdateMunicipalityDto): Promise<MunicipalityResponseDto> {
    return toMunicipalityResponse(await this.municipalities.update(caller, slug, dto));
  }
}
