import { Injectable } from '@nestjs/common';
import { AuditService, TransactionService } from '@app/common';
import { AccessService, Actor, MunicipalitiesService } from '@app/identity';
import { EntityManager, QueryFailedError } from 'typeorm';
import { CreateTopicDto, ParticipationSettingsDto, UpdateTopicDto } from '../dto/participation.dto';
import { ProposalSettingsEntity, ProposalTopicEntity } from '../proposal.entity';
import { ProposalTopicNotFoundError, TopicCodeTakenError } from '../proposals.errors';

export interface ParticipationSettings {
  residencyRequired: boolean;
  supportThreshold: number;
  supportPeriodDays: number;
  answerDeadlineDays: number;
}

export const DEFAULT_PARTICIPATION_SETTINGS: ParticipationSettings = { residencyRequired: true, supportThreshold: 100, supportPeriodDays: 90, answerDeadlineDays: 30 };

export interface TopicView {
  id: string;
  code: string;
  nameFr: string;
  nameEn: string;
  active: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const toTopicView = (t: ProposalTopicEntity): TopicView => ({ id: t.id, code: t.code, nameFr: t.nameFr, nameEn: t.nameEn, active: t.active });

/** What a municipality's admin sets for proposals: participation settings and topics. */
@Injectable()
export class ParticipationService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** The town's settings, defaults where it set none. */
  async settingsFor(municipalityId: string, manager: EntityManager = this.tx.manager): Promise<ParticipationSettings> {
    const row = await manager.findOneBy(ProposalSettingsEntity, { municipalityId });
    if (!row) return { ...DEFAULT_PARTICIPATION_SETTINGS };
    const { residencyRequired, supportThreshold, supportPeriodDays, answerDeadlineDays } = row;
    return { residencyRequired, supportThreshold, supportPeriodDays, answerDeadlineDays };
  }

  async getSettings(slug: string): Promise<ParticipationSettings> {
    const municipality = await this.municipalities.requireBySlug(slug);
    return this.settingsFor(municipality.id);
  }

  /** Applies to proposals published from now on; a threshold change applies at the next support. */
  async putSettings(actor: Actor, slug: string, dto: ParticipationSettingsDto): Promise<ParticipationSettings> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    return this.tx.run(async (manager) => {
      const before = await this.settingsFor(municipality.id, manager);
      const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      const after: ParticipationSettings = { ...before, ...changes };
      await manager.upsert(ProposalSettingsEntity, { municipalityId: municipality.id, ...after }, ['municipalityId']);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: 'proposal.settings_changed', targetType: 'municipality', targetId: municipality.id, before, after });
      return after;
    });
  }

  async listTopics(slug: string, includeInactive = false): Promise<TopicView[]> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const rows = await this.tx.manager.find(ProposalTopicEntity, {
      where: { municipalityId: municipality.id, ...(includeInactive ? {} : { active: true }) },
      order: { code: 'ASC' },
      take: 500,
    });
    return rows.map(toTopicView);
  }

  async createTopic(actor: Actor, slug: string, dto: CreateTopicDto): Promise<TopicView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    try {
      return await this.tx.run(async (manager) => {
        const topic = await manager.save(manager.create(ProposalTopicEntity, { municipalityId: municipality.id, ...dto, active: true }));
        await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: 'proposal.topic_created', targetType: 'proposal_topic', targetId: topic.id, after: dto });
        return toTopicView(topic);
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') throw new TopicCodeTakenError(dto.code);
      throw error;
    }
  }

  async updateTopic(actor: Actor, slug: string, topicId: string, dto: UpdateTopicDto): Promise<TopicView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    return this.tx.run(async (manager) => {
      const topic = UUID.test(topicId)
        ? await manager.findOne(ProposalTopicEntity, { where: { id: topicId, municipalityId: municipality.id }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!topic) throw new ProposalTopicNotFoundError();
      const before = toTopicView(topic);
      Object.assign(topic, dto);
      await manager.save(topic);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: 'proposal.topic_changed', targetType: 'proposal_topic', targetId: topic.id, before, after: toTopicView(topic) });
      return toTopicView(topic);
    });
  }

  /** An active topic of the town, or null. */
  async activeTopic(municipalityId: string, topicId: string, manager: EntityManager = this.tx.manager): Promise<ProposalTopicEntity | null> {
    if (!UUID.test(topicId)) return null;
    return manager.findOneBy(ProposalTopicEntity, { id: topicId, municipalityId, active: true });
  }
}
