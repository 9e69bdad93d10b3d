import { defineErrorMessages, defineFieldErrorMessages, DomainException, FieldError, NotFoundError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors); the member codes are in members/members.errors.ts. */
defineErrorMessages({
  // French only where the English message is specific to the case (it stays the fallback in English).
  QUOTAS_INFEASIBLE: { fr: 'Aucun panel ne respecte tous les quotas (voir le détail par quota)' },
  INVALID_SELECTION_INPUT: { fr: 'Le vivier ou les quotas sont incohérents' },
  PANEL_NOT_FOUND: { en: 'Panel not found', fr: 'Panel introuvable' },
  PANEL_POOL_CLOSED: { fr: 'Le vivier de ce panel est clos : recrutement et règles ne peuvent plus changer' },
  PANEL_POOL_NOT_CLOSED: {
    en: 'Close the pool (publishing its hash) before the seed is revealed and the panel drawn',
    fr: 'Clore le vivier (ce qui publie son empreinte) avant de révéler la graine et de tirer le panel',
  },
  PANEL_ALREADY_DRAWN: { en: 'This panel has been drawn', fr: 'Ce panel a déjà été tiré au sort' },
  PANEL_POOL_NOT_EMPTY: {
    en: 'Features and values cannot change once people are in the pool; quotas can',
    fr: 'Les critères et leurs valeurs ne peuvent plus changer une fois le vivier commencé ; les quotas le peuvent',
  },
  NOT_A_RESIDENT: { en: 'Only verified residents of the municipality may volunteer', fr: 'Seuls les habitants vérifiés de la commune peuvent se porter volontaires' },
  ALREADY_VOLUNTEERED: { en: 'You already volunteered for this panel', fr: 'Vous êtes déjà volontaire pour ce panel' },
  VOLUNTEER_NOT_FOUND: { en: 'Volunteer profile not found', fr: 'Profil de volontaire introuvable' },
  SELECTION_NOT_FOUND: { en: 'Selection not found', fr: 'Tirage introuvable' },
  POOL_CSV_MALFORMED: { fr: "Le fichier CSV est illisible (voir le détail) ; rien n'a été importé" },
  INVALID_PANEL_RULES: { en: 'Invalid panel rules', fr: 'Règles du panel invalides' },
  INVALID_VOLUNTEER: { en: 'Invalid volunteer profile', fr: 'Profil de volontaire invalide' },
});
defineFieldErrorMessages({
  QUOTA_SHORT: {
    en: 'at least {min} seats required, at most {reachable} reachable: short by {shortBy}',
    fr: 'au moins {min} sièges requis, au plus {reachable} atteignables : il en manque {shortBy}',
  },
  QUOTA_OVER: {
    en: 'at most {max} seats allowed, at least {forced} forced: over by {overBy}',
    fr: 'au plus {max} sièges permis, au moins {forced} imposés : {overBy} de trop',
  },
});

/** A quota no valid panel can meet, and by how many seats it is missed at best. */
export interface QuotaFailure {
  feature: string;
  value: string;
  min: number;
  max: number;
  /** Seats missing below `min` (0 when the quota fails above). */
  shortBy: number;
  /** Seats over `max` (0 when the quota fails below). */
  overBy: number;
}

/** The quotas (with the household rule and the panel size) admit no panel at all. */
export class QuotasInfeasibleError extends DomainException {
  constructor(
    readonly failures: QuotaFailure[],
    reason?: string,
  ) {
    const fields: FieldError[] = failures.map((f) => ({
      field: f.feature === '*' ? 'size' : `quotas.${f.feature}.${f.value}`,
      code: f.shortBy > 0 ? 'QUOTA_SHORT' : 'QUOTA_OVER',
      params: f.shortBy > 0 ? { min: f.min, reachable: f.min - f.shortBy, shortBy: f.shortBy } : { max: f.max, forced: f.max + f.overBy, overBy: f.overBy },
      message:
        f.shortBy > 0
          ? `at least ${f.min} seats required, at most ${f.min - f.shortBy} reachable: short by ${f.shortBy}`
          : `at most ${f.max} seats allowed, at least ${f.max + f.overBy} forced: over by ${f.overBy}`,
    }));
    super(
      'QUOTAS_INFEASIBLE',
      'unprocessable',
      reason ??
        `No panel meets every quota: ${failures
          .map((f) => `${f.feature}=${f.value} ${f.shortBy > 0 ? `short by ${f.shortBy}` : `over by ${f.overBy}`}`)
          .join('; ')}`,
      fields,
    );
  }
}

/** The pool or quotas given to the selection are inconsistent (unknown value, duplicate id...). */
export class InvalidSelectionInputError extends DomainException {
  constructor(field: string, message: string) {
    super('INVALID_SELECTION_INPUT', 'unprocessable', message, [{ field, messages: [message] }]);
  }
}

export class PanelNotFoundError extends NotFoundError {
  constructor() {
    super('PANEL_NOT_FOUND', 'Panel');
  }
}

export class PanelStateError extends DomainException {
  constructor(code: 'PANEL_POOL_CLOSED' | 'PANEL_POOL_NOT_CLOSED' | 'PANEL_ALREADY_DRAWN' | 'PANEL_POOL_NOT_EMPTY', message: string) {
    super(code, 'conflict', message);
  }
}

export class NotResidentError extends DomainException {
  constructor() {
    super('NOT_A_RESIDENT', 'forbidden', 'Only verified residents of the municipality may volunteer');
  }
}

export class AlreadyVolunteeredError extends DomainException {
  constructor() {
    super('ALREADY_VOLUNTEERED', 'conflict', 'You already volunteered for this panel');
  }
}

export class VolunteerNotFoundError extends NotFoundError {
  constructor() {
    super('VOLUNTEER_NOT_FOUND', 'Volunteer profile');
  }
}

export class SelectionNotFoundError extends NotFoundError {
  constructor() {
    super('SELECTION_NOT_FOUND', 'Selection');
  }
}

/** The CSV itself cannot be read (not its rows: those are rejected one by one). Nothing is imported. */
export class PoolCsvMalformedError extends DomainException {
  constructor(problems: FieldError[]) {
    super('POOL_CSV_MALFORMED', 'invalid', problems.map((p) => p.message).join('; '), problems);
  }
}
