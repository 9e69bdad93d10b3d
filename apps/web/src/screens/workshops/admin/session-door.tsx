import { api, unwrap } from '../../../api/client';
import { Failure, Loading, useAsync } from '../../../components/async';
import { Link } from '../../../components/link';
import { useI18n } from '../../../i18n';
import { ROUTES } from '../../../router';
import { CheckInPanel } from '../facilitator-panels';
import { localized, sessionWhen } from '../workshop-format';

/**
 * The door of a session (tablet): the code typed (or read by a scanner that types), walk-ins by
 * name, and the roster with who is in and who is expected, by name (the API gives names to the
 * session's facilitators and the town's staff only) with their codes. For the town's staff as well as the facilitators — the
 * live board's own check-in is the facilitators' only, since staff are not on the board.
 */
export function SessionDoorScreen({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const session = useAsync(async () => {
    const s = unwrap(await api.GET('/api/v1/sessions/{id}', { params: { path: { id } } }));
    const w = unwrap(await api.GET('/api/v1/workshops/{id}', { params: { path: { id: s.workshopId } } }));
    return { s, w };
  }, [id]);
  const roster = useAsync(async () => unwrap(await api.GET('/api/v1/sessions/{id}/registrations', { params: { path: { id } } })), [id]);
  if (session.error != null) return <Failure error={session.error} onRetry={session.reload} />;
  if (!session.data) return <Loading />;
  const { s, w } = session.data;
  const present = roster.data?.filter((r) => r.checkedInAt) ?? [];
  const expected = roster.data?.filter((r) => r.status === 'registered' && !r.checkedInAt) ?? [];
  return (
    <section class="card stack" aria-labelledby="door-title">
      <h1 id="door-title">{t('workshopAdmin.door.title')}</h1>
      <p>
        <Link href={ROUTES.workshop(w.id)}>{localized(w.title, locale)}</Link> · {sessionWhen(s, locale)}
      </p>
      <CheckInPanel sessionId={id} onCheckedIn={roster.reload} />
      <section aria-labelledby="roster-title">
        <h2 id="roster-title">{t('workshopAdmin.door.roster', { present: present.length, expected: expected.length })}</h2>
        {roster.error != null && <Failure error={roster.error} onRetry={roster.reload} />}
        {!roster.data && roster.error == null && <Loading />}
        {roster.data && (
          <table data-testid="door-roster">
            <thead>
              <tr>
                <th scope="col">{t('workshopAdmin.door.who')}</th>
                <th scope="col">{t('workshopAdmin.door.code')}</th>
                <th scope="col">{t('workshopAdmin.door.state')}</th>
              </tr>
            </thead>
            <tbody>
              {[...present, ...expected].map((r) => (
                <tr key={r.id}>
                  <td>{r.displayName ?? r.walkInName}</td>
                  <td>{r.walkInName ? '' : <code>{r.code}</code>}</td>
                  <td>{r.checkedInAt ? t('workshopAdmin.door.in') : t('workshopAdmin.door.expected')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
