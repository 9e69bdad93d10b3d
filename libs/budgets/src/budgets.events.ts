import type { BudgetPhase } from './budget.entity';

/** Events of the budgets library, added to the platform's typed event map. */
declare module '@app/common' {
  interface DomainEventMap {
    'budgets.created': { budgetId: string; municipalityId: string };
    'budgets.phase_changed': { budgetId: string; municipalityId: string; from: BudgetPhase; to: BudgetPhase; by: 'admin' | 'schedule' };
    /** Settings or dates changed by the admin: the phase move is scheduled again for the new date. */
    'budgets.updated': { budgetId: string; municipalityId: string; changed: string[] };
    'budgets.project_proposed': { budgetId: string; projectId: string; authorId: string; districtId: string | null };
    'budgets.project_reviewed': { budgetId: string; projectId: string; authorId: string | null; status: string; reason: string | null; title: string };
    /** A ballot was cast: for live turnout. Says nothing of who cast it or what it holds. */
    'budgets.ballot_cast': { budgetId: string; municipalityId: string };
    'budgets.tallied': { budgetId: string; municipalityId: string; ballots: number; selected: string[] };
  }
}

export {};
