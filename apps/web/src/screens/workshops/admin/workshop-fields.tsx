import type { Schemas } from '../../../api/client';
import { useI18n } from '../../../i18n';
import type { Workshop } from '../workshop-format';

export type Member = Schemas['MembershipResponseDto'];
type Format = Workshop['format'];

/** A workshop's own fields as the form holds them. */
export interface WorkshopDraft {
  titleFr: string;
  titleEn: string;
  descriptionFr: string;
  descriptionEn: string;
  topic: string;
  format: Format;
  onlineUrl: string;
  facilitatorIds: string[];
  offerHours: string;
  /** Empty: no limit. */
  maxNoShows: string;
}

export const EMPTY_WORKSHOP: WorkshopDraft = { titleFr: '', titleEn: '', descriptionFr: '', descriptionEn: '', topic: '', format: 'in_person', onlineUrl: '', facilitatorIds: [], offerHours: '24', maxNoShows: '' };

export function workshopDraftOf(w: Workshop): WorkshopDraft {
  return {
    titleFr: w.title.fr,
    titleEn: w.title.en,
    descriptionFr: w.description.fr,
    descriptionEn: w.description.en,
    topic: w.topic,
    format: w.format,
    onlineUrl: w.onlineUrl ?? '',
    facilitatorIds: w.facilitatorIds,
    offerHours: String(w.offerHours),
    maxNoShows: w.maxNoShows == null ? '' : String(w.maxNoShows),
  };
}

/** The body shared by creating and changing a workshop; facilitators only when the reader chose them. */
export function workshopBody(d: WorkshopDraft, chooseFacilitators: boolean) {
  return {
    title: { fr: d.titleFr.trim(), en: d.titleEn.trim() },
    description: { fr: d.descriptionFr, en: d.descriptionEn },
    topic: d.topic.trim(),
    format: d.format,
    ...(d.format !== 'in_person' && d.onlineUrl.trim() ? { onlineUrl: d.onlineUrl.trim() } : {}),
    ...(chooseFacilitators && d.facilitatorIds.length ? { facilitatorIds: d.facilitatorIds } : {}),
    offerHours: Number(d.offerHours),
    // Emptied: the limit is removed (null), not left as it was.
    maxNoShows: d.maxNoShows.trim() === '' ? null : Number(d.maxNoShows),
  };
}

const FORMATS: Format[] = ['in_person', 'online', 'hybrid'];

/**
 * Title and description in both languages, topic, format and its link, facilitators (the town's
 * people with the facilitator role, when the reader may list them: staff), how long a freed
 * seat is held for the next waiting person, and how many missed sessions bar a person.
 */
export function WorkshopFields(props: { draft: WorkshopDraft; facilitators: Member[] | null; onChange: (d: WorkshopDraft) => void }) {
  const { t } = useI18n();
  const { draft: d } = props;
  const set = (field: keyof WorkshopDraft) => (e: Event) => props.onChange({ ...d, [field]: (e.currentTarget as HTMLInputElement).value });
  const toggle = (userId: string, on: boolean) => props.onChange({ ...d, facilitatorIds: on ? [...d.facilitatorIds, userId] : d.facilitatorIds.filter((id) => id !== userId) });
  return (
    <>
      <div class="filters-inline">
        <label>
          {t('workshopAdmin.field.titleFr')}
          <input required maxLength={200} lang="fr" value={d.titleFr} onInput={set('titleFr')} />
        </label>
        <label>
          {t('workshopAdmin.field.titleEn')}
          <input required maxLength={200} lang="en" value={d.titleEn} onInput={set('titleEn')} />
        </label>
      </div>
      <label>
        {t('workshopAdmin.field.descriptionFr')}
        <textarea rows={3} maxLength={10000} lang="fr" value={d.descriptionFr} onInput={set('descriptionFr')} />
      </label>
      <label>
        {t('workshopAdmin.field.descriptionEn')}
        <textarea rows={3} maxLength={10000} lang="en" value={d.descriptionEn} onInput={set('descriptionEn')} />
      </label>
      <div class="filters-inline">
        <div class="stack">
          <label>
            {t('workshopAdmin.field.topic')}
            <input required maxLength={40} pattern="[a-z0-9][a-z0-9\-]*" aria-describedby="topic-hint" value={d.topic} onInput={set('topic')} />
          </label>
          <span id="topic-hint" class="muted">
            {t('workshopAdmin.field.topicHint')}
          </span>
        </div>
        <label>
          {t('workshopAdmin.field.format')}
          <select value={d.format} onChange={set('format')}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`workshop.format.${f}`)}
              </option>
            ))}
          </select>
        </label>
        {d.format !== 'in_person' && (
          <label>
            {t('workshopAdmin.field.onlineUrl')}
            <input type="url" required maxLength={500} placeholder="https://" value={d.onlineUrl} onInput={set('onlineUrl')} />
          </label>
        )}
        <label>
          {t('workshopAdmin.field.offerHours')}
          <input type="number" required min={1} max={168} step={1} inputMode="numeric" value={d.offerHours} onInput={set('offerHours')} />
        </label>
        <label>
          {t('workshopAdmin.field.maxNoShows')}
          <input type="number" min={1} max={100} step={1} inputMode="numeric" value={d.maxNoShows} onInput={set('maxNoShows')} />
        </label>
      </div>
      {props.facilitators && (
        <fieldset>
          <legend>{t('workshopAdmin.field.facilitators')}</legend>
          {props.facilitators.length === 0 && <p class="muted">{t('workshopAdmin.field.noFacilitators')}</p>}
          {props.facilitators.map((m) => (
            <label key={m.userId} class="inline">
              <input type="checkbox" checked={d.facilitatorIds.includes(m.userId)} onChange={(e) => toggle(m.userId, (e.currentTarget as HTMLInputElement).checked)} /> {m.displayName}
            </label>
          ))}
        </fieldset>
      )}
    </>
  );
}
