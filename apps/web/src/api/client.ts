import createClient from 'openapi-fetch';
import { getCurrentLocale } from '../i18n';
import type { components, paths } from './schema';
import { currentTokens, setTokens } from './session';

export type Schemas = components['schemas'];
export type Report = Schemas['ReportResponseDto'];
export type Category = Schemas['CategoryResponseDto'];
export type CategoryAttribute = Schemas['CategoryAttributeDto'];
export type MunicipalitySummary = Schemas['MunicipalitySummaryDto'];
export type TimelineEntry = Schemas['TimelineEntryResponseDto'];
export type Comment = Schemas['CommentResponseDto'];
export type ReportStatus = Report['status'];
export type CreateReportBody = Schemas['CreateReportDto'];

/** The API's error body: `{statusCode, error, message, code, details}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    /** What a 409 names (the clash, the current state…): `meta` of the error body. */
    readonly meta: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The fields named by `details` (an array of `{field}` or an object keyed by field). */
  fields(): string[] {
    if (Array.isArray(this.details)) return this.details.map((d: { field?: string }) => d?.field).filter((f): f is string => !!f);
    return [];
  }
}

/** fetch failed before any answer: offline, DNS, connection refused. */
export class NetworkError extends Error {
  readonly code = 'NETWORK';
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time, whoever hit the expired token first; false signs the person out. */
function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const tokens = currentTokens();
    if (!tokens) return false;
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: tokens.refreshToken }),
    });
    if (!response.ok) {
      if (response.status === 401) setTokens(null);
      return false;
    }
    const pair = (await response.json()) as { accessToken: string; refreshToken: string };
    setTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return true;
  })().finally(() => (refreshing = null));
  return refreshing;
}

/**
 * The transport of the typed client: bearer token and Accept-Language on every call, one
 * transparent refresh on a 401 from an expired access token, network failures as NetworkError.
 */
async function authorizedFetch(input: Request): Promise<Response> {
  const send = (request: Request) => {
    const token = currentTokens()?.accessToken;
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    request.headers.set('Accept-Language', getCurrentLocale());
    return fetch(request).catch((error: Error) => {
      throw new NetworkError(error.message);
    });
  };
  const retry = currentTokens() ? input.clone() : null;
  const response = await send(input);
  if (response.status !== 401 || !retry || input.url.includes('/auth/')) return response;
  return (await refreshTokens()) ? send(retry) : response;
}

/**
 * A file the API serves only to some people (a draft's photos and documents): fetched with the
 * bearer token through the same transport, since an `<img>` or a link sends none.
 */
export async function fetchFile(path: string): Promise<Blob> {
  const response = await authorizedFetch(new Request(new URL(path, location.origin)));
  if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, response.statusText, undefined, {});
  return response.blob();
}

/** The one API client of the app, typed from the OpenAPI document (schema.d.ts). */
export const api = createClient<paths>({ baseUrl: location.origin, fetch: authorizedFetch });

/** The data of an openapi-fetch result, or its error as an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as { code?: string; message?: string; details?: unknown; meta?: Record<string, unknown> };
  throw new ApiError(result.response.status, body.code ?? `HTTP_${result.response.status}`, body.message ?? result.response.statusText, body.details, body.meta ?? {});
}
