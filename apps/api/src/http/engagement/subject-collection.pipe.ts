import { Injectable, PipeTransform } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { SubjectRegistry } from '@app/engagement';

/**
 * Turns the `:collection` URL segment into the subject type it names, or SUBJECT_NOT_FOUND
 * (404). Declared before `:id` in every handler so an unknown collection is a 404 even when the
 * id is malformed: these generic routes claim only the collections that were registered.
 */
@Injectable()
export class SubjectCollectionPipe implements PipeTransform<string, Promise<string>> {
  constructor(private readonly registry: SubjectRegistry) {}

  // async like ParseUUIDPipe, so the two settle in parameter order.
  async transform(collection: string): Promise<string> {
    return this.registry.byCollection(collection).type;
  }
}

/** Swagger for the two generic path parameters. */
export const ApiSubjectParams = (): MethodDecorator =>
  applyDecorators(
    ApiParam({ name: 'collection', description: 'What the subject is, as a URL segment: reports, comments, …', example: 'reports' }),
    ApiParam({ name: 'id', format: 'uuid', description: 'The subject' }),
  );
