import { DomainException, FieldError } from './domain.exception';

/** The languages error messages are written in; English is the language of the code. */
export type ErrorLocale = 'en' | 'fr';
export const ERROR_LOCALES: readonly ErrorLocale[] = ['en', 'fr'];
export const DEFAULT_ERROR_LOCALE: ErrorLocale = 'en';

/**
 * A code's message per language, with `{name}` placeholders filled from the error's params. A
 * language left out falls back to the error's own English message: codes thrown with several
 * specific English texts (FORBIDDEN, a DTO's own `@Matches` message) give `fr` only, so English
 * keeps the specific text and French gets a faithful general one.
 */
export type LocalizedText = Partial<Record<ErrorLocale, string>>;

const errorMessages = new Map<string, LocalizedText>();
const fieldErrorMessages = new Map<string, LocalizedText>();

/**
 * Adds a library's error codes to the catalogue. Each lib calls it once at the top of its
 * `*.errors.ts` (so the entries exist whenever its exceptions do); a code defined twice with
 * other texts is a programming error.
 */
export function defineErrorMessages(entries: Record<string, LocalizedText>): void {
  define(errorMessages, entries);
}

/** Adds field error codes (`MAX_LENGTH`, `IS_UUID`, a lib's own `CATEGORY_INACTIVE`...). */
export function defineFieldErrorMessages(entries: Record<string, LocalizedText>): void {
  define(fieldErrorMessages, entries);
}

function define(into: Map<string, LocalizedText>, entries: Record<string, LocalizedText>): void {
  for (const [code, text] of Object.entries(entries)) {
    const known = into.get(code);
    if (known && (known.en !== text.en || known.fr !== text.fr)) throw new Error(`Error code ${code} is defined twice with different messages`);
    into.set(code, text);
  }
}

export function hasErrorMessage(code: string): boolean {
  return errorMessages.has(code);
}

/**
 * Fills `{name}` placeholders; arrays read as "a, b, c". Returns null when a placeholder has no
 * value, so the caller falls back to the English message rather than show a bare `{name}`.
 */
export function interpolate(template: string, params: Record<string, unknown>): string | null {
  let missing = false;
  const text = template.replace(/\{(\w+)\}/g, (_all, name: string) => {
    const value = params[name];
    const unusable = value === undefined || value === null || (Array.isArray(value) ? value.length === 0 : typeof value === 'object');
    if (unusable) {
      missing = true;
      return '';
    }
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
  return missing ? null : text;
}

function lookUp(catalogue: Map<string, LocalizedText>, code: string, locale: ErrorLocale, params: Record<string, unknown>, fallback: string): string {
  const template = catalogue.get(code)?.[locale];
  return (template !== undefined && interpolate(template, params)) || fallback;
}

/** The message of an error code in a language; the English `fallback` when the code has no entry yet. */
export function errorMessage(code: string, locale: ErrorLocale, params: Record<string, unknown>, fallback: string): string {
  return lookUp(errorMessages, code, locale, params, fallback);
}

export function fieldErrorMessage(error: FieldError, locale: ErrorLocale): string {
  return lookUp(fieldErrorMessages, error.code, locale, { field: error.field, ...error.params }, error.message);
}

/** A field at fault as clients see it. */
export interface ErrorDetail {
  field: string;
  code: string;
  message: string;
}

/** What both transports send of a domain error: HTTP adds status and error, the socket sends it as is. */
export interface LocalizedError {
  code: string;
  message: string;
  details: ErrorDetail[];
  meta?: Record<string, unknown>;
}

export function localizeError(error: DomainException, locale: ErrorLocale): LocalizedError {
  const fields = [...new Set(error.fieldErrors.map((f) => f.field))];
  const params = { ...error.meta, fields };
  return {
    code: error.code,
    message: errorMessage(error.code, locale, params, error.message),
    details: error.fieldErrors.map((f) => ({ field: f.field, code: f.code, message: fieldErrorMessage(f, locale) })),
    ...(error.meta !== undefined ? { meta: error.meta } : {}),
  };
}

/**
 * The language to answer in: the first supported language of `Accept-Language` by preference
 * (`fr-BE;q=0.9` counts as fr), else the signed-in person's saved locale, else English. The header
 * comes first because it says what the client shows right now (the web app sends its language).
 */
export function resolveErrorLocale(acceptLanguage: string | string[] | undefined, personLocale?: string | null): ErrorLocale {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  const fromHeader = header ? preferredLanguage(header) : null;
  if (fromHeader) return fromHeader;
  if (personLocale && (ERROR_LOCALES as readonly string[]).includes(personLocale)) return personLocale as ErrorLocale;
  return DEFAULT_ERROR_LOCALE;
}

function preferredLanguage(header: string): ErrorLocale | null {
  let best: { locale: ErrorLocale; q: number } | null = null;
  // Bounded: a header of thousands of ranges is not read past its first 20.
  for (const range of header.slice(0, 1024).split(',').slice(0, 20)) {
    const [tag, ...parameters] = range.trim().split(';');
    const language = tag.trim().toLowerCase().split('-')[0];
    if (!(ERROR_LOCALES as readonly string[]).includes(language)) continue;
    const qParameter = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    if (!(q > 0)) continue;
    if (!best || q > best.q) best = { locale: language as ErrorLocale, q };
  }
  return best?.locale ?? null;
}
