import { Inject, Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { NotFoundError } from '../errors/domain.exception';
import { defineErrorMessages } from '../errors/error-catalogue';
import { OpenDataText, OpenDataCell, OpenDataField, OpenDataFormat, OpenDataset, OpenDataTown } from './open-data';
import { OpenDataRegistry } from './open-data.registry';

defineErrorMessages({
  DATASET_NOT_FOUND: { en: 'Dataset not found', fr: 'Jeu de données introuvable' },
});

export class OpenDatasetNotFoundError extends NotFoundError {
  constructor() {
    super('DATASET_NOT_FOUND', 'Dataset');
  }
}

export interface OpenDataDistribution {
  format: OpenDataFormat;
  mediaType: string;
  url: string;
}

export interface OpenDataCatalogueEntry {
  id: string;
  title: OpenDataText;
  description: OpenDataText;
  fields: readonly OpenDataField[];
  licence: { name: string; url: string };
  publisher: string;
  updatedAt: Date | null;
  distributions: OpenDataDistribution[];
}

export interface OpenDataCatalogue {
  municipality: { slug: string; name: string };
  licence: { name: string; url: string };
  datasets: OpenDataCatalogueEntry[];
}

export interface OpenDataDownload {
  filename: string;
  contentType: string;
  stream: Readable;
}

const MEDIA_TYPES: Record<OpenDataFormat, string> = { csv: 'text/csv; charset=utf-8', geojson: 'application/geo+json' };

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return hiding one) as a
 * formula: such text cells get a leading apostrophe (OWASP "CSV injection"). Numbers are left
 * alone, so -3.05 stays a longitude.
 */
export function neutraliseCsvCell(value: OpenDataCell): string | number {
  if (value === null) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * A town's open-data catalogue and its files, for every registered dataset: CSV (UTF-8 with a
 * byte-order mark, so spreadsheets read French accents right) and GeoJSON (RFC 7946), both
 * streamed page by page as the client reads.
 */
@Injectable()
export class OpenDataService {
  private readonly logger = new Logger(OpenDataService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: OpenDataRegistry,
  ) {}

  async catalogue(town: OpenDataTown): Promise<OpenDataCatalogue> {
    const licence = { name: this.config.openData.licenceName, url: this.config.openData.licenceUrl };
    const base = `${this.config.publicUrl}/api/v1/municipalities/${town.slug}/open-data`;
    const datasets = await Promise.all(
      this.registry.all().map(async (d) => ({
        id: d.id,
        title: d.title,
        description: d.description,
        fields: d.fields,
        licence,
        publisher: town.name,
        updatedAt: await d.updatedAt(town),
        distributions: formatsOf(d).map((format) => ({ format, mediaType: MEDIA_TYPES[format], url: `${base}/${d.id}.${format}` })),
      })),
    );
    return { municipality: { slug: town.slug, name: town.name }, licence, datasets };
  }

  /** `file` is `<dataset>.<format>`, e.g. `reports.csv`. */
  download(town: OpenDataTown, file: string): OpenDataDownload {
    const dot = file.lastIndexOf('.');
    const dataset = dot > 0 ? this.registry.find(file.slice(0, dot)) : null;
    const format = file.slice(dot + 1) as OpenDataFormat;
    if (!dataset || !formatsOf(dataset).includes(format)) throw new OpenDatasetNotFoundError();
    const stream = format === 'csv' ? this.csv(town, dataset) : Readable.from(geojsonChunks(dataset, town));
    return { filename: `${dataset.id}-${town.slug}.${format}`, contentType: MEDIA_TYPES[format], stream };
  }

  private csv(town: OpenDataTown, dataset: OpenDataset): Readable {
    const csv = stringify({ bom: true, header: true, columns: dataset.fields.map((f) => f.name), record_delimiter: 'windows' });
    const out = new PassThrough();
    pipeline(Readable.from(cells(dataset, town)), csv, out, (error) => {
      if (error) this.logger.error({ err: error }, `Open data ${dataset.id} of ${town.slug} stopped: ${error.message}`);
    });
    return out;
  }
}

function formatsOf(dataset: OpenDataset): OpenDataFormat[] {
  return dataset.point ? ['csv', 'geojson'] : ['csv'];
}

async function* cells(dataset: OpenDataset, town: OpenDataTown): AsyncGenerator<Array<string | number>> {
  for await (const row of dataset.rows(town)) yield row.map(neutraliseCsvCell);
}

/** A FeatureCollection written feature by feature: the point fields become the geometry. */
async function* geojsonChunks(dataset: OpenDataset, town: OpenDataTown): AsyncGenerator<string> {
  const names = dataset.fields.map((f) => f.name);
  const lngAt = names.indexOf(dataset.point!.lng);
  const latAt = names.indexOf(dataset.point!.lat);
  yield '{"type":"FeatureCollection","features":[';
  let first = true;
  for await (const row of dataset.rows(town)) {
    const properties: Record<string, OpenDataCell> = {};
    names.forEach((name, i) => {
      if (i !== lngAt && i !== latAt) properties[name] = row[i];
    });
    const feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [row[lngAt], row[latAt]] }, properties };
    yield (first ? '' : ',') + JSON.stringify(feature);
    first = false;
  }
  yield ']}';
}
