import { useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { describeError, fieldMessages } from '../../api/errors';
import { Failure, useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import type { Panel, PanelMember } from './panel-types';

/** My seat on the panel; null when I hold none (a 404 PANEL_MEMBER_NOT_FOUND). */
function useMySeat(panelId: string) {
  return useAsync(async () => {
    try {
      return unwrap(await api.GET('/api/v1/panels/{id}/members/me', { params: { path: { id: panelId } } }));
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'PANEL_MEMBER_NOT_FOUND') return null;
      throw failure;
    }
  }, [panelId]);
}

/** An imported resident's way in: the code printed on the invitation letter, once signed up. */
function RedeemCode({ panelId, onRedeemed }: { panelId: string; onRedeemed: (seat: PanelMember) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function redeem(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      onRedeemed(unwrap(await api.POST('/api/v1/panels/{id}/invitations/redeem', { params: { path: { id: panelId } }, body: { code: code.trim() } })));
    } catch (failure) {
      const beside = fieldMessages(failure).code;
      if (beside) setFieldError(describeError(failure, t));
      else setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="stack" onSubmit={(e) => void redeem(e)} aria-labelledby="redeem-title" data-testid="redeem-code">
      <h2 id="redeem-title">{t('seat.redeem.title')}</h2>
      <p class="muted">{t('seat.redeem.hint')}</p>
      <label>
        {t('seat.redeem.code')}
        <input
          id="invitation-code"
          value={code}
          maxLength={40}
          autoComplete="off"
          aria-invalid={fieldError ? 'true' : undefined}
          aria-describedby={fieldError ? 'invitation-code-error' : undefined}
          onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {fieldError && (
        <p id="invitation-code-error" class="field-error" role="alert">
          {fieldError}
        </p>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !code.trim()}>
        {t('seat.redeem.submit')}
      </button>
    </form>
  );
}

type Answer = 'confirm' | 'decline' | 'withdraw';

/**
 * A drawn person's seat: the invitation with the date to answer by, then confirm or decline
 * (a decline, or no answer, gives the seat to a replacement draw that keeps the quotas); once
 * seated, leaving. Someone drawn from an imported pool first types the code of their letter.
 */
export function MySeat({ panel }: { panel: Panel }) {
  const { t, locale } = useI18n();
  const seat = useMySeat(panel.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const when = (iso: string) => new Date(iso).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' });

  async function answer(kind: Answer) {
    setBusy(true);
    setError(null);
    try {
      const params = { params: { path: { id: panel.id } } };
      const answered =
        kind === 'confirm'
          ? await api.POST('/api/v1/panels/{id}/members/me/confirm', params)
          : kind === 'decline'
            ? await api.POST('/api/v1/panels/{id}/members/me/decline', params)
            : await api.POST('/api/v1/panels/{id}/members/me/withdraw', params);
      const next = unwrap(answered);
      seat.set(() => next);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }

  if (seat.error != null) return <Failure error={seat.error} onRetry={seat.reload} />;
  if (seat.loading && !seat.data) return null;
  const s = seat.data;
  if (!s) return panel.status === 'drawn' ? <RedeemCode panelId={panel.id} onRedeemed={(redeemed) => seat.set(() => redeemed)} /> : null;
  const late = s.status === 'selected' && new Date(s.respondBy).getTime() <= Date.now();
  return (
    <section class="detail stack" aria-labelledby="seat-title" data-testid="my-seat">
      <h2 id="seat-title">{t('seat.title')}</h2>
      <p>
        <span class="badge" data-testid="seat-status">
          {t(`member.status.${s.status}`)}
        </span>
      </p>
      {s.status === 'selected' && (
        <>
          <p data-testid="seat-invitation">{t('seat.invited', { name: panel.name, months: panel.termMonths, date: when(s.respondBy) })}</p>
          {late ? (
            <p class="muted">{t('seat.late')}</p>
          ) : (
            <div class="actions">
              <button type="button" class="primary" disabled={busy} onClick={() => void answer('confirm')}>
                {t('seat.confirm')}
              </button>
              <button type="button" disabled={busy} onClick={() => void answer('decline')}>
                {t('seat.decline')}
              </button>
            </div>
          )}
        </>
      )}
      {s.status === 'confirmed' && <p>{t('seat.confirmed')}</p>}
      {s.status === 'active' && <p>{panel.termEndsAt ? t('seat.activeUntil', { date: when(panel.termEndsAt) }) : t('seat.active')}</p>}
      {s.status === 'declined' && <p>{t('seat.declined')}</p>}
      {(s.status === 'confirmed' || s.status === 'active') && (
        <button type="button" disabled={busy} onClick={() => void answer('withdraw')}>
          {t('seat.withdraw')}
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
