/**
 * The bare baseline the proposals benchmark compares against: Fastify + pg doing the support's
 * transaction (row lock, authorship, settings, residency, insert, count, event) and the list and
 * search selects on the same tables, with none of the product's validation, auth, access rules,
 * threshold handling or views.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = Fastify({ logger: false });
const PUBLIC = `('published', 'threshold_reached', 'expired', 'evaluating', 'accepted', 'rejected', 'implemented')`;

app.get('/health', async () => ({ status: 'ok' }));

app.post('/support', async (req) => {
  const { proposalId, userId } = req.body as { proposalId: string; userId: string };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(`SELECT * FROM proposals WHERE id = $1 FOR UPDATE`, [proposalId]);
    const p = rows[0];
    await client.query(`SELECT user_id FROM proposal_coauthors WHERE proposal_id = $1 AND accepted_at IS NOT NULL`, [proposalId]);
    await client.query(`SELECT * FROM proposal_settings WHERE municipality_id = $1`, [p.municipality_id]);
    await client.query(`SELECT 1 FROM residencies WHERE user_id = $1 AND municipality_id = $2`, [userId, p.municipality_id]);
    const inserted = await client.query(`INSERT INTO proposal_supports (proposal_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`, [proposalId, userId]);
    let count = p.support_count as number;
    if (inserted.rowCount) {
      const updated = await client.query(`UPDATE proposals SET support_count = support_count + 1 WHERE id = $1 RETURNING support_count`, [proposalId]);
      count = updated.rows[0].support_count;
      await client.query(
        `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, municipality_id, payload) VALUES ('proposals.support_changed', 'proposal', $1, $2, $3)`,
        [proposalId, p.municipality_id, JSON.stringify({ proposalId, supportCount: count })],
      );
    }
    await client.query('COMMIT');
    return { proposalId, supportCount: count };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
});

app.get('/list', async (req) => {
  const q = req.query as { m: string; sort: string };
  const column = q.sort === 'most_supported' ? 'support_count' : q.sort === 'most_commented' ? 'comment_count' : 'published_at';
  const order = q.sort === 'random' ? 'shuffle, id' : `${column} DESC, id DESC`;
  const { rows } = await pool.query(`SELECT * FROM proposals WHERE municipality_id = $1 AND status IN ${PUBLIC} ORDER BY ${order} LIMIT 21`, [q.m]);
  return { items: rows };
});

app.get('/search', async (req) => {
  const q = req.query as { m: string; q: string };
  const { rows } = await pool.query(
    `SELECT p.* FROM (SELECT s.proposal_id, ts_rank(s.search_vector, w.tq) AS rank
                         FROM proposal_search s, (SELECT websearch_to_tsquery('civic_fr', $2) || websearch_to_tsquery('civic_en', $2) AS tq) w
                        WHERE s.municipality_id = $1 AND s.listed AND s.search_vector @@ w.tq
                        ORDER BY rank DESC, s.proposal_id DESC LIMIT 21) page
       JOIN proposals p ON p.id = page.proposal_id ORDER BY page.rank DESC, page.proposal_id DESC`,
    [q.m, q.q],
  );
  return { items: rows };
});

app.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' }).catch((error) => {
  console.error(error);
  process.exit(1);
});
