/** Roles that moderate a municipality's public conversation (its own file: comments and moderation both need it). */
export const MODERATOR_ROLES = ['staff', 'admin'] as const;
