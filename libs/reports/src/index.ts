import './reports.events';

export * from './reports.module';
export * from './reports.errors';
export * from './reports.events';
export * from './reports/reports.service';
export * from './categories/categories.service';
export * from './service-levels/service-levels.service';
export * from './dto/category.dto';
export * from './dto/report.dto';
export * from './lifecycle/report-lifecycle';
export type { ReportPriority } from './categories/report-category.entity';
export { REPORT_PRIORITIES } from './categories/report-category.entity';
export { toFeatureCollection } from './reports/report-views';
