import { AuthUser, ForbiddenError, SubjectInfo } from '@app/common';
import { SubjectNotFoundError, SubjectRef, SubjectRegistry } from '@app/engagement';
import { AccessService } from '@app/identity';

/** Who may add files to a subject besides its author. */
export const MEDIA_STAFF_ROLES = ['staff', 'admin'] as const;

/**
 * The rule photos and documents share: the subject's author and its municipality's staff and
 * admins may add to it; anyone else gets 403, or 404 when the subject is not public anyway (so
 * a hidden subject's existence is not told). Returns the subject's description.
 */
export async function describeForUpload(
  registry: SubjectRegistry,
  access: AccessService,
  actor: AuthUser,
  subject: SubjectRef,
  refusal: { message: string; code: string },
): Promise<SubjectInfo> {
  const info = await registry.describe(subject);
  if (!(await access.isOwnerOrHasRole(actor, info.ownerId, info.municipalityId, MEDIA_STAFF_ROLES))) {
    if (!info.isPublic) throw new SubjectNotFoundError();
    throw new ForbiddenError(refusal.message, refusal.code);
  }
  return info;
}
