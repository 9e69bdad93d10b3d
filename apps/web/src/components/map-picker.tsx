import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'preact/hooks';
import { mapTileUrl } from '../config';

export interface Point {
  lat: number;
  lng: number;
}

/**
 * A Leaflet map: tiles from MAP_TILE_URL (none configured: a plain map that still takes clicks),
 * a circle on `value`, `onPick` on a click. Markers are SVG circles, so no marker images to serve.
 */
export function MapPicker(props: { value: Point | null; onPick?: (point: Point) => void; boundary?: GeoJSON.Geometry | object | null; label: string; markers?: Point[] }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const marker = useRef<L.CircleMarker | null>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;

  useEffect(() => {
    if (!container.current) return;
    const instance = L.map(container.current, { zoomControl: true, attributionControl: true });
    const tiles = mapTileUrl();
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: '© OpenStreetMap' }).addTo(instance);
    // The town's boundary keeps the map readable without tiles, and shows where reports are taken.
    if (props.boundary) {
      const outline = L.geoJSON(props.boundary as GeoJSON.Geometry, { style: { color: '#1d4e89', weight: 2, fillOpacity: 0.05 }, interactive: false }).addTo(instance);
      instance.fitBounds(outline.getBounds());
    } else instance.setView(props.value ?? { lat: 50.63, lng: 3.06 }, 15);
    instance.on('click', (event: L.LeafletMouseEvent) => pick.current?.({ lat: event.latlng.lat, lng: event.latlng.lng }));
    for (const point of props.markers ?? []) L.circleMarker(point, { radius: 6, color: '#555' }).addTo(instance);
    map.current = instance;
    return () => instance.remove();
    // The map is built once; value changes move the marker below.
  }, []);

  useEffect(() => {
    if (!map.current) return;
    if (!props.value) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    if (marker.current) marker.current.setLatLng(props.value);
    else marker.current = L.circleMarker(props.value, { radius: 10, color: '#b3261e', weight: 3, fillOpacity: 0.6 }).addTo(map.current);
  }, [props.value?.lat, props.value?.lng]);

  // Keyboard: the arrows pan (Leaflet), Enter or Space places the point at the map's centre. The
  // container is focusable and listens from its first render: Leaflet makes it focusable and binds
  // its keys only once built, so a map focused before that ignored Enter (a browser test met it).
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.key !== 'Enter' && event.key !== ' ') || event.target !== container.current || !map.current) return;
    event.preventDefault();
    const centre = map.current.getCenter();
    pick.current?.({ lat: centre.lat, lng: centre.lng });
  };
  return <div ref={container} class="map" role="application" aria-label={props.label} data-testid="map" tabIndex={0} onKeyDown={onKeyDown} />;
}
