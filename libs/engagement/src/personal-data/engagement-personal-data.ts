import { Injectable } from '@nestjs/common';
import { ErasureOptions, PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager } from 'typeorm';

/**
 * A person's comments (with their earlier texts), follows and flags. Erasure keeps the comments
 * (the conversation stays readable) without their author — or, when the person asks, with their
 * text replaced — drops the texts of the comments they had deleted themselves (all earlier texts
 * when they ask for removal), drops the follows, and unlinks the flags they raised or decided;
 * the audit trail keeps who moderated. Moderation reviews of their content stay, unlinked.
 */
@Injectable()
@ProvidesPersonalData('engagement')
export class EngagementPersonalData implements PersonalDataContributor {
  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    // One after the other: they share the export's transaction, and so its connection.
    const comments: unknown[] = await manager.query(
      `SELECT c.id, c.subject_type AS "subjectType", c.subject_id AS "subjectId", c.in_reply_to_id AS "inReplyToId", c.body, c.status,
              c.created_at AS "createdAt", c.edited_at AS "editedAt", c.deleted_at AS "deletedAt",
              COALESCE((SELECT json_agg(json_build_object('body', v.body, 'writtenAt', v.written_at, 'replacedAt', v.replaced_at, 'reason', v.reason) ORDER BY v.id)
                        FROM comment_versions v WHERE v.comment_id = c.id), '[]'::json) AS "earlierTexts"
       FROM comments c WHERE c.author_id = $1 ORDER BY c.created_at, c.id`,
      [userId],
    );
    const follows: unknown[] = await manager.query(
      `SELECT subject_type AS "subjectType", subject_id AS "subjectId", created_at AS "createdAt"
       FROM follows WHERE user_id = $1 ORDER BY created_at, subject_type, subject_id`,
      [userId],
    );
    const flags: unknown[] = await manager.query(
      `SELECT id, subject_type AS "subjectType", subject_id AS "subjectId", reason, note, status, created_at AS "createdAt"
       FROM flags WHERE reporter_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    const moderation: unknown[] = await manager.query(
      `SELECT id, subject_type AS "subjectType", subject_id AS "subjectId", kind, reason, status, decision_reason AS "decisionReason",
              created_at AS "createdAt", decided_at AS "decidedAt"
       FROM moderation_items WHERE author_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return { comments, follows, flags, moderation };
  }

  async eraseFor(userId: string, manager: EntityManager, options: ErasureOptions): Promise<void> {
    if (options.removeContributions) {
      // Earlier texts go too, or a moderator's history view would still show the words removed.
      await manager.query(`DELETE FROM comment_versions v USING comments c WHERE v.comment_id = c.id AND c.author_id = $1`, [userId]);
      await manager.query(`UPDATE comments SET author_id = NULL, body = $2 WHERE author_id = $1`, [userId, options.removedText]);
    } else {
      // What the person deleted themselves was kept for moderators only; leaving, they take it along.
      await manager.query(
        `DELETE FROM comment_versions v USING comments c WHERE v.comment_id = c.id AND c.author_id = $1 AND c.deleted_at IS NOT NULL`,
        [userId],
      );
      await manager.query(`UPDATE comments SET author_id = NULL WHERE author_id = $1`, [userId]);
    }
    await manager.query(`DELETE FROM follows WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE flags SET reporter_id = NULL WHERE reporter_id = $1`, [userId]);
    await manager.query(`UPDATE flags SET resolved_by_id = NULL WHERE resolved_by_id = $1`, [userId]);
    // Reviews of their content stay (the decision still holds), no longer tied to them.
    await manager.query(`UPDATE moderation_items SET author_id = NULL WHERE author_id = $1`, [userId]);
    await manager.query(`UPDATE moderation_items SET decided_by_id = NULL WHERE decided_by_id = $1`, [userId]);
    await manager.query(`DELETE FROM moderation_contributors WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE moderation_settings SET updated_by_id = NULL WHERE updated_by_id = $1`, [userId]);
  }
}
