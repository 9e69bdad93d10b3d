import { useEffect, useState } from 'preact/hooks';

/**
 * Client routes (history API). The API serves the shell for any path that is not its own
 * (apps/api/src/web/web-app.ts): keep these clear of /api, /open311, /socket.io, /health,
 * /admin, /assets, /verify-email, /reset-password and /reports/:id (the server's pages).
 */
export const ROUTES = {
  home: '/',
  signIn: '/sign-in',
  signUp: '/sign-up',
  forgotPassword: '/forgot-password',
  town: '/town',
  newReport: '/report/new',
  myReports: '/my-reports',
  inbox: '/notifications',
  report: (id: string) => `/report/${id}`,
  triage: (slug: string) => `/triage/${slug}`,
  survey: (id: string) => `/surveys/${id}`,
  surveyResults: (id: string) => `/surveys/${id}/results`,
  budgets: '/budgets',
  budget: (id: string) => `/budgets/${id}`,
  moderation: (slug: string) => `/moderation/${slug}`,
  announcements: (slug: string) => `/announcements/${slug}`,
  panels: '/panels',
  myPanels: '/panels/mine',
  panel: (id: string) => `/panels/${id}`,
  panelDraw: (id: string) => `/panels/${id}/draw`,
  panelNew: '/panels/new',
  panelEdit: (id: string) => `/panels/${id}/edit`,
  proposals: '/proposals',
  newProposal: '/proposals/new',
  proposal: (id: string) => `/proposals/${id}`,
  editProposal: (id: string) => `/proposals/${id}/edit`,
  workshops: '/workshops',
  workshop: (id: string) => `/workshops/${id}`,
  ticket: (id: string) => `/tickets/${id}`,
  sessionBoard: (id: string) => `/sessions/${id}/board`,
  sessionDoor: (id: string) => `/sessions/${id}/door`,
  myWorkshopCalendar: '/workshops/my-calendar',
  myWorkshops: '/workshops/mine',
  workshopAdmin: (slug: string) => `/workshop-admin/${slug}`,
  workshopEdit: (slug: string, id: string) => `/workshop-admin/${slug}/workshops/${id}`,
  around: '/around',
  notificationSettings: '/settings/notifications',
  triageStats: (slug: string) => `/triage/${slug}/stats`,
  proposalAnswers: (slug: string) => `/proposal-answers/${slug}`,
  budgetReview: (id: string) => `/budgets/${id}/review`,
  budgetSettings: (id: string) => `/budgets/${id}/settings`,
  newBudget: '/budgets/new',
  facilitatorBoard: (id: string) => `/sessions/${id}/run`,
  projector: (id: string) => `/sessions/${id}/projector`,
} as const;

const listeners = new Set<() => void>();

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return path;
}

/** Links stay real `<a href>` (middle click, keyboard) and navigate without a reload. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/');
}
