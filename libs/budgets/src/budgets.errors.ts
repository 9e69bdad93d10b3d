import { defineErrorMessages, defineFieldErrorMessages, DomainException, NotFoundError } from '@app/common';
import type { BallotViolation } from './ballot-rules';
import type { BudgetPhase } from './budget.entity';
import type { IneligibleReason } from './eligibility';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  BUDGET_NOT_FOUND: { en: 'Budget not found', fr: 'Budget participatif introuvable' },
  BUDGET_PROJECT_NOT_FOUND: { en: 'Budget project not found', fr: 'Projet introuvable' },
  WRONG_BUDGET_PHASE: { fr: "Le budget n'est pas dans la phase qui permet cela" },
  BUDGET_SETTING_FIXED: { fr: 'Ce réglage ne peut plus changer à cette phase du budget' },
  BUDGET_NOT_ELIGIBLE: { fr: "Vous ne pouvez pas voter pour cela dans ce budget (habitants vérifiés, de leur quartier, à partir de l'âge fixé)" },
  BUDGET_ALREADY_VOTED: { fr: 'Vous avez déjà voté pour ce budget' },
  BUDGET_NO_DRAFT: { fr: "Il n'y a pas de bulletin à déposer : enregistrez d'abord votre choix" },
  BUDGET_RESULTS_NOT_READY: { fr: 'Les résultats et les bulletins sont publiés à la clôture du vote' },
  BUDGET_RECEIPT_NOT_FOUND: { en: 'Ballot with this receipt not found', fr: 'Aucun bulletin ne porte ce reçu' },
  BALLOT_PROJECT_NOT_ON_BALLOT: { fr: "Un projet choisi n'est pas sur le bulletin" },
  BALLOT_DUPLICATE_PROJECT: { fr: 'Un projet est choisi deux fois' },
  BALLOT_TOO_MANY_PROJECTS: { fr: 'Trop de projets choisis' },
  BALLOT_TOO_FEW_PROJECTS: { fr: 'Pas assez de projets choisis' },
  BALLOT_OVER_BUDGET: { fr: 'Les projets choisis dépassent le montant du budget' },
  BALLOT_UNDER_MIN_SHARE: { fr: "Les projets choisis n'atteignent pas la part minimale du montant" },
  BALLOT_POINTS_MISMATCH: { fr: 'Il faut un nombre de points par projet choisi' },
  BALLOT_TOO_MANY_POINTS: { fr: 'Trop de points distribués' },
  BALLOT_WRONG_RANK_COUNT: { fr: "Le nombre de projets classés n'est pas celui demandé" },
  BALLOT_WRONG_DISTRICT: { fr: "Un projet choisi n'est pas de votre quartier" },
  PROPOSAL_NOT_IMPORTABLE: { fr: "Seule une proposition de la commune qui a atteint son seuil de soutiens s'importe comme projet" },
  PROPOSAL_ALREADY_IMPORTED: { fr: 'Cette proposition est déjà un projet de ce budget' },
  BUDGET_PROJECT_NOT_YOURS: { en: 'Only the person who proposed this project may change or withdraw it', fr: 'Seule la personne qui a proposé ce projet peut le modifier ou le retirer' },
  BUDGET_PROJECT_REVIEWED: { en: 'This project has been reviewed: it can no longer change or be withdrawn', fr: 'Ce projet a été examiné : il ne peut plus être modifié ni retiré' },
  BUDGET_DISTRICT_NOT_FOUND: { en: 'District heading of this budget not found', fr: "Ce quartier n'a pas d'enveloppe dans ce budget" },
});
// Field messages say what is wrong in words; the field's path stays in `details[].field` for clients.
defineFieldErrorMessages({
  FIXED_IN_PHASE: { en: 'This can no longer change at this stage of the budget', fr: 'Ceci ne peut plus changer à cette étape du budget' },
  NOT_A_HEADING: { en: "Choose one of the budget's districts", fr: 'Choisissez un des quartiers du budget' },
  LOCATION_IN_OTHER_DISTRICT: { en: 'The place is in another district', fr: 'Le lieu est dans un autre quartier' },
  MAX_PROJECTS_REQUIRED: { en: 'Approval ballots need the most projects a voter may choose', fr: 'Un vote par approbation demande le nombre maximal de projets à choisir' },
  POINTS_REQUIRED: { en: 'Cumulative ballots need the number of points each voter shares out', fr: 'Un vote par points demande le nombre de points à répartir' },
  MAX_PER_PROJECT_REQUIRED: { en: 'Cumulative ballots need the most points one project may receive', fr: 'Un vote par points demande le maximum de points par projet' },
  RANKS_REQUIRED: { en: 'Ranked ballots need the number of projects each voter ranks', fr: 'Un vote par classement demande le nombre de projets à classer' },
  ONE_SCORE_PER_RANK: { en: 'Give one score per rank', fr: 'Donnez un score par rang' },
  EQUAL_SHARES_NEEDS_APPROVAL: { en: 'Equal shares counts approval or knapsack ballots only', fr: 'Les parts égales ne comptent que des votes par approbation ou par enveloppe' },
  ADD1_EQUAL_SHARES_ONLY: { en: 'Add1 completes equal shares only', fr: 'Add1 ne complète que les parts égales' },
  REVIEW_ENDS_BEFORE_PROPOSALS: { en: 'The review cannot end before proposals close', fr: "L'examen ne peut pas finir avant la clôture des propositions" },
  VOTING_ENDS_BEFORE_REVIEW: { en: 'Voting cannot end before the review ends', fr: "Le vote ne peut pas finir avant la fin de l'examen" },
  DISTRICT_LISTED_TWICE: { en: 'A district has two amounts', fr: 'Un quartier a deux montants' },
  NOT_A_TOWN_DISTRICT: { en: "A district is not one of this town's", fr: "Un quartier n'est pas de cette commune" },
});


export class BudgetNotFoundError extends NotFoundError {
  constructor() {
    super('BUDGET_NOT_FOUND', 'Budget');
  }
}

export class BudgetProjectNotFoundError extends NotFoundError {
  constructor() {
    super('BUDGET_PROJECT_NOT_FOUND', 'Budget project');
  }
}

/** The action needs another phase: 409 naming the phase it needs and the current one. */
export class WrongBudgetPhaseError extends DomainException {
  constructor(needed: BudgetPhase | BudgetPhase[], current: BudgetPhase) {
    const list = Array.isArray(needed) ? needed : [needed];
    super('WRONG_BUDGET_PHASE', 'conflict', `This needs the budget in phase ${list.join(' or ')}; it is in ${current}`, {
      needed: list,
      current,
    });
  }
}

/** A setting that can no longer change in the budget's phase (the vote's shape once voting opens, a past phase's date). */
export class BudgetSettingFixedError extends DomainException {
  constructor(field: string, phase: BudgetPhase) {
    super('BUDGET_SETTING_FIXED', 'conflict', `${field} can no longer change: the budget is in ${phase}`, [
      { field, code: 'FIXED_IN_PHASE', message: 'This can no longer change at this stage of the budget' },
    ]);
  }
}

const INELIGIBLE: Record<IneligibleReason, string> = {
  not_resident: 'Only verified residents of the municipality take part in its budget',
  birth_year_unknown: 'This budget has a minimum age: the town must record your year of birth first',
  too_young: 'This budget has a minimum age you have not reached',
  other_district: 'These projects are for the residents of their district',
};

/** 403 with the reason in meta (`not_resident`, `birth_year_unknown`, `too_young`, `other_district`). */
export class NotEligibleError extends DomainException {
  constructor(reason: IneligibleReason = 'not_resident', facts: Record<string, unknown> = {}) {
    super('BUDGET_NOT_ELIGIBLE', 'forbidden', INELIGIBLE[reason], { reason, ...facts });
  }
}

export class AlreadyVotedError extends DomainException {
  constructor() {
    super('BUDGET_ALREADY_VOTED', 'conflict', 'You have already cast your ballot for this budget');
  }
}

export class NoDraftBallotError extends DomainException {
  constructor() {
    super('BUDGET_NO_DRAFT', 'conflict', 'There is no draft ballot to submit: PUT the ballot first');
  }
}

/** 422 naming the rule and its figures. */
export class BallotRuleBrokenError extends DomainException {
  constructor(violation: BallotViolation) {
    super(violation.code, 'unprocessable', violation.message, { rule: violation.rule, ...violation.figures });
  }
}

export class BudgetResultsNotReadyError extends DomainException {
  constructor(current: BudgetPhase) {
    super('BUDGET_RESULTS_NOT_READY', 'conflict', 'Results and ballots are published once voting has closed', { current });
  }
}

export class ReceiptNotFoundError extends NotFoundError {
  constructor() {
    super('BUDGET_RECEIPT_NOT_FOUND', 'Ballot with this receipt');
  }
}

export class BudgetHeadingNotFoundError extends NotFoundError {
  constructor() {
    super('BUDGET_DISTRICT_NOT_FOUND', 'District heading of this budget');
  }
}

/** Only a proposal of the budget's town that reached its support threshold (and was not turned down) becomes a project. */
export class ProposalNotImportableError extends DomainException {
  constructor(status: string) {
    super('PROPOSAL_NOT_IMPORTABLE', 'conflict', `A proposal in status ${status} cannot be imported: it must have reached its support threshold`, [
      { field: 'proposalId', code: 'NOT_IMPORTABLE', message: `the proposal is ${status}` },
    ]);
  }
}

export class ProposalAlreadyImportedError extends DomainException {
  constructor(projectId: string) {
    super('PROPOSAL_ALREADY_IMPORTED', 'conflict', 'This proposal is already a project of this budget', { projectId });
  }
}

/** A project only its proposer may change or withdraw (403). */
export class NotYourProjectError extends DomainException {
  constructor() {
    super('BUDGET_PROJECT_NOT_YOURS', 'forbidden', 'Only the person who proposed this project may change or withdraw it');
  }
}

/** A project staff have reviewed (or that was withdrawn) stays as it is: 409 with its status. */
export class ProjectReviewedError extends DomainException {
  constructor(status: string) {
    super('BUDGET_PROJECT_REVIEWED', 'conflict', `This project is ${status}: it can no longer change or be withdrawn`, { status });
  }
}
