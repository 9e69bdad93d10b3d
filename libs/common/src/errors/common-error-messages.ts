import { defineErrorMessages, defineFieldErrorMessages } from './error-catalogue';

/**
 * Codes of the platform itself (the HTTP pipeline, validation, authentication). Each domain lib
 * defines its own codes in its `*.errors.ts`. Codes thrown with several specific English texts
 * give French only (see LocalizedText).
 */
defineErrorMessages({
  VALIDATION_FAILED: { fr: 'Requête invalide : {fields}' },
  FORBIDDEN: { fr: "Vous n'avez pas le droit de faire ceci" },
  UNAUTHENTICATED: { fr: 'Connectez-vous pour faire ceci' },
  NOT_FOUND: { fr: 'Introuvable' },
  TOO_MANY_REQUESTS: { en: 'Too many requests; try again later', fr: 'Trop de requêtes ; réessayez plus tard' },
  RATE_LIMITED: { en: 'Too many requests, slow down', fr: 'Trop de requêtes, ralentissez' },
  INTERNAL_ERROR: {
    en: 'Something went wrong on our side; quote the errorId if you report it',
    fr: "Une erreur s'est produite de notre côté ; citez l'errorId si vous la signalez",
  },
  BODY_TOO_LARGE: { en: 'The request body is too large (limit {limitMb} MB)', fr: 'Le corps de la requête est trop gros (limite {limitMb} Mo)' },
  BODY_TOO_DEEP: {
    en: 'The request body nests objects or arrays more than {maxDepth} levels deep',
    fr: "Le corps de la requête imbrique objets ou tableaux sur plus de {maxDepth} niveaux",
  },
  MALFORMED_BODY: { fr: "Le corps de la requête n'est pas du JSON valide" },
  UNSUPPORTED_MEDIA_TYPE: { fr: "Le Content-Type de la requête n'est pas accepté : envoyez application/json" },
  BAD_CONTENT_LENGTH: { en: 'The Content-Length does not match the body', fr: 'Le Content-Length ne correspond pas au corps de la requête' },
  METHOD_NOT_ALLOWED: { fr: 'Méthode non autorisée sur cette ressource' },
});

/**
 * Field codes. Those of class-validator are its constraint names in UPPER_SNAKE (`maxLength` →
 * `MAX_LENGTH`); `{field}` is the field's path and the constraint's arguments are named
 * (`{max}`, `{min}`, `{values}`), see StrictValidationPipe.
 */
defineFieldErrorMessages({
  IS_UUID: { en: '{field} must be a UUID', fr: '{field} doit être un UUID' },
  IS_STRING: { en: '{field} must be a string', fr: '{field} doit être une chaîne de caractères' },
  IS_INT: { en: '{field} must be an integer', fr: '{field} doit être un nombre entier' },
  IS_NUMBER: { en: '{field} must be a number', fr: '{field} doit être un nombre' },
  IS_BOOLEAN: { en: '{field} must be true or false', fr: '{field} doit valoir true ou false' },
  IS_ARRAY: { en: '{field} must be an array', fr: '{field} doit être un tableau' },
  IS_OBJECT: { en: '{field} must be an object', fr: '{field} doit être un objet' },
  IS_EMAIL: { en: '{field} must be an email address', fr: '{field} doit être une adresse e-mail' },
  IS_URL: { en: '{field} must be a URL', fr: '{field} doit être une URL' },
  IS_ISO8601: { en: '{field} must be an ISO 8601 date or date-time', fr: '{field} doit être une date ISO 8601' },
  IS_ISO31661_ALPHA2: { en: '{field} must be a two-letter country code', fr: '{field} doit être un code pays à deux lettres' },
  IS_IANA_TIME_ZONE: { en: '{field} must be an IANA time zone such as Europe/Paris', fr: '{field} doit être un fuseau horaire IANA, par exemple Europe/Paris' },
  IS_AREA_GEOMETRY: { fr: "{field} doit être un Polygon ou MultiPolygon GeoJSON valide" },
  IS_IN: { en: '{field} must be one of: {values}', fr: "{field} doit valoir l'une de ces valeurs : {values}" },
  IS_ENUM: { en: '{field} must be one of: {values}', fr: "{field} doit valoir l'une de ces valeurs : {values}" },
  IS_NOT_EMPTY: { en: '{field} must not be empty', fr: '{field} ne doit pas être vide' },
  IS_DEFINED: { en: '{field} is required', fr: '{field} est obligatoire' },
  REQUIRED: { en: '{field} is required', fr: '{field} est obligatoire' },
  MIN: { en: '{field} must be at least {min}', fr: '{field} doit valoir au moins {min}' },
  MAX: { en: '{field} must be at most {max}', fr: '{field} doit valoir au plus {max}' },
  MIN_LENGTH: { en: '{field} must be at least {min} characters', fr: '{field} doit compter au moins {min} caractères' },
  MAX_LENGTH: { en: '{field} must be at most {max} characters', fr: '{field} doit compter au plus {max} caractères' },
  LENGTH: { en: '{field} must be {min} to {max} characters', fr: '{field} doit compter de {min} à {max} caractères' },
  ARRAY_MIN_SIZE: { en: '{field} must have at least {min} items', fr: '{field} doit contenir au moins {min} éléments' },
  ARRAY_MAX_SIZE: { en: '{field} must have at most {max} items', fr: '{field} doit contenir au plus {max} éléments' },
  ARRAY_UNIQUE: { en: "{field} must not repeat a value", fr: '{field} ne doit pas contenir deux fois la même valeur' },
  MATCHES: { fr: "{field} n'a pas le format attendu" },
  NOT_EQUALS: { fr: "{field} n'accepte pas cette valeur" },
  NESTED_VALIDATION: { en: '{field} must be an object or an array of objects', fr: "{field} doit être un objet ou un tableau d'objets" },
  UNKNOWN_FIELD: { en: '{field} is not a known field', fr: "{field} n'est pas un champ connu" },
  UNKNOWN_VALUE: { en: 'the value is not of a known shape', fr: "la valeur n'a pas une forme connue" },
  NOT_NULL: { en: '{field} must not be null; leave it out to keep it unchanged', fr: '{field} ne peut pas être null ; omettez-le pour ne pas le changer' },
  NUL_CHARACTER: { en: '{field} must not contain NUL (\\u0000) characters', fr: '{field} ne doit pas contenir de caractère NUL (\\u0000)' },
  LONE_SURROGATE: { en: '{field} is not valid Unicode (a lone surrogate)', fr: "{field} n'est pas de l'Unicode valide (substitut isolé)" },
  INVALID_CURSOR: { en: '{field} is not a cursor this list gave', fr: "{field} n'est pas un curseur fourni par cette liste" },
  BODY_NOT_OBJECT: { en: 'the request body must be a JSON object', fr: 'le corps de la requête doit être un objet JSON' },
});
