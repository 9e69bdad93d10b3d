import { Controller, Delete, Get, Headers, HttpCode, HttpStatus, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { SubjectRef } from '@app/engagement';
import { ACCEPTED_IMAGE_TYPES, MAX_IMAGE_BYTES, PhotoQueryDto, PhotoResponseDto, PhotosService } from '@app/media';
import type { UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '../../common/uuid-param';
import { ApiSubjectParams, Subject } from '../engagement/subject.param';
import { PHOTO_FIELD, PhotoUploadInterceptor } from './photo-upload.interceptor';

/**
 * How long shared caches and browsers keep a public photo before asking again (If-None-Match,
 * answered 304 while it stays public). The bytes never change, but a photo stops being public
 * when moderation hides its subject: a year-long "immutable" would keep serving it from caches.
 */
const PUBLIC_PHOTO_MAX_AGE_S = 600;

@ApiTags('photos')
@Controller('api/v1')
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  @Post(':collection/:id/photos')
  @UseInterceptors(PhotoUploadInterceptor)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Attach a photo to a subject (a report: up to 5)',
    description:
      `One ${ACCEPTED_IMAGE_TYPES.join(', ')} file per request, at most ${MAX_IMAGE_BYTES / (1024 * 1024)} MB, in the field \`${PHOTO_FIELD}\`. ` +
      'The type is read from the bytes, never from the name. Stored without any metadata (EXIF, GPS, XMP), turned upright, ' +
      "at most 2560 px on its longest side, with a thumbnail. The subject's author and the municipality's staff may add photos.",
  })
  @ApiSubjectParams()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: [PHOTO_FIELD], properties: { [PHOTO_FIELD]: { type: 'string', format: 'binary' } } } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe key (8-128 chars): a retry returns the first upload\'s photo (header Idempotent-Replayed: true) and uses no slot' })
  @ApiCreatedResponse({ type: PhotoResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED (the same key with another photo or subject)' })
  @ApiBadRequestResponse({ description: 'PHOTO_REQUIRED, IMAGE_UNREADABLE (not really an image), VALIDATION_FAILED (bad id), BAD_REQUEST (more than one file, unexpected field)' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'PHOTO_UPLOAD_FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND, PHOTOS_NOT_ACCEPTED' })
  @ApiConflictResponse({ description: 'ATTACHMENT_LIMIT_REACHED' })
  @ApiPayloadTooLargeResponse({ description: 'IMAGE_TOO_LARGE (over 10 MB, or over 100 megapixels)' })
  @ApiUnsupportedMediaTypeResponse({ description: 'UNSUPPORTED_IMAGE_TYPE' })
  async upload(
    @Subject() subject: SubjectRef,
    @UploadedFile() file: UploadedMultipartFile | undefined,
    @CurrentUser() caller: AuthUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<PhotoResponseDto> {
    const { view, created } = await this.photos.upload(caller, subject, file?.buffer, idempotencyKey);
    if (!created) res.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get(':collection/:id/photos')
  @Public()
  @ApiOperation({ summary: "A subject's photos, oldest first (for whoever may see the subject)" })
  @ApiSubjectParams()
  @ApiOkResponse({ type: PhotoResponseDto, isArray: true })
  @ApiNotFoundResponse({ description: 'SUBJECT_NOT_FOUND, PHOTOS_NOT_ACCEPTED' })
  list(@Subject() subject: SubjectRef, @CurrentUser() caller: AuthUser | undefined): Promise<PhotoResponseDto[]> {
    return this.photos.list(caller, subject);
  }

  @Delete('photos/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Remove a photo (its uploader, or staff of its municipality); frees its slot; audited' })
  @ApiNoContentResponse({ description: 'Removed, files included' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad id)' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ description: 'PHOTO_DELETE_FORBIDDEN' })
  @ApiNotFoundResponse({ description: 'PHOTO_NOT_FOUND (unknown, or not visible to the caller)' })
  remove(@UuidParam('id') id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    return this.photos.remove(caller, id);
  }

  @Get('photos/:id')
  @Public()
  @ApiOperation({
    summary: 'A photo, full size or thumbnail',
    description:
      `Public while its subject is public (cacheable for ${PUBLIC_PHOTO_MAX_AGE_S / 60} minutes, then revalidated: moderation may hide it); otherwise only for the ` +
      "municipality's staff and the subject's author, with a token. Honours If-None-Match.",
  })
  @ApiProduces(...ACCEPTED_IMAGE_TYPES)
  @ApiOkResponse({ description: 'The image bytes', schema: { type: 'string', format: 'binary' } })
  @ApiNotModifiedResponse({ description: 'The ETag sent in If-None-Match is current' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (bad id or size)' })
  @ApiNotFoundResponse({ description: 'PHOTO_NOT_FOUND (unknown, or not visible to the caller)' })
  async serve(
    @UuidParam('id') id: string,
    @Query() query: PhotoQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @CurrentUser() caller: AuthUser | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const photo = await this.photos.serve(caller, id, query.size ?? 'full', ifNoneMatch);
    res.header('ETag', photo.etag);
    res.header('X-Content-Type-Options', 'nosniff');
    if (photo.isPublic) {
      res.header('Cache-Control', `public, max-age=${PUBLIC_PHOTO_MAX_AGE_S}`);
      // Helmet's default (same-origin) would stop other sites and apps from showing public photos.
      res.header('Cross-Origin-Resource-Policy', 'cross-origin');
    } else {
      res.header('Cache-Control', 'private, no-store');
    }
    if (photo.notModified) {
      res.status(304);
      return undefined;
    }
    return new StreamableFile(photo.body, { type: photo.contentType, length: photo.size, disposition: 'inline' });
  }
}
