/**
 * The bare baseline the budgets benchmark compares ballot submission against: Fastify + pg doing
 * the transaction the product does — the voter's draft read and opened, the participation row
 * (its primary key refusing a second), the ballot sealed (AES-256-GCM) beside it, the draft
 * deleted, an outbox row — with none of the product's auth, eligibility, rule check or views.
 * The voter is named by a header instead of a token.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = Fastify({ logger: false });
const key = randomBytes(32);

function seal(value: unknown, budgetId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(budgetId));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function open(sealed: string, budgetId: string): unknown {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(budgetId));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8'));
}

app.get('/health', async () => ({ status: 'ok' }));
app.setErrorHandler((error, _req, reply) => {
  process.stderr.write(`baseline: ${String(error)}\n`);
  void reply.code(500).send({ error: String(error) });
});

app.put('/budgets/:id/ballot', async (req, reply) => {
  const { id } = req.params as { id: string };
  const userId = req.headers['x-user'] as string;
  await pool.query(
    `INSERT INTO budget_ballot_drafts (budget_id, user_id, sealed) VALUES ($1, $2, $3)
     ON CONFLICT (budget_id, user_id) DO UPDATE SET sealed = EXCLUDED.sealed`,
    [id, userId, seal(req.body, id)],
  );
  reply.code(204);
});

app.post('/budgets/:id/ballot/submit', async (req, reply) => {
  const { id } = req.params as { id: string };
  const userId = req.headers['x-user'] as string;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const budget = await client.query(`SELECT municipality_id, phase FROM budgets WHERE id = $1 FOR SHARE`, [id]);
    const draft = await client.query(`SELECT sealed FROM budget_ballot_drafts WHERE budget_id = $1 AND user_id = $2`, [id, userId]);
    if (!draft.rows[0] || budget.rows[0]?.phase !== 'voting') {
      await client.query('ROLLBACK');
      reply.code(409);
      return { code: 'NO_DRAFT' };
    }
    const choice = open(draft.rows[0].sealed as string, id);
    const inserted = await client.query(
      `INSERT INTO budget_participations (budget_id, user_id, channel) VALUES ($1, $2, 'online') ON CONFLICT DO NOTHING RETURNING user_id`,
      [id, userId],
    );
    if (!inserted.rowCount) {
      await client.query('ROLLBACK');
      reply.code(409);
      return { code: 'ALREADY_VOTED' };
    }
    const receipt = randomBytes(16).toString('base64url');
    await client.query(`INSERT INTO budget_sealed_ballots (budget_id, sealed, receipt_lookup) VALUES ($1, $2, $3)`, [id, seal({ choice, receipt }, id), seal(receipt, id)]);
    await client.query(`DELETE FROM budget_ballot_drafts WHERE budget_id = $1 AND user_id = $2`, [id, userId]);
    await client.query(
      `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, municipality_id, payload) VALUES ('budgets.ballot_cast', 'budget', $1, $2, $3)`,
      [id, budget.rows[0].municipality_id, JSON.stringify({ budgetId: id, municipalityId: budget.rows[0].municipality_id })],
    );
    await client.query('COMMIT');
    reply.code(201);
    return { receipt };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
});

app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' }).catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0));
});
