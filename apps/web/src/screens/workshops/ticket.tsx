import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { localized, sessionWhen, type Registration } from './workshop-format';
import { useWorkshopNotices } from './live-notices';
import { describeError } from '../../api/errors';

/**
 * The door code as the API's QR image. The route is the holder's only (bearer token), which an
 * <img src> cannot send: the SVG is fetched by the client and shown through a blob: URL — still an
 * <img>, so the SVG never enters the document (the CSP allows `img-src blob:`).
 */
function QrImage({ registrationId, code }: { registrationId: string; code: string }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let current = true;
    api
      .GET('/api/v1/registrations/{id}/qr.svg', { params: { path: { id: registrationId } }, parseAs: 'blob' })
      .then((result) => {
        const blob = unwrap(result) as unknown as Blob;
        if (!current) return;
        objectUrl = URL.createObjectURL(new Blob([blob], { type: 'image/svg+xml' }));
        setUrl(objectUrl);
      })
      .catch((failure: unknown) => current && setError(failure));
    return () => {
      current = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [registrationId]);
  if (error != null) return <Failure error={error} />;
  if (!url) return <Loading />;
  return <img class="qr" src={url} width={240} height={240} alt={t('workshop.ticket.qrAlt', { code })} data-testid="ticket-qr" />;
}

/** My ticket: the registration's state, its door code and QR image, the workshop's calendar. */
export function TicketScreen({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const ticket = useAsync(async () => {
    const registration = unwrap(await api.GET('/api/v1/registrations/{id}', { params: { path: { id } } })) as Registration;
    const session = unwrap(await api.GET('/api/v1/sessions/{id}', { params: { path: { id: registration.sessionId } } }));
    const workshop = unwrap(await api.GET('/api/v1/workshops/{id}', { params: { path: { id: session.workshopId } } }));
    return { registration, session, workshop };
  }, [id]);
  const [cancelError, setCancelError] = useState<string | null>(null);
  // An offer, a move or a cancellation of this session changes the ticket: read it again live.
  useWorkshopNotices(ticket.data?.workshop.id, ticket.reload);
  if (ticket.error != null) return <Failure error={ticket.error} onRetry={ticket.reload} />;
  if (!ticket.data) return <Loading />;
  const { registration: r, session, workshop } = ticket.data;
  return (
    <section class="card stack" aria-labelledby="ticket-title">
      <h1 id="ticket-title">{t('workshop.ticket.title')}</h1>
      <p>
        <Link href={ROUTES.workshop(workshop.id)}>{localized(workshop.title, locale)}</Link>
      </p>
      <p>{sessionWhen(session, locale)}</p>
      <p>
        <span class="badge" data-testid="ticket-status">
          {r.status === 'waitlisted' && r.waitlistPosition != null ? t('workshop.waitlisted', { position: r.waitlistPosition }) : t(`workshop.status.${r.status}`)}
        </span>
      </p>
      {r.code && r.status !== 'cancelled' && (
        <>
          <p>
            {t('workshop.ticket.code')} <code class="hash" data-testid="ticket-code">{r.code}</code>
          </p>
          <p class="muted">{t('workshop.ticket.hint')}</p>
          <QrImage registrationId={r.id} code={r.code} />
        </>
      )}
      {r.checkedInAt && r.status === 'registered' && (
        <p>
          <Link href={ROUTES.sessionBoard(session.id)}>{t('board.open')}</Link>
        </p>
      )}
      {r.status !== 'cancelled' && (
        <div class="actions">
          <button
            type="button"
            onClick={() =>
              void api
                .POST('/api/v1/registrations/{id}/cancel', { params: { path: { id: r.id } } })
                .then((result) => (unwrap(result), setCancelError(null), ticket.reload()))
                .catch((failure: unknown) => setCancelError(describeError(failure, t)))
            }
          >
            {r.status === 'registered' ? t('workshop.cancel') : t('workshop.leave')}
          </button>
        </div>
      )}
      {cancelError && (
        <p role="alert" class="notice notice-error">
          {cancelError}
        </p>
      )}
      <p>
        <a href={`/api/v1/workshops/${workshop.id}/calendar?lang=${locale}`} data-testid="calendar-link">
          {t('workshop.calendar')}
        </a>
        {' · '}
        <Link href={ROUTES.myWorkshopCalendar}>{t('workshop.myCalendar.link')}</Link>
        {' · '}
        <Link href={ROUTES.myWorkshops}>{t('workshop.mine.link')}</Link>
      </p>
    </section>
  );
}
