import { CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor, memoryStorage } from '@nestjs/platform-fastify/multipart';
import { ImageTooLargeError, MAX_IMAGE_BYTES } from '@app/media';
import { Observable } from 'rxjs';

export const PHOTO_FIELD = 'photo';

/** Enforced while the body streams in, before anything is decoded: one file, two small fields at most. */
const UPLOAD_LIMITS = { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 2, fieldSize: 1024, parts: 3 };

const PhotoFileInterceptor = FileInterceptor(PHOTO_FIELD, { storage: memoryStorage(), limits: UPLOAD_LIMITS });

/**
 * Nest's FileInterceptor for the `photo` field, whose "file too large" becomes the media
 * library's IMAGE_TOO_LARGE (413 naming the real limit) instead of a generic 413.
 */
@Injectable()
export class PhotoUploadInterceptor extends PhotoFileInterceptor implements NestInterceptor {
  // Built by Nest (not `new`): the parent injects the HTTP adapter, which registers
  // @fastify/multipart at start-up.
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (err) {
      if (err instanceof PayloadTooLargeException) {
        throw new ImageTooLargeError(`Images may be at most ${MAX_IMAGE_BYTES / (1024 * 1024)} MB`, { maxBytes: MAX_IMAGE_BYTES });
      }
      throw err;
    }
  }
}
