import { Injectable } from '@nestjs/common';
import { PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager } from 'typeorm';

/** Roles a person holds in municipalities: exported, and dropped when the account is erased. */
@Injectable()
@ProvidesPersonalData('memberships')
export class MembershipsPersonalData implements PersonalDataContributor {
  exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    return manager.query(
      `SELECT m.slug AS "municipalitySlug", m.name AS "municipalityName", mm.roles, mm.department,
              mm.created_at AS "createdAt", mm.updated_at AS "updatedAt"
       FROM municipality_members mm JOIN municipalities m ON m.id = mm.municipality_id
       WHERE mm.user_id = $1 ORDER BY m.slug`,
      [userId],
    );
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM municipality_members WHERE user_id = $1`, [userId]);
  }
}

/**
 * Where a person is verified as a resident. Erasure drops their residencies; the codes they
 * redeemed stay used (a code works once) but no longer point at them, and residencies or codes
 * they handled as staff lose the link to them.
 */
@Injectable()
@ProvidesPersonalData('residencies')
export class ResidenciesPersonalData implements PersonalDataContributor {
  exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    return manager.query(
      `SELECT m.slug AS "municipalitySlug", m.name AS "municipalityName", r.method, r.verified_at AS "verifiedAt",
              d.code AS "districtCode", r.birth_year AS "birthYear"
       FROM residencies r JOIN municipalities m ON m.id = r.municipality_id LEFT JOIN districts d ON d.id = r.district_id
       WHERE r.user_id = $1 ORDER BY m.slug`,
      [userId],
    );
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM residencies WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE residencies SET verified_by_id = NULL WHERE verified_by_id = $1`, [userId]);
    await manager.query(`UPDATE residency_codes SET redeemed_by_id = NULL WHERE redeemed_by_id = $1`, [userId]);
    await manager.query(`UPDATE residency_codes SET created_by_id = NULL WHERE created_by_id = $1`, [userId]);
  }
}
