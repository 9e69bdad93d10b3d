import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngagementModule } from '@app/engagement';
import { NotificationsModule } from '@app/notifications';
import { ProposalsModule } from '@app/proposals';
import { IdentityModule } from '@app/identity';
import { BallotsService } from './ballots.service';
import { VotingSnapshots } from './voting-snapshots';
import { BUDGET_ENTITIES } from './budget.entity';
import { BudgetTally } from './budget-tally';
import { BudgetsService } from './budgets.service';
import { BudgetProjectsService } from './projects/budget-projects.service';
import { BudgetTopicsPolicy } from './realtime/budget-topics.policy';
import { BUDGET_NOTIFICATION_RULES } from './notifications/budget-notification-rules';
import { BudgetProjectSubjectProvider, BudgetSubjectProvider } from './subjects/budget-subjects.provider';
import { BudgetAnnouncements } from './notifications/budget-announcements';
import { BudgetEligibleAudience } from './notifications/budget-eligible.audience';

/** Participatory budgets: processes, projects, secret ballots and outcomes. */
@Module({
  imports: [TypeOrmModule.forFeature(BUDGET_ENTITIES), IdentityModule, EngagementModule, NotificationsModule, ProposalsModule],
  providers: [
    BudgetsService,
    BudgetProjectsService,
    BallotsService,
    VotingSnapshots,
    BudgetTally,
    BudgetTopicsPolicy,
    // Comments, follows and photos (libs/engagement, libs/media), and who hears of what (libs/notifications).
    BudgetSubjectProvider,
    BudgetProjectSubjectProvider,
    BudgetEligibleAudience,
    BudgetAnnouncements,
    ...BUDGET_NOTIFICATION_RULES,
  ],
  exports: [BudgetsService, BudgetProjectsService, BallotsService],
})
export class BudgetsModule {}
