import { useEffect, useState } from 'preact/hooks';
import { fetchFile } from '../api/client';
import { useI18n } from '../i18n';
import { onThisOrigin, type PhotoRef } from './photo-list';

/** An object URL for a file fetched with the bearer token; revoked when no longer shown. */
function useFileUrl(url: string): { src: string | null; failed: boolean } {
  const [state, setState] = useState<{ src: string | null; failed: boolean }>({ src: null, failed: false });
  useEffect(() => {
    let current = true;
    let objectUrl: string | null = null;
    fetchFile(onThisOrigin(url)).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        if (current) setState({ src: objectUrl, failed: false });
        else URL.revokeObjectURL(objectUrl);
      },
      () => current && setState({ src: null, failed: true }),
    );
    return () => {
      current = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return state;
}

function PrivateThumbnail({ photo, alt }: { photo: PhotoRef; alt: string }) {
  const { t } = useI18n();
  const { src, failed } = useFileUrl(photo.thumbnailUrl);
  if (failed) return <span class="muted">{t('files.unavailable')}</span>;
  // Same size before and after loading: nothing jumps when the bytes arrive.
  return src ? <img src={src} alt={alt} width={160} height={120} /> : <span class="photo-placeholder" aria-busy="true" />;
}

/**
 * Photos that only some people may see (a draft's, for its authors): thumbnails fetched with the
 * token as blob URLs. No link to the full size — a new tab would ask without the token.
 */
export function PrivatePhotoList({ photos, alt }: { photos: readonly PhotoRef[]; alt(n: number): string }) {
  const { t } = useI18n();
  if (photos.length === 0) return null;
  return (
    <>
      <h2>{t('subject.photos')}</h2>
      <ul class="photos" data-testid="photos">
        {photos.map((photo, index) => (
          <li key={photo.id}>
            <PrivateThumbnail photo={photo} alt={alt(index + 1)} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** A button that fetches a private file with the token and saves it under its name. */
export function PrivateDownload({ url, fileName, label }: { url: string; fileName: string; label: string }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState(false);
  async function download() {
    setFailed(false);
    try {
      const objectUrl = URL.createObjectURL(await fetchFile(onThisOrigin(url)));
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = fileName;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      // The download has started from the URL; it may go once the click is handled.
      setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
    } catch {
      setFailed(true);
    }
  }
  return (
    <>
      <button type="button" onClick={() => void download()}>
        {label}
      </button>
      {failed && (
        <span role="alert" class="muted">
          {' '}
          {t('files.unavailable')}
        </span>
      )}
    </>
  );
}
