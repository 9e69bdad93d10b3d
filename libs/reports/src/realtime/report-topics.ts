/** The live-update topics of reports (see ReportTopicsPolicy for who may listen). */
export const reportTopic = (reportId: string): string => `report:${reportId}`;
/** Every public report event of a municipality (maps, public feeds). */
export const municipalityReportsTopic = (slug: string): string => `municipality:${slug}:reports`;
/** The municipality's triage board: staff views, internal changes, presence. */
export const triageTopic = (slug: string): string => `municipality:${slug}:triage`;
