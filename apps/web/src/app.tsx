import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from './api/client';
import { currentTokens, setTokens } from './api/session';
import { useSession } from './api/use-session';
import { Link } from './components/link';
import { I18nContext, type Locale, saveLocale, setCurrentLocale, translator, useI18n } from './i18n';
import { navigate, ROUTES, usePath } from './router';
import { SignInScreen } from './screens/auth/sign-in';
import { SignUpScreen } from './screens/auth/sign-up';
import { ForgotPasswordScreen } from './screens/auth/forgot-password';
import { ChooseTownScreen } from './screens/resident/choose-town';
import { MyReportsScreen } from './screens/resident/my-reports';
import { NewReportScreen } from './screens/resident/new-report';
import { ReportPage } from './screens/resident/report-page';
import { InboxScreen } from './screens/notifications/inbox';
import { SurveyAnswerScreen } from './screens/surveys/survey-answer';
import { SurveyResultsScreen } from './screens/surveys/survey-results';
import { BudgetListScreen, BudgetPage } from './screens/budgets/budget-page';
import { MyPanelsScreen } from './screens/panels/my-panels';
import { PanelListScreen, PanelPage } from './screens/panels/panel-page';
import { ProposalListScreen } from './screens/proposals/proposal-list';
import { ProposalPage } from './screens/proposals/proposal-page';
import { NewProposalScreen } from './screens/proposals/new-proposal';
import { EditProposalScreen } from './screens/proposals/edit-proposal';
import { WorkshopListScreen } from './screens/workshops/workshop-list';
import { WorkshopPage } from './screens/workshops/workshop-page';
import { TicketScreen } from './screens/workshops/ticket';
import { SessionBoardScreen } from './screens/workshops/session-board';
import { MyWorkshopCalendarScreen } from './screens/workshops/my-calendar';
import { MyWorkshopsScreen } from './screens/workshops/my-workshops';
import { useUnreadCount } from './notifications/unread';
import { ReportsAroundScreen } from './screens/resident/reports-around';
import { NotificationSettingsScreen } from './screens/settings/notification-settings';
// Staff screens load on first use (own chunks): not in the residents' entry.
import {
  AnnouncementsScreen,
  BudgetReviewScreen,
  BudgetSettingsScreen,
  FacilitatorBoardScreen,
  ModerationQueue,
  NewBudgetScreen,
  PanelDrawScreen,
  PanelEditorScreen,
  ProjectorBoardScreen,
  ProposalAnswersScreen,
  SessionDoorScreen,
  TriageBoard,
  TriageStatsScreen,
  WorkshopAdminScreen,
  WorkshopEditScreen,
} from './screens/staff-screens';
import { useTown } from './town';

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

async function signOut(): Promise<void> {
  // The server ends the session (and its sockets); the device forgets the tokens either way.
  if (currentTokens()) await api.POST('/api/v1/auth/logout').catch(() => undefined);
  setTokens(null);
  navigate(ROUTES.signIn);
}

/** The inbox link with its unread badge, live. */
function InboxLink({ current }: { current?: 'page' }) {
  const { t } = useI18n();
  const unread = useUnreadCount();
  return (
    <Link href={ROUTES.inbox} aria-current={current}>
      <span aria-hidden={unread > 0 ? 'true' : undefined}>{t('nav.inbox')}</span>
      {unread > 0 && (
        <>
          {' '}
          <span class="badge count" aria-hidden="true" data-testid="unread-badge">
            {unread}
          </span>
          <span class="visually-hidden">{t('nav.inboxUnread', { count: unread })}</span>
        </>
      )}
    </Link>
  );
}

function Header() {
  const { t, locale, setLocale } = useI18n();
  const session = useSession();
  const town = useTown();
  const path = usePath();
  const current = (href: string) => (path === href ? 'page' : undefined);
  return (
    <header class="top">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <Link href={ROUTES.home} class="brand">
        {t('app.name')}
      </Link>
      <nav aria-label={t('nav.main')}>
        <ul>
          {session && (
            <>
              <li>
                <Link href={ROUTES.newReport} aria-current={current(ROUTES.newReport)}>
                  {t('nav.report')}
                </Link>
              </li>
              <li>
                <Link href={ROUTES.myReports} aria-current={current(ROUTES.myReports)}>
                  {t('nav.mine')}
                </Link>
              </li>
              <li>
                <InboxLink current={current(ROUTES.inbox)} />
              </li>
              {town && (
                <>
                  <li class="wide-only">
                    <Link href={ROUTES.triage(town.slug)}>{t('nav.triage')}</Link>
                  </li>
                  <li class="wide-only">
                    <Link href={ROUTES.moderation(town.slug)}>{t('nav.moderation')}</Link>
                  </li>
                  <li class="wide-only">
                    <Link href={ROUTES.announcements(town.slug)}>{t('nav.announcements')}</Link>
                  </li>
                  <li class="wide-only">
                    <Link href={ROUTES.proposalAnswers(town.slug)}>{t('nav.answers')}</Link>
                  </li>
                  <li class="wide-only">
                    <Link href={ROUTES.workshopAdmin(town.slug)}>{t('nav.workshopAdmin')}</Link>
                  </li>
                </>
              )}
            </>
          )}
          {town && (
            <li>
              <Link href={ROUTES.around} aria-current={current(ROUTES.around)}>
                {t('nav.around')}
              </Link>
            </li>
          )}
          {session && (
            <li>
              <Link href={ROUTES.notificationSettings} aria-current={current(ROUTES.notificationSettings)}>
                {t('nav.settings')}
              </Link>
            </li>
          )}
          <li>
            <Link href={ROUTES.proposals} aria-current={current(ROUTES.proposals)}>
              {t('nav.proposals')}
            </Link>
          </li>
          <li>
            <Link href={ROUTES.budgets} aria-current={current(ROUTES.budgets)}>
              {t('nav.budgets')}
            </Link>
          </li>
          <li>
            <Link href={ROUTES.panels} aria-current={current(ROUTES.panels)}>
              {t('nav.panels')}
            </Link>
          </li>
          <li>
            <Link href={ROUTES.workshops} aria-current={current(ROUTES.workshops)}>
              {t('nav.workshops')}
            </Link>
          </li>
          <li>
            <Link href={ROUTES.town}>{town ? t('nav.town', { town: town.name }) : t('nav.chooseTown')}</Link>
          </li>
          <li>
            {session ? (
              <button type="button" class="link" onClick={() => void signOut()}>
                {t('nav.signOut')}
              </button>
            ) : (
              <Link href={ROUTES.signIn}>{t('nav.signIn')}</Link>
            )}
          </li>
          <li>
            <label class="language">
              <span class="visually-hidden">{t('nav.language')}</span>
              <select value={locale} onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}>
                <option value="fr">FR</option>
                <option value="en">EN</option>
              </select>
            </label>
          </li>
        </ul>
      </nav>
    </header>
  );
}

function Screen() {
  const { t } = useI18n();
  const path = usePath();
  const session = useSession();
  const town = useTown();
  if (path === ROUTES.signIn) return <SignInScreen />;
  if (path === ROUTES.signUp) return <SignUpScreen />;
  if (path === ROUTES.forgotPassword) return <ForgotPasswordScreen />;
  if (path === ROUTES.town) return <ChooseTownScreen />;
  const report = /^\/report\/([0-9a-f-]{36})$/.exec(path);
  if (report) return <ReportPage id={report[1]} />;
  // Results are public once a survey that says so has closed; the API decides.
  const surveyResults = /^\/surveys\/([0-9a-f-]{36})\/results$/.exec(path);
  if (surveyResults) return <SurveyResultsScreen id={surveyResults[1]} />;
  const budget = /^\/budgets\/([0-9a-f-]{36})$/.exec(path);
  if (budget) return <BudgetPage id={budget[1]} />;
  if (path === ROUTES.budgets) return <BudgetListScreen />;
  const panel = /^\/panels\/([0-9a-f-]{36})$/.exec(path);
  if (panel) return <PanelPage id={panel[1]} />;
  if (path === ROUTES.panels) return <PanelListScreen />;
  const proposal = /^\/proposals\/([0-9a-f-]{36})$/.exec(path);
  if (proposal) return <ProposalPage id={proposal[1]} />;
  const editProposal = /^\/proposals\/([0-9a-f-]{36})\/edit$/.exec(path);
  if (editProposal) return <EditProposalScreen id={editProposal[1]} />;
  if (path === ROUTES.proposals) return <ProposalListScreen />;
  const workshop = /^\/workshops\/([0-9a-f-]{36})$/.exec(path);
  if (workshop) return <WorkshopPage id={workshop[1]} />;
  if (path === ROUTES.workshops) return <WorkshopListScreen />;
  if (path === ROUTES.around) return town ? <ReportsAroundScreen town={town} /> : <ChooseTownScreen />;
  // The room's screen: no sign-in, the secret key in the link is the permission.
  const projector = /^\/sessions\/([0-9a-f-]{36})\/projector$/.exec(path);
  if (projector) return <ProjectorBoardScreen id={projector[1]} />;
  if (!session) return <SignInScreen notice={path === ROUTES.home ? undefined : t('common.signInFirst')} />;
  const survey = /^\/surveys\/([0-9a-f-]{36})$/.exec(path);
  if (survey) return <SurveyAnswerScreen id={survey[1]} />;
  const triage = /^\/triage\/([a-z0-9-]+)$/.exec(path);
  if (triage) return <TriageBoard slug={triage[1]} />;
  const triageStats = /^\/triage\/([a-z0-9-]+)\/stats$/.exec(path);
  if (triageStats) return <TriageStatsScreen slug={triageStats[1]} />;
  const proposalAnswers = /^\/proposal-answers\/([a-z0-9-]+)$/.exec(path);
  if (proposalAnswers) return <ProposalAnswersScreen slug={proposalAnswers[1]} />;
  const budgetReview = /^\/budgets\/([0-9a-f-]{36})\/review$/.exec(path);
  if (budgetReview) return <BudgetReviewScreen id={budgetReview[1]} />;
  const budgetSettings = /^\/budgets\/([0-9a-f-]{36})\/settings$/.exec(path);
  if (budgetSettings) return <BudgetSettingsScreen id={budgetSettings[1]} />;
  if (path === ROUTES.newBudget) return <NewBudgetScreen />;
  const moderation = /^\/moderation\/([a-z0-9-]+)$/.exec(path);
  if (moderation) return <ModerationQueue slug={moderation[1]} />;
  const announcements = /^\/announcements\/([a-z0-9-]+)$/.exec(path);
  if (announcements) return <AnnouncementsScreen slug={announcements[1]} />;
  const panelDraw = /^\/panels\/([0-9a-f-]{36})\/draw$/.exec(path);
  if (panelDraw) return <PanelDrawScreen id={panelDraw[1]} />;
  if (path === ROUTES.panelNew) return <PanelEditorScreen />;
  const panelEdit = /^\/panels\/([0-9a-f-]{36})\/edit$/.exec(path);
  if (panelEdit) return <PanelEditorScreen id={panelEdit[1]} />;
  if (path === ROUTES.newProposal) return <NewProposalScreen />;
  const ticket = /^\/tickets\/([0-9a-f-]{36})$/.exec(path);
  if (ticket) return <TicketScreen id={ticket[1]} />;
  const board = /^\/sessions\/([0-9a-f-]{36})\/board$/.exec(path);
  if (board) return <SessionBoardScreen id={board[1]} />;
  const running = /^\/sessions\/([0-9a-f-]{36})\/run$/.exec(path);
  if (running) return <FacilitatorBoardScreen id={running[1]} />;
  const door = /^\/sessions\/([0-9a-f-]{36})\/door$/.exec(path);
  if (door) return <SessionDoorScreen id={door[1]} />;
  if (path === ROUTES.myWorkshopCalendar) return <MyWorkshopCalendarScreen />;
  if (path === ROUTES.myWorkshops) return <MyWorkshopsScreen />;
  const workshopAdmin = /^\/workshop-admin\/([a-z0-9-]+)$/.exec(path);
  if (workshopAdmin) return <WorkshopAdminScreen slug={workshopAdmin[1]} />;
  const workshopEdit = /^\/workshop-admin\/([a-z0-9-]+)\/workshops\/([0-9a-f-]{36})$/.exec(path);
  if (workshopEdit) return <WorkshopEditScreen slug={workshopEdit[1]} id={workshopEdit[2]} />;
  if (path === ROUTES.myReports) return <MyReportsScreen />;
  if (path === ROUTES.myPanels) return <MyPanelsScreen />;
  if (path === ROUTES.inbox) return <InboxScreen />;
  if (path === ROUTES.notificationSettings) return <NotificationSettingsScreen />;
  if (path === ROUTES.newReport || path === ROUTES.home) return town ? <NewReportScreen town={town} /> : <ChooseTownScreen />;
  return <p role="alert">{t('notFound')}</p>;
}

export function App({ initialLocale }: { initialLocale: Locale }) {
  const [locale, setLocaleState] = useState(initialLocale);
  const online = useOnline();
  const i18n = useMemo(() => {
    setCurrentLocale(locale);
    return {
      locale,
      t: translator(locale),
      setLocale: (next: Locale) => {
        saveLocale(next);
        setLocaleState(next);
      },
    };
  }, [locale]);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = i18n.t('app.name');
  }, [locale]);
  return (
    <I18nContext.Provider value={i18n}>
      <Header />
      {!online && (
        <p class="offline" role="status" data-testid="offline-banner">
          {i18n.t('net.offline')}
        </p>
      )}
      <main id="main" tabIndex={-1}>
        <Screen />
      </main>
    </I18nContext.Provider>
  );
}
