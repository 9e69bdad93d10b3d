import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAsync } from '../../components/async';
import { MapPicker, type Point } from '../../components/map-picker';
import { useI18n } from '../../i18n';
import { useTopics } from './proposal-list';
import { topicName } from './proposal-types';

const TITLE_MAX = 150;
const BODY_MAX = 20_000;

/** What the author writes; the API takes it as is (`POST …/proposals`, `PATCH /proposals/:id`). */
export interface ProposalFields {
  title: string;
  body: string;
  topicId: string;
  location: Point | null;
  districtId: string;
}

export const EMPTY_FIELDS: ProposalFields = { title: '', body: '', topicId: '', location: null, districtId: '' };

/** The body the API takes: a place wins over a district (the API derives the district from it). */
export function toProposalBody(fields: ProposalFields) {
  return {
    title: fields.title.trim(),
    body: fields.body,
    topicId: fields.topicId,
    ...(fields.location ? { location: fields.location } : fields.districtId ? { districtId: fields.districtId } : {}),
  };
}

/**
 * The same for `PATCH /proposals/:id`: a place taken off is sent as `location: null`, and without a
 * place the district chosen (or none: null) is sent too — the API keeps the old district otherwise.
 */
export function toProposalChanges(fields: ProposalFields) {
  const { title, body, topicId } = toProposalBody(fields);
  return { title, body, topicId, ...(fields.location ? { location: fields.location } : { location: null, districtId: fields.districtId || null }) };
}

/**
 * The form to write or edit a proposal: title, Markdown body, topic, and where — a place picked
 * on the map (inside the town's boundary) or, without one, a district. `afterTitle` shows what the
 * title calls for (the similar proposals, when writing one; `onTitleChange` follows the typing).
 * A place picked can be taken off again (editing: saved as `location: null`, the district kept).
 */
export function ProposalForm(props: {
  slug: string;
  initial: ProposalFields;
  submitLabel: string;
  afterTitle?: ComponentChildren;
  onTitleChange?(title: string): void;
  onSubmit(fields: ProposalFields): Promise<void>;
}) {
  const { t, locale } = useI18n();
  const topics = useTopics(props.slug);
  const setup = useAsync(async () => {
    const [town, districts] = await Promise.all([
      api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug: props.slug } } }).then(unwrap),
      api.GET('/api/v1/municipalities/{slug}/districts', { params: { path: { slug: props.slug }, query: { limit: 100 } } }).then(unwrap),
    ]);
    return { boundary: town.boundary ?? null, districts: districts.items };
  }, [props.slug]);
  const [fields, setFields] = useState<ProposalFields>(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<ProposalFields>) => setFields((current) => ({ ...current, ...change }));

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(fields);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }

  const activeTopics = (topics.data ?? []).filter((topic) => topic.active !== false || topic.id === fields.topicId);
  return (
    <form class="stack" onSubmit={(e) => void submit(e)}>
      <label>
        {t('proposal.new.titleField')}
        <input
          value={fields.title}
          required
          minLength={3}
          maxLength={TITLE_MAX}
          onInput={(e) => {
            const title = (e.currentTarget as HTMLInputElement).value;
            set({ title });
            props.onTitleChange?.(title);
          }}
        />
      </label>
      {props.afterTitle}
      <label>
        {t('proposal.new.body')}
        <textarea value={fields.body} required minLength={10} maxLength={BODY_MAX} rows={8} onInput={(e) => set({ body: (e.currentTarget as HTMLTextAreaElement).value })} />
      </label>
      <p class="muted">{t('proposal.new.markdown')}</p>
      <label>
        {t('proposal.topic')}
        <select value={fields.topicId} required onChange={(e) => set({ topicId: (e.currentTarget as HTMLSelectElement).value })}>
          <option value="">{t('proposal.new.chooseTopic')}</option>
          {activeTopics.map((topic) => (
            <option key={topic.id} value={topic.id}>
              {topicName(topic, locale)}
            </option>
          ))}
        </select>
      </label>
      {setup.data && (
        <>
          <p id="proposal-place-hint">{t('proposal.place')}</p>
          <MapPicker value={fields.location} boundary={setup.data.boundary} label={t('proposal.place')} onPick={(location) => set({ location })} />
          {fields.location && (
            <p class="muted" data-testid="place-chosen">
              {t('proposal.placeChosen', { lat: fields.location.lat.toFixed(5), lng: fields.location.lng.toFixed(5) })}{' '}
              <button type="button" onClick={() => set({ location: null })}>
                {t('proposal.placeClear')}
              </button>
            </p>
          )}
          {!fields.location && setup.data.districts.length > 0 && (
            <label>
              {t('proposal.district')}
              <select value={fields.districtId} onChange={(e) => set({ districtId: (e.currentTarget as HTMLSelectElement).value })}>
                <option value="">{t('proposal.noDistrict')}</option>
                {setup.data.districts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {locale === 'en' ? d.nameEn : d.nameFr}
                  </option>
                ))}
              </select>
            </label>
          )}
        </>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}
