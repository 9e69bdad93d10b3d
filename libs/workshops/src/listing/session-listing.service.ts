import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, Page, TransactionService, ValidationError } from '@app/common';
import { MunicipalitiesService } from '@app/identity';
import { ListSessionsQueryDto } from '../dto/listing.dto';
import { WorkshopSessionEntity } from '../sessions/session.entity';
import { SessionView, toSessionView } from '../sessions/session-view';
import { LocalizedText, WorkshopFormat } from '../workshops/workshop.entity';

export interface SessionListing extends SessionView {
  title: LocalizedText;
  topic: string;
  format: WorkshopFormat;
  venueName: string | null;
  districtId: string | null;
}

/**
 * The public listing: a town's scheduled sessions by start time, keyset paginated on
 * (starts_at, id) over the partial index `workshop_sessions_listing`; the other filters narrow it.
 */
@Injectable()
export class SessionListingService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  async list(slug: string, q: ListSessionsQueryDto): Promise<Page<SessionListing>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const limit = q.limit ?? 20;
    const from = q.from ? new Date(q.from) : new Date();
    const to = q.to ? new Date(q.to) : null;
    if (to && to <= from) throw new ValidationError('Invalid range', [{ field: 'to', code: 'RANGE_EMPTY', message: 'to must be after from' }]);
    const qb = this.tx.manager
      .createQueryBuilder(WorkshopSessionEntity, 's')
      .innerJoin('workshops', 'w', 'w.id = s.workshop_id')
      .leftJoin('workshop_venues', 'v', 'v.id = s.venue_id')
      .addSelect(['w.title AS w_title', 'w.topic AS w_topic', 'w.format AS w_format', 'v.name AS v_name', 'v.district_id AS v_district_id'])
      .where("s.municipality_id = :m AND s.status = 'scheduled' AND s.starts_at >= :from", { m: municipality.id, from })
      .orderBy('s.starts_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(limit + 1);
    if (to) qb.andWhere('s.starts_at < :to', { to });
    if (q.topic) qb.andWhere('w.topic = :topic', { topic: q.topic });
    if (q.format) qb.andWhere('w.format = :format', { format: q.format });
    if (q.venueId) qb.andWhere('s.venue_id = :venueId', { venueId: q.venueId });
    if (q.districtId) qb.andWhere('v.district_id = :districtId', { districtId: q.districtId });
    if (q.seatsLeft) qb.andWhere('s.capacity - s.seats_taken >= :seats', { seats: q.seatsLeft });
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['startsAt', 'id'] as const, { startsAt: 'timestamptz', id: 'uuid' });
      qb.andWhere('(s.starts_at, s.id) > (:startsAt::timestamptz, :id::uuid)', c);
    }
    const { entities, raw } = await qb.getRawAndEntities();
    const rows = entities.slice(0, limit);
    const items = rows.map((s, i) => ({
      ...toSessionView(s, municipality.timezone),
      title: raw[i].w_title as LocalizedText,
      topic: raw[i].w_topic as string,
      format: raw[i].w_format as WorkshopFormat,
      venueName: (raw[i].v_name as string | null) ?? null,
      districtId: (raw[i].v_district_id as string | null) ?? null,
    }));
    const last = rows[rows.length - 1];
    return { items, nextCursor: entities.length > limit && last ? encodeCursor({ startsAt: last.startsAt.toISOString(), id: last.id }) : null };
  }
}
