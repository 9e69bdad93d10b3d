import { lazyScreen } from '../components/lazy-screen';

/**
 * The staff and admin screens, each loaded on first use (own chunks): the resident entry stays
 * small on phones whatever the desk screens grow to.
 */
export const TriageBoard = lazyScreen(() => import('./staff/triage-board').then((m) => m.TriageBoard));
export const TriageStatsScreen = lazyScreen(() => import('./staff/triage-stats').then((m) => m.TriageStatsScreen));
export const ModerationQueue = lazyScreen(() => import('./staff/moderation-queue').then((m) => m.ModerationQueue));
export const PanelDrawScreen = lazyScreen(() => import('./panels/panel-draw').then((m) => m.PanelDrawScreen));
export const PanelEditorScreen = lazyScreen(() => import('./panels/panel-editor').then((m) => m.PanelEditorScreen));
export const ProposalAnswersScreen = lazyScreen(() => import('./proposals/proposal-answers').then((m) => m.ProposalAnswersScreen));
export const BudgetReviewScreen = lazyScreen(() => import('./budgets/budget-review').then((m) => m.BudgetReviewScreen));
export const BudgetSettingsScreen = lazyScreen(() => import('./budgets/budget-settings').then((m) => m.BudgetSettingsScreen));
export const NewBudgetScreen = lazyScreen(() => import('./budgets/budget-settings').then((m) => m.NewBudgetScreen));
export const AnnouncementsScreen = lazyScreen(() => import('./staff/announcements').then((m) => m.AnnouncementsScreen));
export const FacilitatorBoardScreen = lazyScreen(() => import('./workshops/facilitator-board').then((m) => m.FacilitatorBoardScreen));
export const WorkshopAdminScreen = lazyScreen(() => import('./workshops/admin/workshops-admin').then((m) => m.WorkshopAdminScreen));
export const WorkshopEditScreen = lazyScreen(() => import('./workshops/admin/workshop-edit').then((m) => m.WorkshopEditScreen));
export const SessionDoorScreen = lazyScreen(() => import('./workshops/admin/session-door').then((m) => m.SessionDoorScreen));
/** The room's screen: not staff, but never on a resident's phone either. */
export const ProjectorBoardScreen = lazyScreen(() => import('./workshops/projector-board').then((m) => m.ProjectorBoardScreen));
