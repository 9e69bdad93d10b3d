import { hasMessage, type Translate } from '../i18n';
import { ApiError, NetworkError } from './client';

/** A sentence for the person from an API error's code, else the API's own (localized) message. */
export function describeError(error: unknown, t: Translate): string {
  if (error instanceof NetworkError) return t('error.NETWORK');
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (error.code === 'VALIDATION_FAILED' && error.fields().length) return t('error.VALIDATION_FAILED', { fields: error.fields().join(', ') });
    if (hasMessage(key) && error.code !== 'VALIDATION_FAILED') return t(key);
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The API's field errors by field path (`name`, `features.0.values.1.min`): the first message of
 * each, for forms that show them beside their fields.
 */
export function fieldMessages(error: unknown): Record<string, string> {
  const messages: Record<string, string> = {};
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return messages;
  for (const detail of error.details as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof detail?.field === 'string' && !(detail.field in messages)) messages[detail.field] = typeof detail.message === 'string' ? detail.message : error.message;
  }
  return messages;
}
