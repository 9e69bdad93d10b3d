import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { WriteStatement } from '../db/write-statement';
import { DomainException, ValidationError } from '../errors/domain.exception';
import { defineErrorMessages } from '../errors/error-catalogue';

defineErrorMessages({
  IDEMPOTENCY_KEY_REUSED: {
    en: 'This Idempotency-Key was already used for a different request',
    fr: 'Cette clé Idempotency-Key a déjà servi pour une autre requête',
  },
});

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

export class IdempotencyKeyReusedError extends DomainException {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'unprocessable', 'This Idempotency-Key was already used for a different request');
  }
}

export function assertIdempotencyKey(key: string): void {
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ValidationError('Invalid Idempotency-Key header', [
      { field: 'Idempotency-Key', code: 'INVALID_IDEMPOTENCY_KEY', message: 'must be 8 to 128 characters of letters, digits, _ . : -' },
    ]);
  }
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
}

/**
 * Idempotency keys: a retried request (a phone on a bad network) gets the resource its first
 * attempt created. The claim is the first part of the creating statement (see claimIn); two
 * concurrent requests with one key serialise on the primary key: the second waits for the first
 * to commit, then finds the key taken.
 */
@Injectable()
export class IdempotencyService {
  /**
   * Claims the key as the first part of a single-statement write: every later part is written
   * only if the key is new. When the statement wrote nothing, `claimedResource` says which
   * resource the key already stands for (or refuses a different body).
   */
  claimIn(statement: WriteStatement, claim: { userId: string; scope: string; key: string; body: unknown; resourceId: string }): void {
    const p = (value: unknown, cast: string) => statement.param(value, cast);
    const name = statement.uniqueName('idempotency_claim');
    statement.with(
      name,
      `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, resource_id)
       SELECT ${p(claim.userId, 'uuid')}, ${p(claim.scope, 'text')}, ${p(claim.key, 'text')}, ${p(requestHash(claim.body), 'text')}, ${p(claim.resourceId, 'uuid')}
       WHERE ${statement.guard}
       ON CONFLICT DO NOTHING RETURNING resource_id`,
    );
    statement.onlyIf(`EXISTS (SELECT 1 FROM ${name})`);
  }

  /**
   * Claims the key inside the caller's transaction, for writes that are not one statement (a
   * photo: files, then a row). Returns null when the key is now this request's, or the resource
   * the key already stands for. A concurrent request with the same key waits here for the first
   * one's transaction, then finds the key taken.
   */
  async claim(manager: EntityManager, claim: { userId: string; scope: string; key: string; body: unknown; resourceId: string }): Promise<string | null> {
    const inserted = (await manager.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, resource_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING resource_id`,
      [claim.userId, claim.scope, claim.key, requestHash(claim.body), claim.resourceId],
    )) as unknown[];
    return inserted.length ? null : this.claimedResource(manager, claim);
  }

  /** The resource a key already stands for, or null if it is unused (a cheap look before costly work). */
  async findClaimed(manager: EntityManager, claim: { userId: string; scope: string; key: string; body: unknown }): Promise<string | null> {
    const [existing] = (await manager.query(`SELECT 1 FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`, [
      claim.userId,
      claim.scope,
      claim.key,
    ])) as unknown[];
    return existing ? this.claimedResource(manager, claim) : null;
  }

  /** The resource an already used key created; refuses a key reused for a different body. */
  async claimedResource(manager: EntityManager, claim: { userId: string; scope: string; key: string; body: unknown }): Promise<string> {
    const hash = requestHash(claim.body);
    const [existing] = (await manager.query(
      `SELECT request_hash, resource_id FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`,
      [claim.userId, claim.scope, claim.key],
    )) as Array<{ request_hash: string; resource_id: string }>;
    if (existing.request_hash !== hash) throw new IdempotencyKeyReusedError();
    return existing.resource_id;
  }
}
