import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Schemas, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { type MessageKey, useI18n } from '../../i18n';

type Announcement = Schemas['AnnouncementDto'];
type AudienceKind = Schemas['AudienceKindDto'];
type Channel = Announcement['channels'][number];
type District = Schemas['DistrictResponseDto'];
/** The audience whose target is one of the town's districts: picked from a list, not typed. */
const DISTRICT_AUDIENCE = 'district.residents';
const CHANNELS: Channel[] = ['in_app', 'email', 'push'];
const STATES = ['pending', 'sending', 'sent', 'skipped', 'failed'] as const;
/** How often a going-out announcement's progress is read again. */
const PROGRESS_MS = 1000;

function stillGoing(a: Announcement): boolean {
  if (a.status === 'cancelled') return false;
  return a.status === 'sending' || (a.progress ? a.progress.pending + a.progress.sending > 0 : true);
}

/** One announcement going out: in-app copies stored, deliveries by state (read every second), and cancelling. */
function Progress({ slug, id }: { slug: string; id: string }) {
  const { t } = useI18n();
  const [dropped, setDropped] = useState<number | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const detail = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}/announcements/{id}', { params: { path: { slug, id } } })), [slug, id]);
  const a = detail.data;
  useEffect(() => {
    if (!a || !stillGoing(a)) return;
    const timer = setTimeout(detail.reload, PROGRESS_MS);
    return () => clearTimeout(timer);
  }, [a]);

  const cancel = async () => {
    setBusy(true);
    setCancelError(null);
    try {
      const result = unwrap(await api.POST('/api/v1/municipalities/{slug}/announcements/{id}/cancel', { params: { path: { slug, id } } }));
      setDropped(result.dropped);
      detail.reload();
    } catch (failure) {
      setCancelError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  if (!a) return detail.error != null ? <Failure error={detail.error} onRetry={detail.reload} /> : <Loading />;
  return (
    <section aria-labelledby="progress-title" class="detail" data-testid="announcement-progress" data-status={a.status}>
      <h2 id="progress-title">
        {t('announce.progress')} — {a.title.fr}
      </h2>
      <p>
        <span class="badge" data-testid="announcement-status">
          {t(`announce.status.${a.status}` as MessageKey)}
        </span>{' '}
        <span data-testid="announcement-recipients">{t('announce.recipients', { done: a.recipients, size: a.audience.size })}</span>
      </p>
      {a.progress && (
        <dl aria-label={t('announce.deliveries')}>
          {STATES.map((state) => (
            <div key={state}>
              <dt>{t(`announce.state.${state}` as MessageKey)}</dt>
              <dd data-testid={`progress-${state}`}>{a.progress![state]}</dd>
            </div>
          ))}
        </dl>
      )}
      {/* Live region: what the cancel did, said once. */}
      <p role="status">{dropped !== null ? t('announce.cancelled', { count: dropped }) : ''}</p>
      {cancelError && (
        <p role="alert" class="notice notice-error">
          {cancelError}
        </p>
      )}
      {stillGoing(a) && (
        <button type="button" disabled={busy} onClick={() => void cancel()}>
          {t('announce.cancel')}
        </button>
      )}
    </section>
  );
}

/** Every district of the town, in code order (the route pages by 100 at most; a town has a few dozen). */
async function allDistricts(slug: string): Promise<District[]> {
  const out: District[] = [];
  let cursor: string | undefined;
  do {
    const page = unwrap(await api.GET('/api/v1/municipalities/{slug}/districts', { params: { path: { slug }, query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** The district audience's target: a list of the town's districts by name, in the reader's language. */
function DistrictPicker({ slug, value, onChange }: { slug: string; value: string; onChange: (id: string) => void }) {
  const { t, locale } = useI18n();
  const districts = useAsync(() => allDistricts(slug), [slug]);
  if (districts.error != null) return <Failure error={districts.error} onRetry={districts.reload} />;
  if (!districts.data) return <Loading />;
  if (districts.data.length === 0) return <p class="muted">{t('announce.noDistricts')}</p>;
  // Labelled by id, not by wrapping: a wrapping label's name would take in the chosen option's text.
  return (
    <div class="stack">
      <label for="announce-district">{t('announce.district')}</label>
      <select id="announce-district" required value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{t('announce.districtChoose')}</option>
        {districts.data.map((d) => (
          <option key={d.id} value={d.id}>
            {locale === 'fr' ? d.nameFr : d.nameEn}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The form: audience (and its target), a preview of its size, the words in both languages, the channels. */
function Composer({ slug, audiences, onSent }: { slug: string; audiences: AudienceKind[]; onSent: (a: Announcement) => void }) {
  const { t, locale } = useI18n();
  const [kind, setKind] = useState(audiences.find((a) => a.kind === 'municipality.residents')?.kind ?? audiences[0]?.kind ?? '');
  const [target, setTarget] = useState('');
  const [size, setSize] = useState<number | null>(null);
  const [text, setText] = useState({ titleFr: '', titleEn: '', bodyFr: '', bodyEn: '' });
  const [channels, setChannels] = useState<Channel[]>(['in_app', 'email']);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = audiences.find((a) => a.kind === kind);
  const audience = () => ({ kind, ...(chosen?.target ? { target: target.trim() } : {}) });
  // A changed audience must be counted again before it is sent.
  useEffect(() => setSize(null), [kind, target]);
  // Another kind's target means nothing here (a panel id is no district).
  useEffect(() => setTarget(''), [kind]);

  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };
  const preview = () =>
    run(async () => setSize(unwrap(await api.POST('/api/v1/municipalities/{slug}/announcements/preview', { params: { path: { slug } }, body: { audience: audience() } })).size));
  const send = () =>
    run(async () => {
      const sent = unwrap(
        await api.POST('/api/v1/municipalities/{slug}/announcements', {
          params: { path: { slug } },
          body: { audience: audience(), title: { fr: text.titleFr, en: text.titleEn }, body: { fr: text.bodyFr, en: text.bodyEn }, channels },
        }),
      );
      setText({ titleFr: '', titleEn: '', bodyFr: '', bodyEn: '' });
      setSize(null);
      onSent(sent);
    });
  const field = (key: keyof typeof text, label: MessageKey, multiline: boolean, max: number) => (
    <label>
      {t(label)}
      {multiline ? (
        <textarea rows={4} required maxLength={max} value={text[key]} onInput={(e) => setText({ ...text, [key]: (e.currentTarget as HTMLTextAreaElement).value })} />
      ) : (
        <input type="text" required maxLength={max} value={text[key]} onInput={(e) => setText({ ...text, [key]: (e.currentTarget as HTMLInputElement).value })} />
      )}
    </label>
  );
  const complete = Object.values(text).every((v) => v.trim()) && channels.length > 0;

  return (
    <form
      class="stack"
      aria-labelledby="compose-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (size !== null && complete) void send();
      }}
    >
      <h2 id="compose-title">{t('announce.compose')}</h2>
      <label>
        {t('announce.audience')}
        <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)}>
          {audiences.map((a) => (
            <option key={a.kind} value={a.kind}>
              {a.label[locale]}
            </option>
          ))}
        </select>
      </label>
      {chosen?.target && kind === DISTRICT_AUDIENCE && <DistrictPicker slug={slug} value={target} onChange={setTarget} />}
      {chosen?.target && kind !== DISTRICT_AUDIENCE && (
        <label>
          {t('announce.target', { what: chosen.target })}
          <input type="text" required maxLength={100} value={target} aria-describedby="target-hint" onInput={(e) => setTarget((e.currentTarget as HTMLInputElement).value)} />
          <span id="target-hint" class="muted">
            {t('announce.targetHint')}
          </span>
        </label>
      )}
      <div>
        <button type="button" disabled={busy || (!!chosen?.target && !target.trim())} onClick={() => void preview()}>
          {t('announce.preview')}
        </button>{' '}
        <span role="status" data-testid="audience-size">
          {size === null ? '' : size === 0 ? t('announce.sizeNone') : t('announce.size', { count: size })}
        </span>
      </div>
      {field('titleFr', 'announce.titleFr', false, 200)}
      {field('titleEn', 'announce.titleEn', false, 200)}
      {field('bodyFr', 'announce.bodyFr', true, 2000)}
      {field('bodyEn', 'announce.bodyEn', true, 2000)}
      <fieldset>
        <legend>{t('announce.channels')}</legend>
        {CHANNELS.map((channel) => (
          <label key={channel} class="inline">
            <input
              type="checkbox"
              checked={channels.includes(channel)}
              onChange={(e) => setChannels((e.currentTarget as HTMLInputElement).checked ? [...channels, channel] : channels.filter((c) => c !== channel))}
            />{' '}
            {t(`announce.channel.${channel}` as MessageKey)}
          </label>
        ))}
        <p class="muted">{t('announce.channelsHint')}</p>
      </fieldset>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      {size === null && <p class="muted">{t('announce.previewFirst')}</p>}
      <button type="submit" disabled={busy || size === null || size === 0 || !complete}>
        {busy ? t('announce.sending') : t('announce.send', { count: size ?? 0 })}
      </button>
    </form>
  );
}

/** Staff of a town (desktop): compose an announcement, preview its audience, send it, watch it go out, cancel it. */
export function AnnouncementsScreen({ slug }: { slug: string }) {
  const { t, locale } = useI18n();
  const [watching, setWatching] = useState<string | null>(null);
  const town = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug } } })), [slug]);
  const audiences = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}/announcements/audiences', { params: { path: { slug } } })), [slug]);
  const recent = useAsync(
    async () => unwrap(await api.GET('/api/v1/municipalities/{slug}/announcements', { params: { path: { slug }, query: { limit: 10 } } })).items,
    [slug, watching],
  );

  if (audiences.error instanceof ApiError && (audiences.error.status === 403 || audiences.error.status === 401)) {
    return (
      <p role="alert" class="notice notice-error">
        {t('announce.forbidden')}
      </p>
    );
  }
  return (
    <section aria-labelledby="announcements-title">
      <h1 id="announcements-title">{t('announce.title', { town: town.data?.name ?? slug })}</h1>
      {audiences.loading && !audiences.data && <Loading />}
      {audiences.error != null && <Failure error={audiences.error} onRetry={audiences.reload} />}
      {audiences.data && <Composer slug={slug} audiences={audiences.data} onSent={(a) => setWatching(a.id)} />}
      {watching && <Progress key={watching} slug={slug} id={watching} />}
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t('announce.recent')}</h2>
        {recent.data?.length === 0 && <p>{t('announce.none')}</p>}
        <ul class="list" data-testid="recent-announcements">
          {recent.data?.map((a) => (
            <li key={a.id} class="item">
              <strong>{locale === 'fr' ? a.title.fr : a.title.en}</strong>{' '}
              <span class="badge">{t(`announce.status.${a.status}` as MessageKey)}</span>{' '}
              <span class="muted">{t('announce.when', { when: new Date(a.createdAt).toLocaleString(locale) })}</span>{' '}
              {a.id !== watching && (
                <button type="button" class="link" aria-label={`${t('announce.watch')} — ${locale === 'fr' ? a.title.fr : a.title.en}`} onClick={() => setWatching(a.id)}>
                  {t('announce.watch')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
