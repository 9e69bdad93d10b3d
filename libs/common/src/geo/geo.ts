import booleanPointInPolygon from '@turf/boolean-point-in-polygon';

export type Position = [number, number];
export interface GeoPolygon {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface GeoMultiPolygon {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export type AreaGeometry = GeoPolygon | GeoMultiPolygon;

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

/** Bound on vertices of one boundary, so a crafted polygon cannot make every lookup slow. */
export const MAX_BOUNDARY_POSITIONS = 50_000;

function isPosition(value: unknown): value is Position {
  return (
    Array.isArray(value) &&
    (value.length === 2 || value.length === 3) &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    value[0] >= -180 &&
    value[0] <= 180 &&
    value[1] >= -90 &&
    value[1] <= 90
  );
}

function ringProblem(ring: unknown): string | null {
  if (!Array.isArray(ring) || ring.length < 4) return 'each linear ring needs at least 4 positions';
  if (!ring.every(isPosition)) return 'positions must be [longitude, latitude] within range';
  const first = ring[0] as Position;
  const last = ring[ring.length - 1] as Position;
  if (first[0] !== last[0] || first[1] !== last[1]) return 'each linear ring must be closed';
  return null;
}

function polygonProblem(polygon: unknown): string | null {
  if (!Array.isArray(polygon) || polygon.length === 0) return 'a polygon needs at least one ring';
  for (const ring of polygon) {
    const problem = ringProblem(ring);
    if (problem) return problem;
  }
  return null;
}

/** Why a value is not a GeoJSON Polygon/MultiPolygon we accept, or null when it is. */
export function areaGeometryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'must be a GeoJSON object';
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  const keys = Object.keys(value);
  if (keys.some((k) => k !== 'type' && k !== 'coordinates')) return 'only "type" and "coordinates" are allowed';
  if (type !== 'Polygon' && type !== 'MultiPolygon') return 'type must be Polygon or MultiPolygon';
  if (!Array.isArray(coordinates)) return 'coordinates must be an array';
  const polygons = type === 'Polygon' ? [coordinates] : coordinates;
  if (polygons.length === 0) return 'a MultiPolygon needs at least one polygon';
  let count = 0;
  for (const polygon of polygons) {
    const problem = polygonProblem(polygon);
    if (problem) return problem;
    for (const ring of polygon as Position[][]) count += ring.length;
  }
  if (count > MAX_BOUNDARY_POSITIONS) return `at most ${MAX_BOUNDARY_POSITIONS} positions`;
  return null;
}

export function bboxOf(geometry: AreaGeometry): BBox {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const box = { minLng: Infinity, minLat: Infinity, maxLng: -Infinity, maxLat: -Infinity };
  for (const polygon of polygons) {
    // The outer ring bounds the polygon; holes lie inside it.
    for (const [lng, lat] of polygon[0]) {
      box.minLng = Math.min(box.minLng, lng);
      box.minLat = Math.min(box.minLat, lat);
      box.maxLng = Math.max(box.maxLng, lng);
      box.maxLat = Math.max(box.maxLat, lat);
    }
  }
  return box;
}

export function containsPoint(geometry: AreaGeometry, lng: number, lat: number): boolean {
  return booleanPointInPolygon([lng, lat], geometry);
}

/** PostgreSQL `box` literal for a bbox, as stored in indexed `box` columns. */
export function toPgBox(b: BBox): string {
  return `((${b.minLng},${b.minLat}),(${b.maxLng},${b.maxLat}))`;
}
