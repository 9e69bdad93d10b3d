import { Injectable } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { OPEN_DATA_PROVIDER, OpenDataProvider, OpenDataset } from './open-data';

const DATASET_ID = /^[a-z][a-z0-9-]{0,59}$/;
const FIELD_NAME = /^[a-z][a-z0-9_]{0,59}$/;

/** A misconfigured dataset: the app refuses to start rather than publish something ambiguous. */
export class OpenDataRegistrationError extends Error {}

/** Checks and indexes datasets by id; two with one id, or a GeoJSON point naming no field, is a bug. */
export function buildOpenDataIndex(datasets: ReadonlyArray<{ owner: string; dataset: OpenDataset }>): Map<string, OpenDataset> {
  const index = new Map<string, OpenDataset & { owner?: string }>();
  const owners = new Map<string, string>();
  for (const { owner, dataset } of datasets) {
    if (!DATASET_ID.test(dataset.id)) throw new OpenDataRegistrationError(`Dataset id "${dataset.id}" of ${owner} must match ${DATASET_ID}`);
    const first = owners.get(dataset.id);
    if (first) throw new OpenDataRegistrationError(`Dataset "${dataset.id}" is published by both ${first} and ${owner}`);
    const names = dataset.fields.map((f) => f.name);
    for (const name of names) if (!FIELD_NAME.test(name)) throw new OpenDataRegistrationError(`Field "${name}" of dataset ${dataset.id} must match ${FIELD_NAME}`);
    if (new Set(names).size !== names.length) throw new OpenDataRegistrationError(`Dataset ${dataset.id} names a field twice`);
    if (dataset.point && !(names.includes(dataset.point.lng) && names.includes(dataset.point.lat))) {
      throw new OpenDataRegistrationError(`Dataset ${dataset.id}: its point must name two of its fields`);
    }
    owners.set(dataset.id, owner);
    index.set(dataset.id, dataset);
  }
  return new Map([...index].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The one registration point of open data: the datasets of every @ProvidesOpenData provider in
 * the application, found once (on first use, when every module is loaded).
 */
@Injectable()
export class OpenDataRegistry {
  private index: Map<string, OpenDataset> | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  all(): OpenDataset[] {
    return [...this.load().values()];
  }

  find(id: string): OpenDataset | null {
    return this.load().get(id) ?? null;
  }

  private load(): Map<string, OpenDataset> {
    if (this.index) return this.index;
    const found: Array<{ owner: string; dataset: OpenDataset }> = [];
    const seen = new Set<unknown>();
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype || seen.has(instance)) continue;
      if (!this.reflector.get(OPEN_DATA_PROVIDER, metatype)) continue;
      seen.add(instance);
      // One provider class imported by two modules is two instances of one publisher: keep the first.
      if (found.some((f) => f.owner === metatype.name)) continue;
      for (const dataset of (instance as OpenDataProvider).datasets()) found.push({ owner: metatype.name, dataset });
    }
    this.index = buildOpenDataIndex(found);
    return this.index;
  }
}
