/** Outbox metadata of an event about a person's own account, done by that person. */
export function userMeta(userId: string) {
  return { aggregateType: 'user', aggregateId: userId, actorId: userId };
}
