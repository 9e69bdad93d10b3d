import { Injectable } from '@nestjs/common';
import { AuditService, containsPoint, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, DistrictsService, MunicipalitiesService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { CreateRoomDto, CreateVenueDto, UpdateVenueDto } from '../dto/venue.dto';
import { isUuid } from '../ids';
import { WORKSHOP_AUDIT } from '../workshops.events';
import { VenueNotFoundError } from '../workshops.errors';
import { RoomEntity, VenueEntity } from './venue.entity';

export interface VenueView {
  id: string;
  municipalityId: string;
  name: string;
  address: string;
  location: { lng: number; lat: number } | null;
  districtId: string | null;
  accessibility: string;
  isThirdPlace: boolean;
  rooms: Array<{ id: string; name: string; capacity: number }>;
}

function parsePoint(p: string | { x: number; y: number } | null): { lng: number; lat: number } | null {
  if (!p) return null;
  if (typeof p === 'object') return { lng: p.x, lat: p.y };
  const [lng, lat] = p.replace(/[()]/g, '').split(',').map(Number);
  return { lng, lat };
}

export function toVenueView(v: VenueEntity, rooms: RoomEntity[]): VenueView {
  return {
    id: v.id,
    municipalityId: v.municipalityId,
    name: v.name,
    address: v.address,
    location: parsePoint(v.location as never),
    districtId: v.districtId,
    accessibility: v.accessibility,
    isThirdPlace: v.isThirdPlace,
    rooms: rooms.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity })),
  };
}

/** Venues and their rooms: managed by the town's staff, public to read. */
@Injectable()
export class VenuesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly districts: DistrictsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, slug: string, dto: CreateVenueDto): Promise<VenueView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    const districtId = await this.placeIn(municipality, dto.location);
    return this.tx.run(async (manager) => {
      const venue = await manager.save(
        manager.create(VenueEntity, {
          municipalityId: municipality.id,
          name: dto.name,
          address: dto.address ?? '',
          location: dto.location ? `(${dto.location.lng},${dto.location.lat})` : null,
          districtId,
          accessibility: dto.accessibility ?? '',
          isThirdPlace: dto.isThirdPlace ?? false,
        }),
      );
      const rooms = await this.insertRooms(manager, venue.id, dto.rooms ?? []);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: WORKSHOP_AUDIT.venueCreated, targetType: 'workshop_venue', targetId: venue.id, after: { name: venue.name, rooms: rooms.length } });
      return toVenueView(await manager.findOneByOrFail(VenueEntity, { id: venue.id }), rooms);
    });
  }

  async update(actor: Actor, slug: string, id: string, dto: UpdateVenueDto): Promise<VenueView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    const districtId = dto.location ? await this.placeIn(municipality, dto.location) : undefined;
    return this.tx.run(async (manager) => {
      const venue = await this.require(manager, municipality.id, id);
      const before = toVenueView(venue, []);
      Object.assign(venue, {
        name: dto.name ?? venue.name,
        address: dto.address ?? venue.address,
        accessibility: dto.accessibility ?? venue.accessibility,
        isThirdPlace: dto.isThirdPlace ?? venue.isThirdPlace,
        ...(dto.location ? { location: `(${dto.location.lng},${dto.location.lat})`, districtId } : {}),
        ...(dto.location === null ? { location: null, districtId: null } : {}),
        sequence: venue.sequence + 1,
      });
      await manager.save(venue);
      const saved = await manager.findOneByOrFail(VenueEntity, { id });
      await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: WORKSHOP_AUDIT.venueUpdated, targetType: 'workshop_venue', targetId: id, before: { ...before }, after: { ...toVenueView(saved, []) } });
      return toVenueView(saved, await this.rooms(manager, id));
    });
  }

  async addRoom(actor: Actor, slug: string, id: string, dto: CreateRoomDto): Promise<VenueView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    return this.tx.run(async (manager) => {
      const venue = await this.require(manager, municipality.id, id);
      const existing = await this.rooms(manager, id);
      if (existing.some((r) => r.name === dto.name)) throw new ValidationError('Room name taken', [{ field: 'name', code: 'ROOM_NAME_TAKEN', message: 'this venue already has a room of that name' }], 'VALIDATION_FAILED', 'unprocessable');
      const [room] = await this.insertRooms(manager, id, [dto]);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: WORKSHOP_AUDIT.roomCreated, targetType: 'workshop_venue', targetId: id, after: { room: room.name, capacity: room.capacity } });
      return toVenueView(venue, [...existing, room]);
    });
  }

  async list(slug: string): Promise<VenueView[]> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const venues = await this.tx.manager.find(VenueEntity, { where: { municipalityId: municipality.id }, order: { name: 'ASC', id: 'ASC' }, take: 500 });
    const rooms = venues.length ? await this.tx.manager.createQueryBuilder(RoomEntity, 'r').where('r.venue_id IN (:...ids)', { ids: venues.map((v) => v.id) }).orderBy('r.name').getMany() : [];
    return venues.map((v) => toVenueView(v, rooms.filter((r) => r.venueId === v.id)));
  }

  async get(slug: string, id: string): Promise<VenueView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const venue = await this.require(this.tx.manager, municipality.id, id);
    return toVenueView(venue, await this.rooms(this.tx.manager, id));
  }

  async getById(id: string): Promise<VenueView> {
    if (!isUuid(id)) throw new VenueNotFoundError();
    const venue = await this.tx.manager.findOneBy(VenueEntity, { id });
    if (!venue) throw new VenueNotFoundError();
    return toVenueView(venue, await this.rooms(this.tx.manager, id));
  }

  private rooms(manager: EntityManager, venueId: string): Promise<RoomEntity[]> {
    return manager.find(RoomEntity, { where: { venueId }, order: { name: 'ASC' } });
  }

  private async insertRooms(manager: EntityManager, venueId: string, rooms: CreateRoomDto[]): Promise<RoomEntity[]> {
    const names = rooms.map((r) => r.name);
    if (new Set(names).size !== names.length) throw new ValidationError('Room names repeat', [{ field: 'rooms', code: 'ROOM_NAME_TAKEN', message: 'room names must differ' }], 'VALIDATION_FAILED', 'unprocessable');
    const saved: RoomEntity[] = [];
    for (const r of rooms) saved.push(await manager.save(manager.create(RoomEntity, { venueId, name: r.name, capacity: r.capacity })));
    return saved;
  }

  private async require(manager: EntityManager, municipalityId: string, id: string): Promise<VenueEntity> {
    if (!isUuid(id)) throw new VenueNotFoundError();
    const venue = await manager.findOneBy(VenueEntity, { id, municipalityId });
    if (!venue) throw new VenueNotFoundError();
    return venue;
  }

  /** A location must be in the town (when it has a boundary); its district is remembered for filters. */
  private async placeIn(municipality: { id: string; boundary: Parameters<typeof containsPoint>[0] | null }, location?: { lng: number; lat: number }): Promise<string | null> {
    if (!location) return null;
    if (municipality.boundary && !containsPoint(municipality.boundary, location.lng, location.lat)) {
      throw new ValidationError('The venue is outside the municipality', [{ field: 'location', code: 'OUTSIDE_MUNICIPALITY', message: 'the location is outside the municipality' }], 'VALIDATION_FAILED', 'unprocessable');
    }
    return (await this.districts.findContaining(municipality.id, location.lng, location.lat))?.id ?? null;
  }
}
