import { renderReportNotification } from './report-notification-texts';

const n = (type: string, data: Record<string, unknown>) => ({ type, subjectType: 'report', subjectId: 'r1', data });

describe('report notification texts', () => {
  it('words a status change in both languages, with the reason of a rejection', () => {
    expect(renderReportNotification(n('report.status_changed', { number: '12', from: 'new', to: 'acknowledged' }), 'en')).toEqual({
      title: 'Your report #12 is acknowledged',
      body: 'It went from "new" to "acknowledged".',
      path: '/reports/r1',
    });
    expect(renderReportNotification(n('report.status_changed', { number: '12', from: 'new', to: 'rejected', reason: 'duplicate' }), 'fr')).toMatchObject({
      title: 'Votre signalement n°12 est refusé',
      body: 'Motif : il a déjà été signalé.',
    });
  });

  it('points a merge at the report to follow, and names the category in the staff language', () => {
    expect(renderReportNotification(n('report.merged', { number: '12', intoNumber: '7', intoId: 'r7' }), 'en')).toMatchObject({ path: '/reports/r7', body: 'Follow report #7 from now on.' });
    expect(renderReportNotification(n('report.new_in_department', { number: '3', categoryName: { fr: 'Nid de poule', en: 'Pothole' }, description: 'x'.repeat(400) }), 'en')).toMatchObject({
      title: 'New report #3: Pothole',
      body: expect.stringMatching(/^x{279}…$/),
    });
  });

  it('says which deadline is near', () => {
    expect(renderReportNotification(n('report.sla_warning', { number: '5', deadlineKind: 'acknowledge', deadlineLocal: '2026-01-15 14:00 CET' }), 'fr')).toMatchObject({
      title: "Signalement n°5 : l'échéance de prise en compte approche",
      body: 'Échéance : 2026-01-15 14:00 CET.',
    });
  });
});
