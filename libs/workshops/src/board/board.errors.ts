import { defineErrorMessages, defineFieldErrorMessages, DomainErrorKind, DomainException, FieldError } from '@app/common';
import type { BoardPhase } from './board.types';

defineErrorMessages({
  BOARD_INVALID_COMMAND: { fr: "Cette commande du tableau n'est pas valide" },
  BOARD_NOT_ON_BOARD: { fr: "Seuls les animateurs et les participants enregistrés à l'accueil agissent sur ce tableau" },
  BOARD_FACILITATOR_ONLY: { fr: "Seul un animateur de la séance peut faire cela" },
  BOARD_NOT_AUTHOR: { fr: "Seuls son auteur et les animateurs modifient cette note" },
  BOARD_WRONG_PHASE: { fr: "Ce n'est pas possible dans la phase actuelle du tableau" },
  BOARD_CLOSED: { fr: 'Les résultats de cette séance sont publiés ; le tableau ne change plus' },
  BOARD_IDEA_NOT_FOUND: { fr: 'Note introuvable sur ce tableau' },
  BOARD_CLUSTER_NOT_FOUND: { fr: 'Groupe introuvable sur ce tableau' },
  BOARD_POLL_NOT_FOUND: { fr: 'Sondage introuvable sur ce tableau' },
  BOARD_STALE_VERSION: { fr: "Cet élément a changé depuis votre dernière lecture ; reprenez la version actuelle" },
  BOARD_DOTS_EXHAUSTED: { fr: 'Vous avez déjà placé toutes vos gommettes' },
  BOARD_IDEA_DOT_LIMIT: { fr: 'Vous avez déjà placé le maximum de gommettes sur cette note' },
  BOARD_NO_DOT_THERE: { fr: "Vous n'avez pas de gommette sur cette note" },
  BOARD_ALREADY_REVEALED: { fr: 'Les votes sont déjà dévoilés' },
  BOARD_TIMER_STATE: { fr: "Le minuteur n'est pas dans l'état voulu" },
  BOARD_POLL_CLOSED: { fr: 'Ce sondage est clos' },
  BOARD_LIMIT_REACHED: { fr: 'Ce tableau a atteint sa limite' },
  BOARD_SESSION_NOT_FOUND: { fr: 'Séance introuvable' },
  BOARD_PROJECTOR_KEY_INVALID: { fr: "Ce lien d'affichage n'est pas (ou plus) valide" },
  BOARD_OUTCOMES_NOT_PUBLISHED: { fr: "Les résultats de cette séance ne sont pas encore publiés" },
});

defineFieldErrorMessages({
  BOARD_OUT_OF_RANGE: { fr: 'Hors des valeurs permises' },
  BOARD_ARRAY_SIZE: { fr: "Nombre d'éléments incorrect" },
  BOARD_SINGLE_CHOICE: { fr: 'Choisissez exactement une option' },
  BOARD_NOT_SAME: { fr: "Doit être différent de l'autre" },
});

/** Refusals of board commands: the gateway sends them as `{ ok: false, error }` and nothing changes. */
export class BoardError extends DomainException {
  constructor(code: string, kind: DomainErrorKind, message: string, details?: Record<string, unknown> | FieldError[]) {
    super(code, kind, message, details);
  }
}

export const invalidCommand = (field: string, code: string, message: string): BoardError =>
  new BoardError('BOARD_INVALID_COMMAND', 'invalid', `Invalid ${field}: ${message}`, [{ field, code, message }]);

export const notFound = (what: 'idea' | 'cluster' | 'poll', id: string): BoardError =>
  new BoardError(`BOARD_${what.toUpperCase()}_NOT_FOUND`, 'not_found', `No ${what} ${id.slice(0, 40)} on this board`, { [`${what}Id`]: id.slice(0, 40) });

export const facilitatorOnly = (): BoardError => new BoardError('BOARD_FACILITATOR_ONLY', 'forbidden', 'Only a facilitator of this session may do this');

export const wrongPhase = (needed: BoardPhase[], current: BoardPhase): BoardError =>
  new BoardError('BOARD_WRONG_PHASE', 'conflict', `This needs the board in phase ${needed.join(' or ')}; it is in ${current}`, { needed, current });

export const staleVersion = (kind: 'idea' | 'cluster', current: unknown, given: number): BoardError =>
  new BoardError('BOARD_STALE_VERSION', 'conflict', `This ${kind} changed since version ${given}; start again from the current one`, { current });

export const boardClosed = (): BoardError => new BoardError('BOARD_CLOSED', 'conflict', 'The outcomes of this session are published; the board no longer changes');

export const notOnBoard = (): BoardError =>
  new BoardError('BOARD_NOT_ON_BOARD', 'forbidden', "Only this session's facilitators and checked-in participants act on its board");

export class BoardSessionNotFoundError extends BoardError {
  constructor() {
    super('BOARD_SESSION_NOT_FOUND', 'not_found', 'Session not found');
  }
}
