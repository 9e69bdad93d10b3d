import { DomainException, NotFoundError, ValidationError } from '@app/common';

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
    super('A photo is required', [{ field: 'photo', messages: ['photo must be a file sent as multipart/form-data'] }], 'PHOTO_REQUIRED');
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
