import { defineErrorMessages } from '@app/common';

/** The member life-cycle's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  PANEL_MEMBER_NOT_FOUND: { en: 'Panel membership not found', fr: 'Siège au panel introuvable' },
  PANEL_MEMBER_ILLEGAL_TRANSITION: { en: 'A member who is {from} cannot become {to}', fr: 'Un membre à l’état {from} ne peut pas passer à {to}' },
  PANEL_INVITATION_CODE_INVALID: {
    en: 'This invitation code is not valid (unknown, already used, or its deadline has passed)',
    fr: "Ce code d'invitation n'est pas valable (inconnu, déjà utilisé ou délai dépassé)",
  },
  PANEL_ALREADY_MEMBER: { en: 'This account already holds a seat on this panel', fr: 'Ce compte occupe déjà un siège de ce panel' },
  PANEL_TERM_RUNNING: { en: 'The term has already started', fr: 'Le mandat a déjà commencé' },
  PANEL_TERM_NOT_READY: { en: 'Nobody has confirmed yet', fr: "Personne n'a encore confirmé" },
  PANEL_ROTATION_NOT_DUE: { en: 'A rotation is due once the term has ended', fr: 'Le renouvellement ne peut avoir lieu qu’à la fin du mandat' },
});
