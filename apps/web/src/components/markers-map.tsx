import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'preact/hooks';
import { mapTileUrl } from '../config';
import type { Point } from './map-picker';

/** A box as the reports API takes it: `minLng,minLat,maxLng,maxLat`. */
export type Bbox = string;

export interface MapReport {
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
 * Reports drawn on a Leaflet map (tiles from MAP_TILE_URL, or none: the town's boundary keeps it
 * readable). Every move reports the visible box, so the list beside it shows the same reports;
 * the list is the accessible way in (the circles are pointer-only shortcuts to a report's page).
 */
export function ReportsMap(props: {
  boundary?: GeoJSON.Geometry | object | null;
  reports: MapReport[];
  label: string;
  centre?: Point | null;
  onMove(bbox: Bbox): void;
  onOpen(id: string): void;
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
      timer = setTimeout(() => handlers.current.onMove(bboxOf(instance)), 250);
    });
    map.current = instance;
    handlers.current.onMove(bboxOf(instance));
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
    for (const report of props.reports) {
      L.circleMarker(report.location, { radius: 8, color: report.open ? '#b3261e' : '#2e7d32', weight: 2, fillOpacity: 0.6 })
        .bindTooltip(report.label)
        .on('click', () => handlers.current.onOpen(report.id))
        .addTo(group);
    }
  }, [props.reports]);

  return <div ref={container} class="map map-tall" role="application" aria-label={props.label} data-testid="reports-map" />;
}
