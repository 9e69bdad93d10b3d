import './media.events';

export * from './media.module';
export * from './media.errors';
export * from './media.events';
export * from './attachments.service';
export * from './photos/photos.service';
export * from './documents/documents.service';
export { ACCEPTED_DOCUMENT_TYPES, MAX_DOCUMENT_BYTES } from './documents/document-pipeline';
export type { AcceptedDocumentType } from './documents/document-pipeline';
export * from './dto/document.dto';
export { MAX_PHOTOS_PER_SUBJECT, maxPhotosFor } from './photos/photo-limits';
export { ACCEPTED_IMAGE_TYPES, MAX_IMAGE_BYTES, MAX_FULL_SIDE, THUMBNAIL_SIDE } from './images/image-pipeline';
export type { AcceptedImageType } from './images/image-pipeline';
export * from './dto/photo.dto';
