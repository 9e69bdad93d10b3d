/**
 * The bare baseline the reports benchmark compares against: Fastify + pg doing the equivalent
 * insert and selects on the same tables, with none of the product's validation, auth,
 * idempotency, deadlines, timeline, follows, outbox or views.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = Fastify({ logger: false });

const OPEN = ['new', 'acknowledged', 'in_progress'];

app.get('/health', async () => ({ status: 'ok' }));

app.post('/reports', async (req, reply) => {
  const body = req.body as { municipalityId: string; categoryId: string; categoryCode: string; description: string; lat: number; lng: number; reporterId: string };
  const { rows } = await pool.query(
    `INSERT INTO reports (municipality_id, kind, category_id, category_code, description, lat, lng, location, reporter_id)
     VALUES ($1, 'problem', $2, $3, $4, $5, $6, point($6, $5), $7) RETURNING *`,
    [body.municipalityId, body.categoryId, body.categoryCode, body.description, body.lat, body.lng, body.reporterId],
  );
  reply.code(201);
  return rows[0];
});

app.get('/reports', async (req) => {
  const q = req.query as { m: string; bbox: string };
  const [minLng, minLat, maxLng, maxLat] = q.bbox.split(',').map(Number);
  const { rows } = await pool.query(
    // The same SQL as the product's (newest first by a KNN scan of the GiST index).
    `SELECT * FROM reports WHERE municipality_id = $1 AND hidden_at IS NULL AND location <@ box(point($2, $3), point($4, $5))
     ORDER BY created_at <-> '3000-01-01T00:00:00Z'::timestamptz LIMIT 51`,
    [q.m, minLng, minLat, maxLng, maxLat],
  );
  return { items: rows };
});

app.get('/nearby', async (req) => {
  const q = req.query as { m: string; lat: string; lng: string };
  const lat = Number(q.lat);
  const lng = Number(q.lng);
  const dLat = 250 / 111_320;
  const dLng = 250 / (111_320 * Math.cos((lat * Math.PI) / 180));
  const { rows } = await pool.query(
    // The same SQL as the product's: the nearest of the box from the index alone, then those rows.
    `SELECT r.*, nearest.distance FROM reports r
       JOIN (SELECT n.id, (2 * 6371000 * asin(sqrt(power(sin(radians(n.location[1] - $2) / 2), 2)
                             + cos(radians($2)) * cos(radians(n.location[1])) * power(sin(radians(n.location[0] - $3) / 2), 2)))) AS distance
               FROM reports n
              WHERE n.municipality_id = $1 AND n.status IN ('new', 'acknowledged', 'in_progress') AND n.hidden_at IS NULL
                AND n.location <@ box(point($4, $5), point($6, $7))
              ORDER BY distance LIMIT 20) nearest ON nearest.id = r.id
     ORDER BY nearest.distance`,
    [q.m, lat, lng, lng - dLng, lat - dLat, lng + dLng, lat + dLat],
  );
  return rows.filter((r) => r.distance <= 250);
});

app.get('/triage', async (req) => {
  const q = req.query as { m: string };
  const { rows } = await pool.query(
    `SELECT * FROM reports WHERE municipality_id = $1 AND status = ANY($2) ORDER BY created_at ASC, id ASC LIMIT 51`,
    [q.m, OPEN],
  );
  return { items: rows };
});

app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' }).catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

process.on('SIGTERM', () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0));
});
