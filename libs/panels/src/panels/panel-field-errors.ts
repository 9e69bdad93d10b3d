import { defineFieldErrorMessages, ErrorLocale, FieldError, fieldErrorMessage, interpolate, LocalizedText } from '@app/common';

/**
 * The field codes of the panels library, in both languages: the rules of a panel (features,
 * values, quotas), a person's feature values, the CSV of an invitation round. The English text is
 * also each error's own message, so it is written once here.
 */
const PANEL_FIELD_MESSAGES = {
  FEATURE_CODE_DUPLICATE: { en: 'feature codes must be unique', fr: 'les codes de critère doivent être uniques' },
  FEATURE_CODE_RESERVED: { en: 'reserved CSV column name', fr: 'nom de colonne CSV réservé' },
  VALUE_CODE_DUPLICATE: { en: 'value codes must be unique within a feature', fr: "les codes de valeur doivent être uniques au sein d'un critère" },
  QUOTA_MIN_OVER_MAX: { en: 'min must not exceed max', fr: 'le minimum ne doit pas dépasser le maximum' },
  QUOTA_MINIMUMS_OVER_SIZE: { en: 'the minimums add up to {sum}, more than the {size} seats', fr: 'les minimums totalisent {sum}, plus que les {size} sièges' },
  QUOTA_MAXIMUMS_UNDER_SIZE: { en: 'the maximums add up to {sum}, fewer than the {size} seats', fr: 'les maximums totalisent {sum}, moins que les {size} sièges' },
  FEATURE_VALUE_REQUIRED: { en: 'a value is required', fr: 'une valeur est requise' },
  FEATURE_VALUE_UNKNOWN: { en: 'unknown value "{value}"', fr: 'valeur inconnue « {value} »' },
  NOT_A_PANEL_FEATURE: { en: 'not a feature of this panel', fr: "n'est pas un critère de ce panel" },
  CSV_UNREADABLE: { en: 'The file is not valid CSV: {reason}', fr: "Le fichier n'est pas un CSV valide : {reason}" },
  CSV_EMPTY: { en: 'The file is empty', fr: 'Le fichier est vide' },
  CSV_TOO_MANY_ROWS: { en: 'At most {max} rows per file', fr: 'Au plus {max} lignes par fichier' },
  CSV_FIRST_COLUMN: { en: 'The first column must be external_id', fr: 'La première colonne doit être external_id' },
  CSV_COLUMNS_UNKNOWN: { en: 'unknown columns (not feature codes): {columns}', fr: 'colonnes inconnues (pas des codes de critère) : {columns}' },
  CSV_COLUMNS_MISSING: { en: 'missing feature columns: {columns}', fr: 'colonnes de critère manquantes : {columns}' },
  CSV_COLUMNS_REPEATED: { en: 'a feature column appears twice', fr: 'une colonne de critère figure deux fois' },
  EXTERNAL_ID_EMPTY: { en: 'external_id is empty', fr: 'external_id est vide' },
  EXTERNAL_ID_TOO_LONG: { en: 'external_id is longer than 100 characters', fr: 'external_id dépasse 100 caractères' },
  EXTERNAL_ID_REPEATED: { en: 'external_id appears twice in the file', fr: 'external_id figure deux fois dans le fichier' },
  EXTERNAL_ID_IN_POOL: { en: 'external_id is already in the pool', fr: 'external_id est déjà dans le vivier' },
  CONSENT_VERSION_NOT_CURRENT: { en: 'the current consent text is version {version}', fr: 'le texte de consentement en vigueur est la version {version}' },
  ADDRESS_REQUIRED_FOR_HOUSEHOLD: { en: 'required: at most one member per household', fr: 'requise : au plus un membre par foyer' },
  CONSENT_TEXT_REQUIRED: { en: 'required with a new consentVersion', fr: 'requis avec une nouvelle consentVersion' },
  CONSENT_VERSION_REQUIRED: { en: 'give a new version for a new text', fr: 'donnez une nouvelle version pour un nouveau texte' },
  INVITATION_CODE_INVALID: { en: 'not a valid invitation code', fr: "n'est pas un code d'invitation valable" },
  HOUSEHOLD_TOO_LONG: { en: 'household is longer than 300 characters', fr: 'household dépasse 300 caractères' },
} satisfies Record<string, Required<LocalizedText>>;

defineFieldErrorMessages(PANEL_FIELD_MESSAGES);

export type PanelFieldCode = keyof typeof PANEL_FIELD_MESSAGES;

/** A field error of this library, its message the English text of its code. */
export function panelFieldError(field: string, code: PanelFieldCode, params: Record<string, string | number | string[]> = {}): FieldError {
  return { field, code, params, message: panelText(code, 'en', params) };
}

/** A code's text in a language (parts of a message, e.g. the CSV's column problems). */
export function panelText(code: PanelFieldCode, locale: ErrorLocale, params: Record<string, string | number | string[]> = {}): string {
  return interpolate(PANEL_FIELD_MESSAGES[code][locale], params) ?? PANEL_FIELD_MESSAGES[code].en;
}

/** A rejected CSV row's reason as the report lists it: the feature first when it is about one. */
export function rowReason(problem: FieldError, locale: ErrorLocale): string {
  const message = fieldErrorMessage(problem, locale);
  return problem.field === '' ? message : `${problem.field}: ${message}`;
}
