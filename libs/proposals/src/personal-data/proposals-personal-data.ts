import { Injectable } from '@nestjs/common';
import { concurrentReads, ErasureOptions, PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager } from 'typeorm';
import { renderSafeMarkdown } from '../content/markdown';

/**
 * A person's proposals, co-authorships and supports (GDPR art. 15, 17, 20).
 *
 * Erasure keeps the proposals (others supported and discussed them; the town may have answered)
 * but cuts them from the person: no author, so the public view shows no name. When the person
 * asks for their contributions to be removed, the proposals' title and body are replaced by the
 * removal text too (their photos and documents go with media's part). Co-authorships go: a
 * co-author is a name shown on the proposal. Supports still count — the threshold was reached
 * with them — but each row's person becomes a random id that leads to nobody (the table has no
 * foreign key to users for that reason, migrations/1765100000000-ProposalSupportsOutliveTheirPeople.ts).
 * Answers the person drafted as staff lose their drafter.
 */
@Injectable()
@ProvidesPersonalData('proposals')
export class ProposalsPersonalData implements PersonalDataContributor {
  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    const [proposals, coauthorships, supports] = await concurrentReads(manager, [
      () =>
        manager.query(
          `SELECT p.id, p.municipality_id AS "municipalityId", p.title, p.body, p.language, p.status, t.code AS "topic",
                  CASE WHEN p.lat IS NULL THEN NULL ELSE json_build_object('lat', p.lat, 'lng', p.lng) END AS "location",
                  p.district_id AS "districtId", p.support_count AS "supportCount", p.withdrawn_reason AS "withdrawnReason",
                  p.created_at AS "createdAt", p.published_at AS "publishedAt", p.updated_at AS "updatedAt"
             FROM proposals p JOIN proposal_topics t ON t.id = p.topic_id
            WHERE p.author_id = $1 ORDER BY p.created_at, p.id`,
          [userId],
        ) as Promise<unknown[]>,
      () =>
        manager.query(
          `SELECT c.proposal_id AS "proposalId", p.title, c.invited_at AS "invitedAt", c.accepted_at AS "acceptedAt"
             FROM proposal_coauthors c JOIN proposals p ON p.id = c.proposal_id
            WHERE c.user_id = $1 ORDER BY c.invited_at, c.proposal_id`,
          [userId],
        ) as Promise<unknown[]>,
      () =>
        manager.query(
          `SELECT s.proposal_id AS "proposalId", p.title, s.created_at AS "createdAt"
             FROM proposal_supports s JOIN proposals p ON p.id = s.proposal_id
            WHERE s.user_id = $1 ORDER BY s.created_at, s.proposal_id`,
          [userId],
        ) as Promise<unknown[]>,
    ] as const);
    return { proposals, coauthorships, supports };
  }

  async eraseFor(userId: string, manager: EntityManager, options: ErasureOptions): Promise<void> {
    if (options.removeContributions) {
      await manager.query(`UPDATE proposals SET title = $2, body = $2, body_html = $3, updated_at = now() WHERE author_id = $1`, [
        userId,
        options.removedText,
        renderSafeMarkdown(options.removedText),
      ]);
    }
    await manager.query(`UPDATE proposals SET author_id = NULL, updated_at = now() WHERE author_id = $1`, [userId]);
    await manager.query(`DELETE FROM proposal_coauthors WHERE user_id = $1`, [userId]);
    // Counted still (support_count is left alone), traceable to no one.
    await manager.query(`UPDATE proposal_supports SET user_id = gen_random_uuid() WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE proposal_answers SET drafted_by_id = NULL WHERE drafted_by_id = $1`, [userId]);
  }
}
