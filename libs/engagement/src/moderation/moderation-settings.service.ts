import { Injectable } from '@nestjs/common';
import { AuditService, FieldError, TransactionService, UnauthenticatedError, ValidationError } from '@app/common';
import { AccessService, Actor, MunicipalitiesService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { MODERATOR_ROLES } from './moderator-roles';
import { NO_CONTROL_CHARACTERS_EXCEPT_LINES } from '../keyset';
import { normalizeHeldWords, words } from './held-words';
import { ModerationSettingsEntity } from './moderation.entities';

export const FLAG_THRESHOLD_MAX = 100;
export const HOLD_FIRST_CONTRIBUTIONS_MAX = 100;
export const HELD_WORDS_MAX = 500;
export const HELD_WORD_MAX_LENGTH = 60;

export interface ModerationSettings {
  /** Pending flags on one subject that hide it pending review. */
  flagThreshold: number;
  /** Each person's first N contributions in the town are held (0: none). */
  holdFirstContributions: number;
  /** Every contribution is held. */
  holdAll: boolean;
  /** Contributions containing one of these (accents and case folded, whole words) are held. */
  heldWords: string[];
}

export const DEFAULT_MODERATION_SETTINGS: ModerationSettings = { flagThreshold: 3, holdFirstContributions: 0, holdAll: false, heldWords: [] };

export type ModerationSettingsChange = Partial<ModerationSettings>;

/** A town's moderation rules: read by its staff, changed by its admins (audited). */
@Injectable()
export class ModerationSettingsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  /** The rules in force, defaults for a town that never set them. */
  async forMunicipality(municipalityId: string, manager: EntityManager = this.tx.manager): Promise<ModerationSettings> {
    const row = await manager.findOne(ModerationSettingsEntity, { where: { municipalityId } });
    return row ? toSettings(row) : { ...DEFAULT_MODERATION_SETTINGS, heldWords: [] };
  }

  async get(actor: Actor | undefined, slug: string): Promise<ModerationSettings> {
    if (!actor) throw new UnauthenticatedError();
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, MODERATOR_ROLES);
    return this.forMunicipality(municipality.id);
  }

  /** Fields left out keep their value; `heldWords` replaces the whole list. */
  async update(actor: Actor | undefined, slug: string, change: ModerationSettingsChange): Promise<ModerationSettings> {
    if (!actor) throw new UnauthenticatedError();
    const valid = validChange(change);
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    return this.tx.run(async (manager) => {
      // Serialises two admins' changes, so the audit's before is the state each one replaced.
      await manager.query(
        `INSERT INTO moderation_settings (municipality_id) VALUES ($1) ON CONFLICT (municipality_id) DO NOTHING`,
        [municipality.id],
      );
      const before = await manager.findOneOrFail(ModerationSettingsEntity, { where: { municipalityId: municipality.id }, lock: { mode: 'pessimistic_write' } });
      const after = { ...toSettings(before), ...valid };
      await manager.update(ModerationSettingsEntity, { municipalityId: municipality.id }, { ...after, updatedById: actor.id });
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'moderation.settings_changed',
        targetType: 'municipality',
        targetId: municipality.id,
        before: toSettings(before),
        after,
      });
      return after;
    });
  }
}

function toSettings(row: ModerationSettingsEntity): ModerationSettings {
  return { flagThreshold: row.flagThreshold, holdFirstContributions: row.holdFirstContributions, holdAll: row.holdAll, heldWords: [...row.heldWords] };
}

/** The DTO checks the same; checked again because other libraries may call the service. */
function validChange(change: ModerationSettingsChange): ModerationSettingsChange {
  const problems: FieldError[] = [];
  const out: ModerationSettingsChange = {};
  const int = (field: 'flagThreshold' | 'holdFirstContributions', min: number, max: number) => {
    const v = change[field];
    if (v === undefined) return;
    if (!Number.isInteger(v)) problems.push({ field, code: 'IS_INT', message: `${field} must be an integer` });
    else if (v < min) problems.push({ field, code: 'MIN', message: `${field} must be at least ${min}`, params: { min } });
    else if (v > max) problems.push({ field, code: 'MAX', message: `${field} must be at most ${max}`, params: { max } });
    else out[field] = v;
  };
  int('flagThreshold', 1, FLAG_THRESHOLD_MAX);
  int('holdFirstContributions', 0, HOLD_FIRST_CONTRIBUTIONS_MAX);
  if (change.holdAll !== undefined) {
    if (typeof change.holdAll !== 'boolean') problems.push({ field: 'holdAll', code: 'IS_BOOLEAN', message: 'holdAll must be a boolean' });
    else out.holdAll = change.holdAll;
  }
  if (change.heldWords !== undefined) {
    const list = change.heldWords;
    if (!Array.isArray(list) || list.length > HELD_WORDS_MAX) {
      problems.push({ field: 'heldWords', code: 'ARRAY_MAX_SIZE', message: `heldWords must be a list of at most ${HELD_WORDS_MAX} entries`, params: { max: HELD_WORDS_MAX } });
    } else {
      const bad = list.findIndex(
        (w) => typeof w !== 'string' || Array.from(w.trim()).length > HELD_WORD_MAX_LENGTH || !NO_CONTROL_CHARACTERS_EXCEPT_LINES.test(w) || words(w).length === 0,
      );
      if (bad >= 0) {
        problems.push({
          field: 'heldWords',
          code: 'HELD_WORD',
          message: `heldWords[${bad}] must be a word or phrase of at most ${HELD_WORD_MAX_LENGTH} characters, with a letter or digit`,
          params: { index: bad, max: HELD_WORD_MAX_LENGTH },
        });
      } else out.heldWords = normalizeHeldWords(list);
    }
  }
  if (problems.length > 0) throw new ValidationError(`Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
  return out;
}
