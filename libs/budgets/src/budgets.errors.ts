import { DomainException, ForbiddenError, NotFoundError } from '@app/common';
import type { BallotViolation } from './ballot-rules';
import type { BudgetPhase } from './budget.entity';

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

export class NotEligibleError extends ForbiddenError {
  constructor() {
    super('Only verified residents of the municipality take part in its budget', 'BUDGET_NOT_ELIGIBLE');
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
