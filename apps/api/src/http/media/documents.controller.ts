import { Controller, Delete, Get, HttpCode, HttpStatus, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { SubjectRef } from '@app/engagement';
import { ACCEPTED_DOCUMENT_TYPES, DocumentResponseDto, DocumentsService, MAX_DOCUMENT_BYTES } from '@app/media';
import type { UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '../../common/uuid-param';
import { ApiSubjectParams, Subject } from '../engagement/subject.param';
import { DOCUMENT_FIELD, DocumentUploadInterceptor } from './document-upload.interceptor';

@ApiTags('documents')
@Controller('api/v1')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post(':collection/:id/documents')
  @UseInterceptors(DocumentUploadInterceptor)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Attach a document to a subject (a proposal: up to 5)',
    description:
      `One PDF, JPEG, PNG or WebP file per request, at most ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MB, in the field \`${DOCUMENT_FIELD}\`. ` +
      'The type is read from the bytes, never from the name; an image loses its metadata. The name is kept (cleaned) for the download.',
  })
  @ApiSubjectParams()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: [DOCUMENT_FIELD], properties: { [DOCUMENT_FIELD]: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: DocumentResponseDto })
  @ApiBadRequestResponse({ description: 'DOCUMENT_REQUIRED, IMAGE_UNREADABLE, VALIDATION_FAILED (bad id), BAD_REQUEST (more than one file, unexpected field)' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'DOCUMENT_UPLOAD_FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND, DOCUMENTS_NOT_ACCEPTED' })
  @ApiConflictResponse({ description: 'DOCUMENT_LIMIT_REACHED' })
  @ApiPayloadTooLargeResponse({ description: 'DOCUMENT_TOO_LARGE' })
  @ApiUnsupportedMediaTypeResponse({ description: 'UNSUPPORTED_DOCUMENT_TYPE (whatever the name or Content-Type claimed)' })
  upload(@Subject() subject: SubjectRef, @UploadedFile() file: UploadedMultipartFile | undefined, @CurrentUser() caller: AuthUser): Promise<DocumentResponseDto> {
    return this.documents.upload(caller, subject, file?.buffer, file?.originalname);
  }

  @Get(':collection/:id/documents')
  @Public()
  @ApiOperation({ summary: "A subject's documents, oldest first (for whoever may see the subject)" })
  @ApiSubjectParams()
  @ApiOkResponse({ type: DocumentResponseDto, isArray: true })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND, DOCUMENTS_NOT_ACCEPTED' })
  list(@Subject() subject: SubjectRef, @CurrentUser() caller: AuthUser | undefined): Promise<DocumentResponseDto[]> {
    return this.documents.list(caller, subject);
  }

  @Get('documents/:id')
  @Public()
  @ApiOperation({ summary: 'Download a document (public while its subject is public; otherwise its author and the town staff)' })
  @ApiProduces(...ACCEPTED_DOCUMENT_TYPES)
  @ApiOkResponse({ description: 'The file, as an attachment', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'DOCUMENT_NOT_FOUND (unknown, or not visible to the caller)' })
  async download(@UuidParam('id') id: string, @CurrentUser() caller: AuthUser | undefined, @Res({ passthrough: true }) res: FastifyReply): Promise<StreamableFile> {
    const doc = await this.documents.serve(caller, id);
    res.header('X-Content-Type-Options', 'nosniff');
    // Never rendered in our origin: a PDF's scripts or an HTML look-alike run nowhere.
    res.header('Content-Security-Policy', "default-src 'none'; sandbox");
    res.header('Cache-Control', doc.isPublic ? 'public, max-age=600' : 'private, no-store');
    if (doc.isPublic) res.header('Cross-Origin-Resource-Policy', 'cross-origin');
    // Quoted and RFC 5987-encoded by content-disposition: the name cannot break out of the header.
    return new StreamableFile(doc.body, { type: doc.contentType, length: doc.size, disposition: contentDisposition(doc.fileName, { type: 'attachment' }) });
  }

  @Delete('documents/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Remove a document (its uploader, or staff of its municipality); frees its slot; audited' })
  @ApiNoContentResponse({ description: 'Removed, file included' })
  @ApiForbiddenResponse({ description: 'DOCUMENT_DELETE_FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'DOCUMENT_NOT_FOUND' })
  remove(@UuidParam('id') id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    return this.documents.remove(caller, id);
  }
}
