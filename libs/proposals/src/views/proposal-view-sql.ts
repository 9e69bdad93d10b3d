/**
 * Proposal views built by PostgreSQL, for pages (the list, search, similar). Building twenty
 * views from hydrated entities (the page's ids, then the rows, then five reads for topics,
 * co-authors, answers, the caller's supports and names, then JSON.stringify) cost the API ~4 ms
 * of CPU a page, four times the bare baseline's whole request (CPU profile under the bench's
 * list load). Here the statement that finds the page writes each view as JSON text, which
 * reaches the client as it is (common's PreserializedJson). The text is toProposalView's view;
 * test/proposals/proposal-views.e2e-spec.ts keeps the two mappers equal.
 */

/** As Date.prototype.toISOString writes it; both truncate PostgreSQL's microseconds to milliseconds. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * toProposalView's view of the proposal aliased `p`, as a JSON text expression. `viewerId`: the
 * placeholder of the caller's id, or null for an anonymous caller (no supports are read then);
 * `displayNameSql`: identity's expression for a person's public name (UsersService).
 */
export function proposalViewSql(viewerId: string | null, displayNameSql: (userIdSql: string) => string): string {
  const person = (id: string) => `json_build_object('id', ${id}, 'displayName', ${displayNameSql(id)})`;
  const fields = [
    `'id', p.id`,
    `'municipalityId', p.municipality_id`,
    `'title', p.title`,
    `'body', p.body`,
    `'bodyHtml', p.body_html`,
    `'language', p.language`,
    `'status', p.status`,
    `'awaitingReview', p.status = 'held'`,
    `'moderationNote', p.moderation_note`,
    `'topic', (SELECT json_build_object('id', t.id, 'code', t.code, 'nameFr', t.name_fr, 'nameEn', t.name_en) FROM proposal_topics t WHERE t.id = p.topic_id)`,
    `'location', CASE WHEN p.lat IS NOT NULL AND p.lng IS NOT NULL THEN json_build_object('lat', p.lat, 'lng', p.lng) END`,
    `'districtId', p.district_id`,
    `'author', CASE WHEN p.author_id IS NOT NULL THEN ${person('p.author_id')} END`,
    `'coauthors', COALESCE((SELECT json_agg(${person('c.user_id')} ORDER BY c.accepted_at) FROM proposal_coauthors c WHERE c.proposal_id = p.id AND c.accepted_at IS NOT NULL), '[]')`,
    `'supportCount', p.support_count`,
    `'commentCount', p.comment_count`,
    `'publishedAt', ${iso('p.published_at')}`,
    `'expiresAt', ${iso('p.expires_at')}`,
    `'thresholdReachedAt', ${iso('p.threshold_reached_at')}`,
    `'answerDueAt', ${iso('p.answer_due_at')}`,
    `'answer', (SELECT json_build_object('status', a.status, 'body', a.body, 'bodyHtml', a.body_html, 'estimatedCost', a.estimated_cost, 'timeline', a.timeline, 'publishedAt', ${iso('a.published_at')})
                FROM proposal_answers a WHERE a.proposal_id = p.id AND a.published_at IS NOT NULL)`,
    `'withdrawnReason', p.withdrawn_reason`,
    `'promotedFromReportId', p.promoted_from_report_id`,
    `'fromWorkshopIdeaId', p.from_workshop_idea_id`,
    `'createdAt', ${iso('p.created_at')}`,
    `'supportedByMe', ${viewerId === null ? 'false' : `EXISTS (SELECT 1 FROM proposal_supports s WHERE s.proposal_id = p.id AND s.user_id = ${viewerId})`}`,
  ];
  return `json_build_object(${fields.join(', ')})::text`;
}
