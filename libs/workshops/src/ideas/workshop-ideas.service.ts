import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { defineErrorMessages, TransactionService } from '@app/common';
import { BoardError } from '../board/board.errors';
import { isUuid } from '../ids';

defineErrorMessages({
  WORKSHOP_IDEA_NOT_YOURS: { en: 'Only the author of this note may take it up elsewhere', fr: "Seul l'auteur de cette note peut la reprendre ailleurs" },
});

/** A board note as another part of the platform may take it up (e.g. as a proposal), with its author's consent. */
export interface AuthoredIdea {
  ideaId: string;
  text: string;
  sessionId: string;
  workshopId: string;
  municipalityId: string;
}

/**
 * The live board's notes for other domains. Only a note's author may take it elsewhere: the
 * author asking is the consent (nobody else — facilitators included — may act for them). Hidden
 * notes (moderated by a facilitator) are not offered; a note whose author erased their account
 * has no author any more, so nobody can.
 */
@Injectable()
export class WorkshopIdeasService {
  constructor(private readonly tx: TransactionService) {}

  /** The note, when `userId` wrote it and it is shown on its board; else 404 / 403. */
  async authoredIdea(userId: string, ideaId: string, manager?: EntityManager): Promise<AuthoredIdea> {
    const notFound = new BoardError('BOARD_IDEA_NOT_FOUND', 'not_found', 'No such note on a workshop board', { ideaId: ideaId.slice(0, 40) });
    if (!isUuid(ideaId)) throw notFound;
    const [row] = (await (manager ?? this.tx.manager).query(
      `SELECT i.id AS "ideaId", i.text, i.author_id AS "authorId", i.hidden OR COALESCE(c.hidden, false) AS hidden,
              s.id AS "sessionId", w.id AS "workshopId", w.municipality_id AS "municipalityId"
         FROM workshop_board_ideas i
         JOIN workshop_sessions s ON s.id = i.session_id
         JOIN workshops w ON w.id = s.workshop_id
         LEFT JOIN workshop_board_clusters c ON c.id = i.cluster_id
        WHERE i.id = $1`,
      [ideaId],
    )) as Array<AuthoredIdea & { authorId: string | null; hidden: boolean }>;
    if (!row || row.hidden) throw notFound;
    if (row.authorId !== userId) throw new BoardError('WORKSHOP_IDEA_NOT_YOURS', 'forbidden', 'Only the author of this note may take it up elsewhere');
    return { ideaId: row.ideaId, text: row.text, sessionId: row.sessionId, workshopId: row.workshopId, municipalityId: row.municipalityId };
  }
}
