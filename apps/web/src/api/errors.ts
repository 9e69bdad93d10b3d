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
