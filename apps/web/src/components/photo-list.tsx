import { useI18n } from '../i18n';

export interface PhotoRef {
  id: string;
  url: string;
  thumbnailUrl: string;
}

/** Photo URLs are absolute on PUBLIC_URL; the app is served by that same API, so take the path. */
export function onThisOrigin(url: string): string {
  const parsed = new URL(url, location.origin);
  return parsed.pathname + parsed.search;
}

/** A subject's photos as thumbnails linking to the full image; nothing when there are none. */
export function PhotoList({ photos, alt }: { photos: readonly PhotoRef[]; alt(n: number): string }) {
  const { t } = useI18n();
  if (photos.length === 0) return null;
  return (
    <>
      <h2>{t('subject.photos')}</h2>
      <ul class="photos" data-testid="photos">
        {photos.map((photo, index) => (
          <li key={photo.id}>
            <a href={onThisOrigin(photo.url)}>
              <img src={onThisOrigin(photo.thumbnailUrl)} alt={alt(index + 1)} loading="lazy" width={160} height={120} />
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
