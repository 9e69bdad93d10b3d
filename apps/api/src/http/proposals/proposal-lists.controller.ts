import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, PreserializedJson, Public } from '@app/common';
import { ListProposalsQueryDto, ProposalFeatureCollectionDto, ProposalListResponseDto, ProposalListService, ProposalPageResponseDto, SimilarQueryDto } from '@app/proposals';

/** The public list, search, map and "similar proposals" of a municipality. */
@ApiTags('proposals')
@Controller('api/v1/municipalities/:slug/proposals')
export class ProposalListsController {
  constructor(private readonly lists: ProposalListService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Public proposals: filters, sorts (newest, most_supported, most_commented, random with a stable seed), search, keyset pages',
    description: 'With `q`, ranked full-text search (French and English, accents ignored) unless a sort is given. `random` answers its `seed`: send it back with the cursor.',
  })
  @ApiOkResponse({ type: ProposalPageResponseDto })
  list(@CurrentUser() caller: AuthUser | undefined, @Param('slug') slug: string, @Query() query: ListProposalsQueryDto): Promise<PreserializedJson<ProposalPageResponseDto>> {
    return this.lists.list(caller ?? null, slug, query);
  }

  @Get('geojson')
  @Public()
  @ApiOperation({ summary: 'Located public proposals as a GeoJSON FeatureCollection (same filters, sorts and cursor as the list)' })
  @ApiOkResponse({ type: ProposalFeatureCollectionDto })
  geojson(@CurrentUser() caller: AuthUser | undefined, @Param('slug') slug: string, @Query() query: ListProposalsQueryDto): Promise<ProposalFeatureCollectionDto> {
    return this.lists.geojson(caller ?? null, slug, query);
  }

  @Get('similar')
  @Public()
  @ApiOperation({ summary: 'The 5 open proposals most similar to a title (and body) about to be written: support one instead of writing a duplicate' })
  @ApiOkResponse({ type: ProposalListResponseDto })
  similar(@CurrentUser() caller: AuthUser | undefined, @Param('slug') slug: string, @Query() query: SimilarQueryDto): Promise<PreserializedJson<ProposalListResponseDto>> {
    return this.lists.similar(caller ?? null, slug, query);
  }
}
