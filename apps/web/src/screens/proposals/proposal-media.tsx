import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAsync } from '../../components/async';
import { onThisOrigin, PhotoList } from '../../components/photo-list';
import { PrivateDownload, PrivatePhotoList } from '../../components/private-files';
import { useI18n } from '../../i18n';

/** What a file input gives, sent as the API's one multipart field. */
function multipart(field: string, file: File) {
  const form = new FormData();
  form.append(field, file, file.name);
  return { body: form as never, bodySerializer: (body: unknown) => body as FormData };
}

/**
 * A proposal's photos and documents (media): everyone sees them while it is public; its authors
 * add them (the API says who may, and refuses forged or oversized files with a clear code).
 * Out of public view (a draft, held, hidden) the files are served to its authors and staff only,
 * so they are fetched with the token (`isPublic` false) rather than by plain `<img>` and links.
 */
export function ProposalMedia({ proposalId, mayAdd, isPublic }: { proposalId: string; mayAdd: boolean; isPublic: boolean }) {
  const { t } = useI18n();
  const path = { params: { path: { collection: 'proposals', id: proposalId } } };
  const photos = useAsync(async () => unwrap(await api.GET('/api/v1/{collection}/{id}/photos', path)), [proposalId]);
  const documents = useAsync(async () => unwrap(await api.GET('/api/v1/{collection}/{id}/documents', path)), [proposalId]);
  const [error, setError] = useState<string | null>(null);

  const add = async (kind: 'photo' | 'document', input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    try {
      if (kind === 'photo') {
        const photo = unwrap(await api.POST('/api/v1/{collection}/{id}/photos', { ...path, ...multipart('photo', file) }));
        photos.set((list) => [...(list ?? []), photo]);
      } else {
        const doc = unwrap(await api.POST('/api/v1/{collection}/{id}/documents', { ...path, ...multipart('document', file) }));
        documents.set((list) => [...(list ?? []), doc]);
      }
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      input.value = '';
    }
  };

  return (
    <>
      {isPublic ? (
        <PhotoList photos={photos.data ?? []} alt={(n) => t('proposal.photoAlt', { n })} />
      ) : (
        <PrivatePhotoList photos={photos.data ?? []} alt={(n) => t('proposal.photoAlt', { n })} />
      )}
      {(documents.data?.length ?? 0) > 0 && (
        <section aria-labelledby="documents-title">
          <h2 id="documents-title">{t('proposal.documents')}</h2>
          <ul class="list" data-testid="documents">
            {documents.data!.map((d) => (
              <li key={d.id} class="item">
                {isPublic ? (
                  <a href={onThisOrigin(d.url)} download={d.fileName}>
                    {t('proposal.document.download', { name: d.fileName, size: Math.max(1, Math.round(d.bytes / 1024)) })}
                  </a>
                ) : (
                  <PrivateDownload url={d.url} fileName={d.fileName} label={t('proposal.document.download', { name: d.fileName, size: Math.max(1, Math.round(d.bytes / 1024)) })} />
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {!isPublic && (photos.data?.length || documents.data?.length) ? <p class="muted">{t('proposal.document.privateHint')}</p> : null}
      {mayAdd && (
        <div class="stack">
          <label>
            {t('proposal.addPhoto')}
            <input type="file" accept="image/jpeg,image/png,image/webp" onChange={(e) => void add('photo', e.currentTarget as HTMLInputElement)} />
          </label>
          <label>
            {t('proposal.addDocument')}
            <input type="file" accept="application/pdf,image/jpeg,image/png,image/webp" onChange={(e) => void add('document', e.currentTarget as HTMLInputElement)} />
          </label>
          {error && (
            <p role="alert" class="notice notice-error">
              {error}
            </p>
          )}
        </div>
      )}
    </>
  );
}
