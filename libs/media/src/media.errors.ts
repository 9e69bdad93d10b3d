import { defineErrorMessages, defineFieldErrorMessages, DomainException, NotFoundError, ValidationError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  IMAGE_TOO_LARGE: { fr: "L'image est trop grande" },
  UNSUPPORTED_IMAGE_TYPE: { en: 'Only {accepted} images are accepted', fr: 'Seules les images {accepted} sont acceptées' },
  IMAGE_UNREADABLE: { en: 'The file could not be read as an image', fr: "Le fichier n'a pas pu être lu comme une image" },
  PHOTO_REQUIRED: { en: 'A photo is required', fr: 'Une photo est nécessaire' },
  ATTACHMENT_LIMIT_REACHED: { en: 'At most {max} photos may be attached here', fr: 'Au plus {max} photos peuvent être jointes ici' },
  PHOTO_NOT_FOUND: { en: 'Photo not found', fr: 'Photo introuvable' },
  PHOTOS_NOT_ACCEPTED: { en: 'Photos cannot be attached to {collection}', fr: 'On ne peut pas joindre de photo à {collection}' },
  PHOTO_UPLOAD_FORBIDDEN: { en: 'Only its author and the municipality staff may add photos here', fr: 'Seuls son auteur et les agents de la commune peuvent ajouter des photos ici' },
  PHOTO_DELETE_FORBIDDEN: { en: 'Only its uploader and the municipality staff may remove a photo', fr: "Seuls la personne qui l'a ajoutée et les agents de la commune peuvent retirer une photo" },
});
defineFieldErrorMessages({
  FILE_REQUIRED: { en: '{field} must be a file sent as multipart/form-data', fr: '{field} doit être un fichier envoyé en multipart/form-data' },
});

/** Error codes of the media library (attachments and their files). */
export class ImageTooLargeError extends DomainException {
  constructor(message: string, details: Record<string, unknown>) {
    super('IMAGE_TOO_LARGE', 'too_large', message, details);
  }
}

export class UnsupportedImageTypeError extends DomainException {
  constructor(accepted: readonly string[]) {
    super('UNSUPPORTED_IMAGE_TYPE', 'unsupported_media_type', `Only ${accepted.join(', ')} images are accepted`, { accepted });
  }
}

/** The bytes claim an image type but do not decode as one. */
export class UnreadableImageError extends DomainException {
  constructor() {
    super('IMAGE_UNREADABLE', 'invalid', 'The file could not be read as an image');
  }
}

export class PhotoRequiredError extends ValidationError {
  constructor() {
    super('A photo is required', [{ field: 'photo', code: 'FILE_REQUIRED', message: 'photo must be a file sent as multipart/form-data' }], 'PHOTO_REQUIRED');
  }
}

export class AttachmentLimitReachedError extends DomainException {
  constructor(max: number) {
    super('ATTACHMENT_LIMIT_REACHED', 'conflict', `At most ${max} photos may be attached here`, { max });
  }
}

export class AttachmentNotFoundError extends NotFoundError {
  constructor() {
    super('PHOTO_NOT_FOUND', 'Photo');
  }
}

/** The subject type exists but takes no photos (e.g. a comment). */
export class AttachmentsNotAcceptedError extends DomainException {
  constructor(collection: string) {
    super('PHOTOS_NOT_ACCEPTED', 'not_found', `Photos cannot be attached to ${collection}`, { collection });
  }
}
