import { Injectable } from '@nestjs/common';
import { ProvidesSubject, SubjectInfo, SubjectProvider } from '@app/common';
import { EntityManager } from 'typeorm';
import { WorkshopEntity } from './workshop.entity';

export const WORKSHOP_SUBJECT = 'workshop';

/** Plugs workshops into comments, follows, flags (libs/engagement) and photos (libs/media). */
@Injectable()
@ProvidesSubject({ type: WORKSHOP_SUBJECT, collection: 'workshops' })
export class WorkshopSubjectProvider implements SubjectProvider {
  async describe(id: string, manager: EntityManager): Promise<SubjectInfo | null> {
    const w = await manager.findOne(WorkshopEntity, { where: { id }, select: { id: true, municipalityId: true, createdById: true } });
    return w ? { municipalityId: w.municipalityId, isPublic: true, ownerId: w.createdById } : null;
  }
}
