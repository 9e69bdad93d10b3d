import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
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
import {
  FindPersonDto,
  ListResidentsQueryDto,
  PeopleDirectoryService,
  PersonFoundResponseDto,
  ResidentMatchListDto,
  ResidentPageDto,
  SearchResidentsDto,
  toPersonFoundResponse,
  toResidentMatchList,
  toResidentResponse,
} from '@app/identity';

@ApiTags('municipalities')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@ApiParam({ name: 'slug', example: 'lille' })
@Controller('api/v1/municipalities/:slug')
export class PeopleController {
  constructor(private readonly people: PeopleDirectoryService) {}

  // POST, not GET: the address stays out of URLs, and so out of access logs.
  @Post('people/lookup')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Find a person by exact e-mail, to grant a role or verify residency (municipality admin)',
    description: 'Answers the id, the name, the roles here and the residency here; nothing else. Every lookup is audited (person.looked_up).',
  })
  @ApiOkResponse({ type: PersonFoundResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (email)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND or USER_NOT_FOUND' })
  async lookup(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: FindPersonDto): Promise<PersonFoundResponseDto> {
    return toPersonFoundResponse(await this.people.findByEmail(caller, slug, dto.email));
  }

  // POST for the same reason: a name or an address fragment stays out of URLs.
  @Post('residents/search')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Find the town's verified residents by a fragment of name or address, for a paper ballot (municipality staff or admin)",
    description: 'Answers at most 10 residents of this town, id and display name only (no address, no roles), and whether more match. Every search is audited (resident.searched, with the count, without the fragment).',
  })
  @ApiOkResponse({ type: ResidentMatchListDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (q: 3 to 100 characters)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not staff or an admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async searchResidents(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: SearchResidentsDto): Promise<ResidentMatchListDto> {
    return toResidentMatchList(await this.people.searchResidents(caller, slug, dto.q));
  }

  @Get('residents')
  @ApiOperation({ summary: "The municipality's verified residents, newest first (municipality admin)" })
  @ApiOkResponse({ type: ResidentPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (limit, cursor)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async residents(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Query() query: ListResidentsQueryDto): Promise<ResidentPageDto> {
    const page = await this.people.listResidents(caller, slug, query);
    return { items: page.items.map(toResidentResponse), nextCursor: page.nextCursor };
  }
}
