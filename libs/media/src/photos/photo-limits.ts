/**
 * How many photos a subject of each type may carry; a type not listed takes none (its
 * /:collection/:id/photos route answers 404). A constant here rather than a field of the shared
 * SubjectProvider contract: one type takes photos today, and the limit is a media rule. When
 * proposals or workshops take photos, add them here.
 */
export const MAX_PHOTOS_PER_SUBJECT: Readonly<Record<string, number>> = Object.freeze({
  report: 5,
  // Photos of a workshop: the room, the boards, the results.
  workshop: 20,
  proposal: 10,
  budget_project: 5,
});

export function maxPhotosFor(subjectType: string): number | null {
  return Object.prototype.hasOwnProperty.call(MAX_PHOTOS_PER_SUBJECT, subjectType) ? MAX_PHOTOS_PER_SUBJECT[subjectType] : null;
}
