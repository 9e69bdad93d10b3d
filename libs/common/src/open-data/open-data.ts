import { SetMetadata } from '@nestjs/common';

/**
 * Open data (a town's catalogue of downloadable datasets, as Issy's Open Data Hub): every
 * library publishes its own datasets through one registration point — a provider marked
 * @ProvidesOpenData() — and the catalogue, the licence and the file formats are built once here.
 * Reports register theirs; proposals, budgets, workshops and surveys will add their own the same way.
 */

export type OpenDataFormat = 'csv' | 'geojson';
export const OPEN_DATA_FORMATS: readonly OpenDataFormat[] = ['csv', 'geojson'];

/** A text in both languages a dataset is described in. */
export interface OpenDataText {
  fr: string;
  en: string;
}

/** A municipality as a dataset sees it. */
export interface OpenDataTown {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: 'fr' | 'en';
}

export type OpenDataCell = string | number | null;

export interface OpenDataField {
  /** The CSV column and GeoJSON property name (snake_case). */
  name: string;
  description: OpenDataText;
}

/**
 * One dataset. Its rows must never carry personal data: no names, no contacts, no free text a
 * person wrote (which may name someone and which staff may have redacted or hidden), nothing out
 * of public view. Each provider says in its README which fields it publishes and why they are safe.
 */
export interface OpenDataset {
  /** Stable, part of the download URL: lowercase letters, digits and dashes. */
  id: string;
  title: OpenDataText;
  description: OpenDataText;
  /** Columns, in order. */
  fields: readonly OpenDataField[];
  /** For GeoJSON: the fields holding each row's WGS84 point (they become the geometry). */
  point?: { lng: string; lat: string };
  /** When its content last changed in this town (null: it has no data yet). */
  updatedAt(town: OpenDataTown): Promise<Date | null>;
  /**
   * The rows, in `fields` order, read a page at a time (keyset pagination): a download pulls the
   * next page only when the client has taken the previous one, so a whole town is never in memory.
   */
  rows(town: OpenDataTown): AsyncIterable<readonly OpenDataCell[]>;
}

export interface OpenDataProvider {
  datasets(): readonly OpenDataset[];
}

export const OPEN_DATA_PROVIDER = Symbol('OPEN_DATA_PROVIDER');

/** Marks a provider whose datasets join every town's open-data catalogue; OpenDataRegistry discovers it. */
export const ProvidesOpenData = (): ClassDecorator => SetMetadata(OPEN_DATA_PROVIDER, true);
