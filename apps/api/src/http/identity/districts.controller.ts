import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import {
  CreateDistrictDto,
  DistrictPageDto,
  DistrictResponseDto,
  DistrictsService,
  ListDistrictsQueryDto,
  LocateDistrictResponseDto,
  LocateQueryDto,
  toDistrictResponse,
  UpdateDistrictDto,
} from '@app/identity';

@ApiTags('districts')
@Controller('api/v1/municipalities/:slug/districts')
export class DistrictsController {
  constructor(private readonly districts: DistrictsService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a district (municipality admin)' })
  @ApiCreatedResponse({ type: DistrictResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (code, nameFr, nameEn, boundary)' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
  @ApiConflictResponse({ description: 'DISTRICT_CODE_TAKEN' })
  @ApiUnprocessableEntityResponse({ description: "DISTRICT_OUTSIDE_MUNICIPALITY: the boundary is not inside the municipality's" })
  async create(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: CreateDistrictDto): Promise<DistrictResponseDto> {
    return toDistrictResponse(await this.districts.create(caller, slug, dto));
  }

  @Get()
  @Public()
  @ApiOperation({ summary: "A municipality's districts", description: 'Ordered by code, keyset-paginated.' })
  @ApiOkResponse({ type: DistrictPageDto })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async list(@Param('slug') slug: string, @Query() query: ListDistrictsQueryDto): Promise<DistrictPageDto> {
    const page = await this.districts.list(slug, query);
    return { items: page.items.map(toDistrictResponse), nextCursor: page.nextCursor };
  }

  // Declared before `:id` so that "locate" is never read as an id.
  @Get('locate')
  @Public()
  @ApiOperation({ summary: 'Which district of the municipality contains a point' })
  @ApiOkResponse({ type: LocateDistrictResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (lat, lng)' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND, NO_DISTRICT_AT_POINT' })
  async locate(@Param('slug') slug: string, @Query() query: LocateQueryDto): Promise<LocateDistrictResponseDto> {
    return { district: await this.districts.locate(slug, query.lng, query.lat) };
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'A district, with its boundary' })
  @ApiOkResponse({ type: DistrictResponseDto })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND, DISTRICT_NOT_FOUND' })
  async get(@Param('slug') slug: string, @Param('id') id: string): Promise<DistrictResponseDto> {
    return toDistrictResponse(await this.districts.get(slug, id));
  }

  @Patch(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Change a district's code, names or boundary (municipality admin)" })
  @ApiOkResponse({ type: DistrictResponseDto })
  @ApiForbiddenResponse({ description: 'FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'DISTRICT_NOT_FOUND' })
  @ApiConflictResponse({ description: 'DISTRICT_CODE_TAKEN' })
  @ApiUnprocessableEntityResponse({ description: 'DISTRICT_OUTSIDE_MUNICIPALITY' })
  async update(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Param('id') id: string, @Body() dto: UpdateDistrictDto): Promise<DistrictResponseDto> {
    return toDistrictResponse(await this.districts.update(caller, slug, id, dto));
  }

  @Delete(':id')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a district (municipality admin)' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'DISTRICT_NOT_FOUND' })
  async remove(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Param('id') id: string): Promise<void> {
    await this.districts.remove(caller, slug, id);
  }
}
