import './budgets.events';

export * from './outcome';
export * from './ballot-rules';
export * from './budget.entity';
export * from './budgets.errors';
export * from './budgets.module';
export * from './budgets.service';
export * from './ballots.service';
export * from './dto/budget.dto';
export * from './realtime/budgets-realtime.module';
export { budgetTopic } from './realtime/budget-topics.policy';
export type { BudgetLiveData } from './realtime/budget-turnout.consumer';
export * from './projects/budget-projects.service';
export { BUDGET_SUBJECT, BUDGET_PROJECT_SUBJECT } from './subjects/budget-subjects.provider';
export { BUDGET_NOTIFICATION_TYPES } from './notifications/budget-notification-rules';
export * from './eligibility';
