import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { hasMessage, useI18n } from '../../i18n';
import { type PushState, pushState, subscribePush, unsubscribePush } from './push-opt-in';

type Channel = 'in_app' | 'email' | 'push';
type Preferences = Schemas['PreferencesResponseDto'];
const CHANNELS: Channel[] = ['in_app', 'email', 'push'];

/** Web push for this device: on, off, or why it cannot be. */
function PushOptIn({ available }: { available: boolean }) {
  const { t } = useI18n();
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void pushState(available).then(setState, () => setState('unsupported')), [available]);

  const change = async (action: () => Promise<PushState>) => {
    setBusy(true);
    setError(null);
    try {
      setState(await action());
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="push-title" data-testid="push-opt-in">
      <h2 id="push-title">{t('settings.push.title')}</h2>
      {state && (
        <p role="status" data-testid="push-state">
          {t(`settings.push.${state}`)}
        </p>
      )}
      {state === 'not-subscribed' && (
        <button type="button" disabled={busy} onClick={() => void change(subscribePush)}>
          {t('settings.push.enable')}
        </button>
      )}
      {state === 'subscribed' && (
        <button type="button" disabled={busy} onClick={() => void change(unsubscribePush)}>
          {t('settings.push.disable')}
        </button>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * Notification preferences: per type × channel (all on unless turned off), the email mode (one
 * mail each or a daily digest) and web push on this device. Saving sends only what changed.
 */
export function NotificationSettingsScreen() {
  const { t } = useI18n();
  const prefs = useAsync(async () => unwrap(await api.GET('/api/v1/me/notification-preferences')) as Preferences, []);
  const [draft, setDraft] = useState<Preferences | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(prefs.data), [prefs.data]);

  if (prefs.error != null) return <Failure error={prefs.error} onRetry={prefs.reload} />;
  if (!prefs.data || !draft) return <Loading />;

  const typeName = (type: string) => {
    const key = `notifType.${type}`;
    return hasMessage(key) ? t(key) : type;
  };
  const toggle = (type: string, channel: Channel, enabled: boolean) => {
    setSaved(false);
    setDraft({ ...draft, types: draft.types.map((row) => (row.type === type ? { ...row, channels: { ...row.channels, [channel]: enabled } } : row)) });
  };
  const save = async (event: Event) => {
    event.preventDefault();
    const before = new Map(prefs.data!.types.map((row) => [row.type, row.channels]));
    const preferences = draft.types.flatMap((row) =>
      CHANNELS.filter((c) => before.get(row.type)?.[c] !== row.channels[c]).map((channel) => ({ type: row.type, channel, enabled: row.channels[channel] })),
    );
    setBusy(true);
    setError(null);
    try {
      const body = { ...(draft.emailMode !== prefs.data!.emailMode ? { emailMode: draft.emailMode } : {}), ...(preferences.length ? { preferences } : {}) };
      const next = unwrap(await api.PUT('/api/v1/me/notification-preferences', { body })) as Preferences;
      prefs.set(() => next);
      setSaved(true);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      {/* First: the one switch most people look for; the type × channel table is long. */}
      <PushOptIn available={draft.pushAvailable} />
      <form onSubmit={(e) => void save(e)}>
        <fieldset>
          <legend>{t('settings.emailMode')}</legend>
          {(['immediate', 'daily_digest'] as const).map((mode) => (
            <label key={mode} class="inline">
              <input type="radio" name="email-mode" value={mode} checked={draft.emailMode === mode} onChange={() => (setSaved(false), setDraft({ ...draft, emailMode: mode }))} />{' '}
              {t(`settings.emailMode.${mode}`)}
            </label>
          ))}
        </fieldset>
        <div class="table-scroll">
          <table class="preferences" data-testid="preferences">
            <caption>{t('settings.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.type')}</th>
                {CHANNELS.map((c) => (
                  <th key={c} scope="col">
                    {t(`settings.channel.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {draft.types.map((row) => (
                <tr key={row.type}>
                  <th scope="row">{typeName(row.type)}</th>
                  {CHANNELS.map((c) => (
                    <td key={c}>
                      <input
                        type="checkbox"
                        checked={row.channels[c]}
                        disabled={c === 'push' && !draft.pushAvailable}
                        aria-label={t('settings.switch', { type: typeName(row.type), channel: t(`settings.channel.${c}`) })}
                        onChange={(e) => toggle(row.type, c, (e.currentTarget as HTMLInputElement).checked)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('settings.save')}
          </button>
        </div>
        {saved && (
          <p role="status" class="notice">
            {t('settings.saved')}
          </p>
        )}
        {error && (
          <p role="alert" class="notice notice-error">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
