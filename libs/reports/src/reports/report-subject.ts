/** The subject type of reports for comments, follows, flags and photos (the engagement and media registries). */
export const REPORT_SUBJECT = 'report';
