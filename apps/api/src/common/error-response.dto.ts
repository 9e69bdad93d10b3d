import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export class ErrorDetailDto {
  @ApiProperty({ description: 'The field at fault: a body path (`attributes.0.code`), a query or path parameter.', example: 'id' })
  field: string;

  @ApiProperty({ description: 'Stable UPPER_SNAKE code of the problem (IS_UUID, MAX_LENGTH, NOT_NULL...).', example: 'IS_UUID' })
  code: string;

  @ApiProperty({ description: "In the caller's language.", example: 'id must be a UUID' })
  message: string;
}

/** The one error body of the API (apps/api/src/common/http-exception.filter.ts); see libs/common/README.md#errors. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ description: 'The HTTP status text.', example: 'Bad Request' })
  error: string;

  @ApiProperty({ description: 'Stable UPPER_SNAKE code; branch on it, never on `message`.', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiProperty({ description: 'In the language of Accept-Language, else the signed-in person\'s locale, else English (fr, en).', example: 'Invalid id' })
  message: string;

  @ApiProperty({ type: [ErrorDetailDto], description: 'The fields at fault; always present, empty when no field is at fault.' })
  details: ErrorDetailDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Other facts about the refusal, by code: ILLEGAL_TRANSITION {from, to, allowed}, STALE_VERSION {yourVersion, currentVersion}, BODY_TOO_DEEP {maxDepth}...',
    example: { from: 'new', to: 'resolved', allowed: ['acknowledged', 'rejected'] },
  })
  meta?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only on a 500: quote it when reporting the problem.' })
  errorId?: string;
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED and the other input codes: `details` names the fields',
  401: 'Not signed in, or the access token is invalid or expired',
  403: 'Signed in, but not allowed (role, ownership or municipality)',
  404: 'Not found, or not visible to the caller',
  409: 'The current state does not allow it (see `code` and `meta`)',
  410: 'Gone',
  413: 'Too large',
  415: 'Unsupported media type',
  422: 'Well-formed, but breaks a rule of the domain (see `code`)',
  429: 'Too many requests: wait for Retry-After seconds',
  500: 'Our fault: the body carries an `errorId` to quote',
};

/** A response of the shared error schema, for a status (its description: what `code`s it carries). */
export function errorResponse(status: number, description?: string): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description: description ?? DEFAULT_DESCRIPTIONS[status] ?? STATUS_CODES[status], type: ErrorResponseDto });
}

/**
 * The error responses of an operation, all with the shared ErrorResponse schema:
 * `@ApiErrors(400, 404, 409)`, or with the codes each carries: `@ApiErrors({ 409: 'STALE_VERSION, ILLEGAL_TRANSITION' })`.
 * 401 on secured routes, 429 and 500 are added to every operation by withErrorResponses().
 */
export function ApiErrors(...statuses: Array<number | Record<number, string>>): MethodDecorator & ClassDecorator {
  const entries: Array<[number, string | undefined]> = [];
  for (const s of statuses) {
    if (typeof s === 'number') entries.push([s, undefined]);
    else for (const [status, description] of Object.entries(s)) entries.push([Number(status), description]);
  }
  return applyDecorators(ApiExtraModels(ErrorResponseDto), ...entries.map(([status, description]) => errorResponse(status, description)));
}
