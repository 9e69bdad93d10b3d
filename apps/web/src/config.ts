/** Server configuration written into the shell's meta tags (no inline script under the CSP). */
export function mapTileUrl(): string | null {
  return document.querySelector<HTMLMetaElement>('meta[name="map-tile-url"]')?.content || null;
}
