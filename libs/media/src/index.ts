import './media.events';

export * from './media.module';
export * from './media.errors';
export * from './media.events';
export * from './attachments.service';
export * from './photos/photos.service';
export { MAX_PHOTOS_PER_SUBJECT, maxPhotosFor } from './photos/photo-limits';
export { ACCEPTED_IMAGE_TYPES, MAX_IMAGE_BYTES, MAX_FULL_SIDE, THUMBNAIL_SIDE } from './images/image-pipeline';
export type { AcceptedImageType } from './images/image-pipeline';
export * from './dto/photo.dto';
