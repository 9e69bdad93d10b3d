import { DomainException, NotFoundError, ValidationError } from './domain.exception';
import {
  defineErrorMessages,
  defineFieldErrorMessages,
  errorMessage,
  interpolate,
  localizeError,
  resolveErrorLocale,
} from './error-catalogue';
import './common-error-messages';

defineErrorMessages({
  SPEC_THING_NOT_FOUND: { en: 'Thing not found', fr: 'Chose introuvable' },
  SPEC_ILLEGAL_MOVE: { en: 'Cannot go from {from} to {to}; allowed: {allowed}', fr: 'Impossible de passer de {from} à {to} ; possible : {allowed}' },
  SPEC_FRENCH_ONLY: { fr: 'Seulement en français' },
});
defineFieldErrorMessages({ SPEC_TOO_SHORT: { en: '{field} needs {min}+', fr: '{field} demande {min}+' } });

describe('error catalogue', () => {
  it('answers in the asked language, with parameters filled from meta', () => {
    const error = new DomainException('SPEC_ILLEGAL_MOVE', 'conflict', 'raw', { from: 'new', to: 'closed', allowed: ['acknowledged', 'rejected'] });
    expect(localizeError(error, 'en')).toEqual({
      code: 'SPEC_ILLEGAL_MOVE',
      message: 'Cannot go from new to closed; allowed: acknowledged, rejected',
      details: [],
      meta: { from: 'new', to: 'closed', allowed: ['acknowledged', 'rejected'] },
    });
    expect(localizeError(error, 'fr').message).toBe('Impossible de passer de new à closed ; possible : acknowledged, rejected');
  });

  it("falls back to the exception's English message for a code with no entry, or no entry in that language", () => {
    const unknown = new DomainException('SPEC_BRAND_NEW_CODE', 'conflict', 'Written by another team today');
    expect(localizeError(unknown, 'fr').message).toBe('Written by another team today');
    const frenchOnly = new DomainException('SPEC_FRENCH_ONLY', 'conflict', 'A specific English text');
    expect(localizeError(frenchOnly, 'en').message).toBe('A specific English text');
    expect(localizeError(frenchOnly, 'fr').message).toBe('Seulement en français');
  });

  it('falls back rather than show a placeholder that has no value', () => {
    expect(interpolate('from {from} to {to}', { from: 'a' })).toBeNull();
    expect(interpolate('none of {values}', { values: [] })).toBeNull();
    expect(errorMessage('SPEC_ILLEGAL_MOVE', 'fr', { from: 'new' }, 'English fallback')).toBe('English fallback');
  });

  it('always gives details as an array of {field, code, message}, localized by field code', () => {
    const error = new ValidationError('Invalid name', [
      { field: 'name', code: 'SPEC_TOO_SHORT', message: 'name is too short', params: { min: 3 } },
      { field: 'id', code: 'IS_UUID', message: 'id must be a UUID' },
      { field: 'note', code: 'SPEC_NO_ENTRY', message: 'note is odd' },
    ]);
    expect(localizeError(error, 'fr')).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Requête invalide : name, id, note',
      details: [
        { field: 'name', code: 'SPEC_TOO_SHORT', message: 'name demande 3+' },
        { field: 'id', code: 'IS_UUID', message: 'id doit être un UUID' },
        { field: 'note', code: 'SPEC_NO_ENTRY', message: 'note is odd' },
      ],
    });
    expect(localizeError(new NotFoundError('SPEC_THING_NOT_FOUND', 'Thing'), 'en').details).toEqual([]);
  });

  it('keeps the older {field, messages} form working, one detail per message', () => {
    const error = new ValidationError('Invalid body', [{ field: 'body', messages: ['too long', 'has NUL'] }]);
    expect(localizeError(error, 'en').details).toEqual([
      { field: 'body', code: 'INVALID', message: 'too long' },
      { field: 'body', code: 'INVALID', message: 'has NUL' },
    ]);
  });

  it('refuses a code defined twice with different texts', () => {
    expect(() => defineErrorMessages({ SPEC_THING_NOT_FOUND: { en: 'Other', fr: 'Autre' } })).toThrow(/twice/);
  });

  describe('resolveErrorLocale', () => {
    it.each([
      ['fr-FR,fr;q=0.9,en;q=0.8', undefined, 'fr'],
      ['de-DE,en;q=0.5,fr;q=0.7', undefined, 'fr'],
      ['en-GB', 'fr', 'en'],
      ['de', 'fr', 'fr'],
      [undefined, 'fr', 'fr'],
      ['fr;q=0', undefined, 'en'],
      [undefined, 'es', 'en'],
      ['*', undefined, 'en'],
    ])('%s with saved locale %s → %s', (header, saved, expected) => {
      expect(resolveErrorLocale(header, saved)).toBe(expected);
    });
  });
});
