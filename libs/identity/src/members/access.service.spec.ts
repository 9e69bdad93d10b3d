import { baseDataSourceOptions, DomainException } from '@app/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MunicipalityEntity } from '../municipalities/municipality.entity';
import { ResidencyEntity } from '../residency/residency.entity';
import { UserEntity } from '../users/user.entity';
import { AccessService, isOwner, rolesSatisfy } from './access.service';
import { MembershipEntity } from './membership.entity';

describe('rolesSatisfy', () => {
  it('is satisfied by any one of the required roles', () => {
    expect(rolesSatisfy(['staff'], ['staff', 'admin'])).toBe(true);
    expect(rolesSatisfy(['admin'], ['staff', 'admin'])).toBe(true);
    expect(rolesSatisfy(['facilitator'], ['staff', 'admin'])).toBe(false);
    expect(rolesSatisfy([], ['staff'])).toBe(false);
    expect(rolesSatisfy(['staff', 'facilitator'], [])).toBe(false);
  });
});

describe('isOwner', () => {
  const id = randomUUID();
  it('is true only for the same person', () => {
    expect(isOwner(id, id)).toBe(true);
    expect(isOwner(id, randomUUID())).toBe(false);
  });

  it('is never true when the owner or the viewer is missing (an erased reporter seen by an anonymous caller)', () => {
    expect(isOwner(null, null)).toBe(false);
    expect(isOwner(null, undefined)).toBe(false);
    expect(isOwner(undefined, undefined)).toBe(false);
    expect(isOwner('', '')).toBe(false);
    expect(isOwner(null, id)).toBe(false);
    expect(isOwner(id, null)).toBe(false);
    expect(isOwner(id, undefined)).toBe(false);
  });
});

// Runs against this run's real database (created by the global setup), no mocks.
describe('AccessService', () => {
  let ds: DataSource;
  let access: AccessService;
  let townA: string;
  let townB: string;
  let staffOfA: string;
  let adminOfA: string;
  let citizen: string;

  async function user(): Promise<string> {
    const id = randomUUID();
    await ds.getRepository(UserEntity).insert({ id, email: `access-${id}@test.local`, displayName: 'Access spec' });
    return id;
  }

  async function town(): Promise<string> {
    const id = randomUUID();
    await ds.getRepository(MunicipalityEntity).insert({ id, slug: `access-${id.slice(0, 8)}`, name: 'Access town', timezone: 'Europe/Paris' });
    return id;
  }

  beforeAll(async () => {
    ds = new DataSource({
      ...baseDataSourceOptions(process.env.DATABASE_URL!),
      entities: [UserEntity, MunicipalityEntity, MembershipEntity, ResidencyEntity],
    });
    await ds.initialize();
    access = new AccessService(ds.getRepository(MembershipEntity), ds.getRepository(ResidencyEntity));
    [townA, townB] = [await town(), await town()];
    [staffOfA, adminOfA, citizen] = [await user(), await user(), await user()];
    await ds.getRepository(MembershipEntity).insert([
      { municipalityId: townA, userId: staffOfA, roles: ['staff', 'facilitator'], department: 'Voirie' },
      { municipalityId: townA, userId: adminOfA, roles: ['admin'] },
    ]);
    await ds.getRepository(ResidencyEntity).insert({ municipalityId: townA, userId: citizen, method: 'staff', verifiedById: staffOfA });
  });

  afterAll(() => ds?.destroy());

  const actor = (id: string, isPlatformAdmin = false) => ({ id, isPlatformAdmin });

  it('reads the roles held in one municipality, none elsewhere', async () => {
    expect(await access.rolesIn(staffOfA, townA)).toEqual(['staff', 'facilitator']);
    expect(await access.rolesIn(staffOfA, townB)).toEqual([]);
    expect(await access.rolesIn(citizen, townA)).toEqual([]);
  });

  it('grants a role only in the municipality where it is held', async () => {
    expect(await access.hasRole(actor(staffOfA), townA, ['staff'])).toBe(true);
    expect(await access.hasRole(actor(staffOfA), townB, ['staff'])).toBe(false);
    expect(await access.hasRole(actor(staffOfA), townA, ['admin'])).toBe(false);
    expect(await access.hasRole(actor(adminOfA), townA, ['staff', 'admin'])).toBe(true);
    expect(await access.hasRole(actor(citizen), townA, ['staff', 'facilitator', 'admin'])).toBe(false);
    expect(await access.hasRole(undefined, townA, ['staff'])).toBe(false);
  });

  it('counts the platform admin as holding every role everywhere', async () => {
    const platformAdmin = actor(randomUUID(), true);
    expect(await access.hasRole(platformAdmin, townB, ['admin'])).toBe(true);
    await expect(access.assertRole(platformAdmin, townB, ['staff'])).resolves.toBeUndefined();
    expect(() => access.assertPlatformAdmin(platformAdmin)).not.toThrow();
  });

  it('refuses with a 403 FORBIDDEN domain error', async () => {
    await expect(access.assertRole(actor(staffOfA), townB, ['staff'])).rejects.toMatchObject({ code: 'FORBIDDEN', kind: 'forbidden' });
    await expect(access.assertRole(actor(staffOfA), townA, ['admin'])).rejects.toBeInstanceOf(DomainException);
    await expect(access.assertRole(actor(staffOfA), townA, ['facilitator'])).resolves.toBeUndefined();
    expect(() => access.assertPlatformAdmin(actor(adminOfA))).toThrow(expect.objectContaining({ code: 'FORBIDDEN', kind: 'forbidden' }));
    expect(() => access.assertPlatformAdmin(undefined)).toThrow(DomainException);
  });

  it('knows who is a verified resident of which municipality', async () => {
    expect(await access.isResident(citizen, townA)).toBe(true);
    expect(await access.isResident(citizen, townB)).toBe(false);
    expect(await access.isResident(staffOfA, townA)).toBe(false);
  });

  it('reads inside the caller’s transaction when given its manager', async () => {
    await ds
      .transaction(async (manager) => {
        await manager.insert(MembershipEntity, { municipalityId: townB, userId: citizen, roles: ['facilitator'] });
        expect(await access.hasRole(actor(citizen), townB, ['facilitator'], manager)).toBe(true);
        throw new Error('rollback');
      })
      .catch((error: Error) => expect(error.message).toBe('rollback'));
    expect(await access.hasRole(actor(citizen), townB, ['facilitator'])).toBe(false);
  });
});
