import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { OpenDataCatalogue, OpenDataService, OpenDataTown, Public } from '@app/common';
import { MunicipalitiesService } from '@app/identity';
import type { FastifyReply } from 'fastify';

/** Datasets are built from live data; shared caches may keep them a few minutes. */
const OPEN_DATA_MAX_AGE_S = 300;

class LocalizedTextDto {
  @ApiProperty()
  fr: string;

  @ApiProperty()
  en: string;
}

class LicenceDto {
  @ApiProperty({ example: 'Licence Ouverte 2.0' })
  name: string;

  @ApiProperty({ example: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' })
  url: string;
}

class OpenDataFieldDto {
  @ApiProperty({ example: 'status' })
  name: string;

  @ApiProperty({ type: LocalizedTextDto })
  description: LocalizedTextDto;
}

class OpenDataDistributionDto {
  @ApiProperty({ enum: ['csv', 'geojson'] })
  format: string;

  @ApiProperty({ example: 'text/csv; charset=utf-8' })
  mediaType: string;

  @ApiProperty({ example: 'https://civic.example/api/v1/municipalities/lille/open-data/reports.csv' })
  url: string;
}

class OpenDatasetDto {
  @ApiProperty({ example: 'reports' })
  id: string;

  @ApiProperty({ type: LocalizedTextDto })
  title: LocalizedTextDto;

  @ApiProperty({ type: LocalizedTextDto })
  description: LocalizedTextDto;

  @ApiProperty({ type: [OpenDataFieldDto] })
  fields: OpenDataFieldDto[];

  @ApiProperty({ type: LicenceDto })
  licence: LicenceDto;

  @ApiProperty({ example: 'Lille' })
  publisher: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last change of its content in this town' })
  updatedAt: Date | null;

  @ApiProperty({ type: [OpenDataDistributionDto] })
  distributions: OpenDataDistributionDto[];
}

class OpenDataMunicipalityDto {
  @ApiProperty({ example: 'lille' })
  slug: string;

  @ApiProperty({ example: 'Lille' })
  name: string;
}

class OpenDataCatalogueDto {
  @ApiProperty({ type: OpenDataMunicipalityDto })
  municipality: OpenDataMunicipalityDto;

  @ApiProperty({ type: LicenceDto })
  licence: LicenceDto;

  @ApiProperty({ type: [OpenDatasetDto] })
  datasets: OpenDatasetDto[];
}

/** A town's open data: the catalogue and its files, public and without personal data. */
@ApiTags('open data')
@ApiParam({ name: 'slug', example: 'lille' })
@Controller('api/v1/municipalities/:slug/open-data')
export class OpenDataController {
  constructor(
    private readonly municipalities: MunicipalitiesService,
    private readonly openData: OpenDataService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "The town's downloadable datasets, each with its licence, description (fr/en), update date and download URLs" })
  @ApiOkResponse({ type: OpenDataCatalogueDto })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async catalogue(@Param('slug') slug: string, @Res({ passthrough: true }) res: FastifyReply): Promise<OpenDataCatalogue> {
    const catalogue = await this.openData.catalogue(await this.town(slug));
    res.header('Cache-Control', `public, max-age=${OPEN_DATA_MAX_AGE_S}`);
    return catalogue;
  }

  @Get(':file')
  @Public()
  @ApiOperation({
    summary: 'One dataset as a file: `<dataset>.csv` (UTF-8 with BOM, header row) or `<dataset>.geojson` (RFC 7946 FeatureCollection)',
    description: 'Streamed page by page. The catalogue lists each dataset\'s formats and URLs.',
  })
  @ApiParam({ name: 'file', example: 'reports.csv' })
  @ApiProduces('text/csv', 'application/geo+json')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND, DATASET_NOT_FOUND (unknown dataset or format)' })
  async download(@Param('slug') slug: string, @Param('file') file: string, @Res({ passthrough: true }) res: FastifyReply): Promise<StreamableFile> {
    const { filename, contentType, stream } = this.openData.download(await this.town(slug), file);
    res.header('Cache-Control', `public, max-age=${OPEN_DATA_MAX_AGE_S}`);
    // Others' sites and notebooks fetch open data directly.
    res.header('Access-Control-Allow-Origin', '*');
    return new StreamableFile(stream, { type: contentType, disposition: `attachment; filename="${filename}"` });
  }

  private async town(slug: string): Promise<OpenDataTown> {
    const m = await this.municipalities.requireBySlug(slug);
    return { id: m.id, slug: m.slug, name: m.name, timezone: m.timezone, locale: m.locale };
  }
}
