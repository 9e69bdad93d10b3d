import { CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ImageTooLargeError, MAX_IMAGE_BYTES } from '@app/media';
import { memoryStorage } from 'multer';
import { Observable } from 'rxjs';

export const PHOTO_FIELD = 'photo';

/** Enforced by multer while the body streams in, before anything is decoded: one file, two small fields at most. */
const UPLOAD_LIMITS = { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 2, fieldSize: 1024, parts: 3 };

const MulterPhoto = FileInterceptor(PHOTO_FIELD, { storage: memoryStorage(), limits: UPLOAD_LIMITS });

/**
 * Nest's FileInterceptor for the `photo` field, whose "file too large" becomes the media
 * library's IMAGE_TOO_LARGE (413 naming the real limit) instead of a generic 413.
 */
@Injectable()
export class PhotoUploadInterceptor implements NestInterceptor {
  private readonly multer = new MulterPhoto();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (err) {
      if (err instanceof PayloadTooLargeException) {
        throw new ImageTooLargeError(`Images may be at most ${MAX_IMAGE_BYTES / (1024 * 1024)} MB`, { maxBytes: MAX_IMAGE_BYTES });
      }
      throw err;
    }
  }
}
