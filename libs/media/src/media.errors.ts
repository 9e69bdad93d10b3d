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

defineErrorMessages({
  DOCUMENT_TOO_LARGE: { en: 'Documents may be at most {maxMegabytes} MB', fr: 'Un document peut peser au plus {maxMegabytes} Mo' },
  UNSUPPORTED_DOCUMENT_TYPE: { en: 'Only PDF documents and JPEG, PNG or WebP images are accepted', fr: 'Seuls les documents PDF et les images JPEG, PNG ou WebP sont acceptés' },
  DOCUMENT_REQUIRED: { en: 'A document is required', fr: 'Un document est nécessaire' },
  DOCUMENT_LIMIT_REACHED: { en: 'At most {max} documents may be attached here', fr: 'Au plus {max} documents peuvent être joints ici' },
  DOCUMENT_NOT_FOUND: { en: 'Document not found', fr: 'Document introuvable' },
  DOCUMENTS_NOT_ACCEPTED: { en: 'Documents cannot be attached to {collection}', fr: 'On ne peut pas joindre de document à {collection}' },
  DOCUMENT_UPLOAD_FORBIDDEN: { en: 'Only its author and the municipality staff may add documents here', fr: 'Seuls son auteur et les agents de la commune peuvent ajouter des documents ici' },
  DOCUMENT_DELETE_FORBIDDEN: { en: 'Only its uploader and the municipality staff may remove a document', fr: "Seuls la personne qui l'a ajouté et les agents de la commune peuvent retirer un document" },
});

export class DocumentTooLargeError extends DomainException {
  constructor(maxBytes: number) {
    const maxMegabytes = maxBytes / (1024 * 1024);
    super('DOCUMENT_TOO_LARGE', 'too_large', `Documents may be at most ${maxMegabytes} MB`, { maxBytes, maxMegabytes });
  }
}

export class UnsupportedDocumentTypeError extends DomainException {
  constructor(accepted: readonly string[]) {
    super('UNSUPPORTED_DOCUMENT_TYPE', 'unsupported_media_type', 'Only PDF documents and JPEG, PNG or WebP images are accepted', { accepted });
  }
}

export class DocumentRequiredError extends ValidationError {
  constructor() {
    super('A document is required', [{ field: 'document', code: 'FILE_REQUIRED', message: 'document must be a file sent as multipart/form-data' }], 'DOCUMENT_REQUIRED');
  }
}

export class DocumentLimitReachedError extends DomainException {
  constructor(max: number) {
    super('DOCUMENT_LIMIT_REACHED', 'conflict', `At most ${max} documents may be attached here`, { max });
  }
}

export class DocumentNotFoundError extends NotFoundError {
  constructor() {
    super('DOCUMENT_NOT_FOUND', 'Document');
  }
}

export class DocumentsNotAcceptedError extends DomainException {
  constructor(collection: string) {
    super('DOCUMENTS_NOT_ACCEPTED', 'not_found', `Documents cannot be attached to ${collection}`, { collection });
  }
}
