import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useI18n } from '../../i18n';
import { labelOf, type Panel, type VolunteerProfile } from './panel-types';

/**
 * Volunteering, built from the panel's own rules: the versioned consent text to accept, one value
 * per feature, the address only when the household rule is on, and how to be contacted.
 */
export function VolunteerForm({ panel, onDone }: { panel: Panel; onDone: (profile: VolunteerProfile) => void }) {
  const { t } = useI18n();
  const [consent, setConsent] = useState(false);
  const [features, setFeatures] = useState<Record<string, string>>({});
  const [address, setAddress] = useState('');
  const [byEmail, setByEmail] = useState(true);
  const [byPost, setByPost] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        consentVersion: panel.consentVersion,
        features,
        ...(panel.householdRule ? { address: address.trim() } : {}),
        contact: { email: byEmail, post: byPost },
      };
      const created = unwrap(await api.POST('/api/v1/panels/{id}/volunteers', { params: { path: { id: panel.id } }, body }));
      onDone(created);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }

  const complete = consent && panel.features.every((f) => features[f.code]) && (!panel.householdRule || address.trim().length >= 3);
  return (
    <form onSubmit={(e) => void submit(e)} class="stack" aria-labelledby="volunteer-title" data-testid="volunteer-form">
      <h2 id="volunteer-title">{t('panel.volunteer.title')}</h2>
      <h3>{t('panel.consent.title', { version: panel.consentVersion })}</h3>
      <blockquote class="consent" data-testid="consent-text">
        {panel.consentText}
      </blockquote>
      <label class="inline">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent((e.currentTarget as HTMLInputElement).checked)} required /> {t('panel.consent.accept', { version: panel.consentVersion })}
      </label>
      {panel.features.map((f) => (
        <label key={f.code}>
          {labelOf(f)}
          <select required value={features[f.code] ?? ''} onChange={(e) => setFeatures((all) => ({ ...all, [f.code]: (e.currentTarget as HTMLSelectElement).value }))}>
            <option value="">{t('panel.volunteer.choose')}</option>
            {f.values.map((v) => (
              <option key={v.code} value={v.code}>
                {labelOf(v)}
              </option>
            ))}
          </select>
        </label>
      ))}
      {panel.householdRule && (
        <label>
          {t('panel.volunteer.address')}
          <input value={address} autocomplete="street-address" required minLength={3} maxLength={300} onInput={(e) => setAddress((e.currentTarget as HTMLInputElement).value)} />
          <span class="muted">{t('panel.volunteer.addressWhy')}</span>
        </label>
      )}
      <fieldset>
        <legend>{t('panel.volunteer.contact')}</legend>
        <label class="inline">
          <input type="checkbox" checked={byEmail} onChange={(e) => setByEmail((e.currentTarget as HTMLInputElement).checked)} /> {t('panel.volunteer.byEmail')}
        </label>
        <label class="inline">
          <input type="checkbox" checked={byPost} onChange={(e) => setByPost((e.currentTarget as HTMLInputElement).checked)} /> {t('panel.volunteer.byPost')}
        </label>
      </fieldset>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !complete}>
        {t('panel.volunteer.submit')}
      </button>
    </form>
  );
}

/** What the volunteer gave (their export), and the withdrawal, which deletes it. */
export function VolunteerProfileView({ panel, profile, onWithdrawn }: { panel: Panel; profile: VolunteerProfile; onWithdrawn: () => void }) {
  const { t, locale } = useI18n();
  const [error, setError] = useState<string | null>(null);
  async function withdraw() {
    setError(null);
    try {
      unwrap(await api.DELETE('/api/v1/panels/{id}/volunteers/me', { params: { path: { id: panel.id } } }));
      onWithdrawn();
    } catch (failure) {
      setError(describeError(failure, t));
    }
  }
  // In the panel's order of features (the stored profile's key order is the database's).
  const given = panel.features
    .filter((f) => profile.features[f.code] !== undefined)
    .map((f) => [f.code, labelOf(f), labelOf(f.values.find((v) => v.code === profile.features[f.code]) ?? { code: profile.features[f.code] })] as const);
  return (
    <section aria-labelledby="profile-title" data-testid="volunteer-profile">
      <h2 id="profile-title">{t('panel.profile.title')}</h2>
      <dl>
        {given.map(([code, name, label]) => (
          <div key={code}>
            <dt>{name}</dt>
            <dd>{label}</dd>
          </div>
        ))}
        {profile.address && (
          <div>
            <dt>{t('panel.volunteer.address')}</dt>
            <dd>{profile.address}</dd>
          </div>
        )}
        {/* Always there for a volunteer; the API's type allows null for imported residents, who have no profile to show. */}
        {profile.consentVersion && profile.consentedAt && (
          <div>
            <dt>{t('panel.profile.consent')}</dt>
            <dd>{t('panel.profile.consentedAt', { version: profile.consentVersion, date: new Date(profile.consentedAt).toLocaleString(locale) })}</dd>
          </div>
        )}
      </dl>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <button type="button" onClick={() => void withdraw()}>
        {t('panel.profile.withdraw')}
      </button>
    </section>
  );
}
