import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('new', 'acknowledged', 'in_progress')`;

/**
 * "Is it already reported?" is answered from the index alone: it holds each open, visible
 * report's point, id and category, so the nearest of a box are found without reading the
 * table (an index-only scan, once vacuum has marked the pages visible), and only the 20 shown are
 * read whole. It replaces the index on open reports' points, which made the query visit a table
 * page for every report in the box (a thousand in a dense centre).
 */
export class ReportsNearbyIndex1763860004000 implements MigrationInterface {
  name = 'ReportsNearbyIndex1763860004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX reports_nearby_idx ON reports USING gist (municipality_id, location) INCLUDE (id, category_code)
       WHERE status IN ${OPEN} AND hidden_at IS NULL`,
    );
    await q.query(`DROP INDEX reports_open_location_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX reports_open_location_idx ON reports USING gist (municipality_id, location) WHERE status IN ${OPEN}`);
    await q.query(`DROP INDEX reports_nearby_idx`);
  }
}
