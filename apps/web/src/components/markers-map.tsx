import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'preact/hooks';
import { mapTileUrl } from '../config';
import type { Point } from './map-picker';

/** A box as the reports API takes it: `minLng,minLat,maxLng,maxLat`. */
export type Bbox = string;

/** A circle on the map: red while open (a report to deal with, a proposal taking supports), else green. */
export interface MapMarker {
  id: string;
  location: Point;
  label: string;
  open: boolean;
}

function bboxOf(map: L.Map): Bbox {
  const b = map.getBounds();
  const clamp = (v: number, limit: number) => Math.max(-limit, Math.min(limit, v));
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].map((v) => v.toFixed(5)).join(',');
}

/**
 * Reports or proposals drawn on a Leaflet map (tiles from MAP_TILE_URL, or none: the town's
 * boundary keeps it readable). Every move reports the visible box, so a list beside it can show
 * the same things; the list is the accessible way in (the circles are pointer-only shortcuts to a
 * page).
 */
export function MarkersMap(props: {
  boundary?: GeoJSON.Geometry | object | null;
  markers: MapMarker[];
  label: string;
  centre?: Point | null;
  onMove?(bbox: Bbox): void;
  onOpen(id: string): void;
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!container.current) return;
    const instance = L.map(container.current, { zoomControl: true, attributionControl: true });
    const tiles = mapTileUrl();
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: '© OpenStreetMap' }).addTo(instance);
    if (props.boundary) {
      const outline = L.geoJSON(props.boundary as GeoJSON.Geometry, { style: { color: '#1d4e89', weight: 2, fillOpacity: 0.05 }, interactive: false }).addTo(instance);
      instance.fitBounds(outline.getBounds());
    } else instance.setView(props.centre ?? { lat: 50.63, lng: 3.06 }, 14);
    layer.current = L.layerGroup().addTo(instance);
    // Panning fires a stream of moves: ask for the box once the map rests.
    let timer: ReturnType<typeof setTimeout> | undefined;
    instance.on('moveend', () => {
      clearTimeout(timer);
      timer = setTimeout(() => handlers.current.onMove?.(bboxOf(instance)), 250);
    });
    map.current = instance;
    handlers.current.onMove?.(bboxOf(instance));
    return () => {
      clearTimeout(timer);
      instance.remove();
    };
  }, []);

  useEffect(() => {
    if (map.current && props.centre) map.current.setView(props.centre, Math.max(map.current.getZoom(), 16));
  }, [props.centre?.lat, props.centre?.lng]);

  useEffect(() => {
    const group = layer.current;
    if (!group) return;
    group.clearLayers();
    for (const marker of props.markers) {
      L.circleMarker(marker.location, { radius: 8, color: marker.open ? '#b3261e' : '#2e7d32', weight: 2, fillOpacity: 0.6 })
        .bindTooltip(marker.label)
        .on('click', () => handlers.current.onOpen(marker.id))
        .addTo(group);
    }
  }, [props.markers]);

  return <div ref={container} class="map map-tall" role="application" aria-label={props.label} data-testid={props.testId ?? 'reports-map'} />;
}
