import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import TestAgent from 'supertest/lib/agent';

/**
 * Accounts and signed-in sessions for e2e tests, built through the public API (register, login)
 * like a real client would. Every helper makes a unique email, so test files can share a database.
 *
 *   const s = await createSession(t.http);            // a fresh citizen, signed in
 *   await s.auth(t.http.get('/api/v1/me')).expect(200);
 *   const admin = await platformAdminSession(t.http); // ADMIN_EMAIL / ADMIN_PASSWORD
 */

/**
 * A password that passes the policy (long enough, not guessable). Short and without words on
 * purpose: zxcvbn's dictionary matching grows with the square of the length, and thousands of
 * sign-ups check it (a 22-character passphrase cost about 35 ms of CPU per sign-up, this one 5).
 */
export const TEST_PASSWORD = 'Vq4-zm8T-kx';

export interface RegisteredUser {
  id: string;
  email: string;
  password: string;
  displayName: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface Session extends TokenPair {
  user: RegisteredUser;
  /** Adds this session's bearer token to a supertest request: `s.auth(t.http.get(url))`. */
  auth: (req: Test) => Test;
}

export interface UserOverrides {
  /** Full email; default `${emailPrefix}-<uuid>@test.local`. */
  email?: string;
  emailPrefix?: string;
  password?: string;
  displayName?: string;
  locale?: 'fr' | 'en';
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID()}@test.local`;
}

/** POST /api/v1/auth/register; fails the test unless it answers 201. */
export async function registerUser(http: TestAgent, overrides: UserOverrides = {}): Promise<RegisteredUser> {
  const email = overrides.email ?? uniqueEmail(overrides.emailPrefix);
  const password = overrides.password ?? TEST_PASSWORD;
  const displayName = overrides.displayName ?? 'Test Citizen';
  const res = await http
    .post('/api/v1/auth/register')
    .send({ email, password, displayName, ...(overrides.locale ? { locale: overrides.locale } : {}) });
  if (res.status !== 201) throw new Error(`register ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, email: res.body.email as string, password, displayName };
}

/** POST /api/v1/auth/login; fails the test unless it answers 200. */
export async function login(http: TestAgent, email: string, password: string): Promise<TokenPair> {
  const res = await http.post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.accessToken as string, refreshToken: res.body.refreshToken as string };
}

export function bearer(accessToken: string): (req: Test) => Test {
  return (req) => req.set('Authorization', `Bearer ${accessToken}`);
}

/** A fresh account, signed in. */
export async function createSession(http: TestAgent, overrides: UserOverrides = {}): Promise<Session> {
  const user = await registerUser(http, overrides);
  const tokens = await login(http, user.email, user.password);
  return { user, ...tokens, auth: bearer(tokens.accessToken) };
}

/** Signs in an existing account (e.g. one given roles by a test) as a new session. */
export async function sessionFor(http: TestAgent, user: RegisteredUser): Promise<Session> {
  const tokens = await login(http, user.email, user.password);
  return { user, ...tokens, auth: bearer(tokens.accessToken) };
}

/** The platform admin bootstrapped from ADMIN_EMAIL / ADMIN_PASSWORD (set by the global test setup). */
export async function platformAdminSession(http: TestAgent): Promise<Session> {
  const email = process.env.ADMIN_EMAIL;
  const password = process.env.ADMIN_PASSWORD;
  if (!email || !password) throw new Error('ADMIN_EMAIL and ADMIN_PASSWORD must be set (see test/setup/global-setup.ts)');
  const tokens = await login(http, email, password);
  const user = { id: decodeSubject(tokens.accessToken), email, password, displayName: 'Platform admin' };
  return { user, ...tokens, auth: bearer(tokens.accessToken) };
}

/** The `sub` claim of an access token (the user's id), without verifying it. */
export function decodeSubject(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as { sub: string };
  return payload.sub;
}
