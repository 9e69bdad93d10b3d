import { Injectable } from '@nestjs/common';
import { ProvidesSubject, SubjectInfo, SubjectProvider } from '@app/common';
import { EntityManager } from 'typeorm';
import { BudgetEntity, BudgetProjectEntity } from '../budget.entity';

/** The subject type of a budget for follows and comments (libs/engagement). */
export const BUDGET_SUBJECT = 'budget';
/** The subject type of a budget project for comments, follows, flags and photos (libs/engagement, libs/media). */
export const BUDGET_PROJECT_SUBJECT = 'budget_project';

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A budget is public from its creation; following it is how people hear of its phases. */
@Injectable()
@ProvidesSubject({ type: BUDGET_SUBJECT, collection: 'budgets' })
export class BudgetSubjectProvider implements SubjectProvider {
  async describe(id: string, manager: EntityManager): Promise<SubjectInfo | null> {
    if (!UUID_SHAPE.test(id)) return null;
    const budget = await manager.findOne(BudgetEntity, { where: { id }, select: { id: true, municipalityId: true } });
    return budget ? { municipalityId: budget.municipalityId, isPublic: true, ownerId: null } : null;
  }
}

/** A project is public (the list shows every one with its status); its author owns it, for photos. */
@Injectable()
@ProvidesSubject({ type: BUDGET_PROJECT_SUBJECT, collection: 'budget-projects' })
export class BudgetProjectSubjectProvider implements SubjectProvider {
  async describe(id: string, manager: EntityManager): Promise<SubjectInfo | null> {
    if (!UUID_SHAPE.test(id)) return null;
    const found: Array<{ municipalityId: string; authorId: string | null }> = await manager
      .createQueryBuilder(BudgetProjectEntity, 'p')
      .innerJoin(BudgetEntity, 'b', 'b.id = p.budgetId')
      .select(['b.municipalityId AS "municipalityId"', 'p.authorId AS "authorId"'])
      .where('p.id = :id', { id })
      .getRawMany();
    return found[0] ? { municipalityId: found[0].municipalityId, isPublic: true, ownerId: found[0].authorId } : null;
  }
}
