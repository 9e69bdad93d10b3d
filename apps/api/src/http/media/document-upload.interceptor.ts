import { CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor, memoryStorage } from '@nestjs/platform-fastify/multipart';
import { DocumentTooLargeError, MAX_DOCUMENT_BYTES } from '@app/media';
import { Observable } from 'rxjs';

export const DOCUMENT_FIELD = 'document';

/** Enforced while the body streams in, before anything is sniffed: one file, no other fields. */
const UPLOAD_LIMITS = { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 0, parts: 1 };

const DocumentFileInterceptor = FileInterceptor(DOCUMENT_FIELD, { storage: memoryStorage(), limits: UPLOAD_LIMITS });

/** The `document` field; "file too large" becomes media's DOCUMENT_TOO_LARGE (413 naming the limit). */
@Injectable()
export class DocumentUploadInterceptor extends DocumentFileInterceptor implements NestInterceptor {
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (err) {
      if (err instanceof PayloadTooLargeException) throw new DocumentTooLargeError(MAX_DOCUMENT_BYTES);
      throw err;
    }
  }
}
