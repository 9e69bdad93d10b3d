import type { OpenAPIObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export const ERROR_SCHEMA_REF = '#/components/schemas/ErrorResponseDto';

type Operation = {
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};

const AUTOMATIC: Record<string, string> = {
  '400': 'VALIDATION_FAILED and the other input codes: `details` names the fields',
  '401': 'Not signed in, or the access token is invalid or expired',
  '429': 'Too many requests: wait for Retry-After seconds',
  '500': 'Our fault: the body carries an `errorId` to quote',
};

/**
 * Every operation's error responses, in one place rather than on every controller: each error
 * response (4xx, 5xx) a controller declares without a body gets the shared ErrorResponse
 * schema; every operation gets 429 and 500, every operation with input 400, every secured one
 * 401. Operations that answer errors in another format (Open311's spec error list) keep the
 * schema they declare.
 */
export function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  const errorContent = { 'application/json': { schema: { $ref: ERROR_SCHEMA_REF } } };
  for (const methods of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(methods as Record<string, Operation>)) {
      if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
      const responses = operation.responses;
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && !response.content) response.content = errorContent;
      }
      const hasInput = Boolean(operation.requestBody) || (operation.parameters ?? []).length > 0;
      const needed = ['429', '500', ...(hasInput ? ['400'] : []), ...(operation.security?.length ? ['401'] : [])];
      for (const status of needed) {
        responses[status] ??= { description: AUTOMATIC[status] ?? STATUS_CODES[Number(status)], content: errorContent };
      }
    }
  }
  return document;
}
