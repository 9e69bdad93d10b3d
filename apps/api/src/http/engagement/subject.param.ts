import { applyDecorators, createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { SubjectRef, SubjectRegistry } from '@app/engagement';
import type { FastifyRequest } from 'fastify';
import { uuidPipe } from '../../common/uuid-param';

interface RawSubjectParams {
  collection: string;
  id: string;
}

/**
 * Turns `/:collection/:id` into a SubjectRef. The collection is resolved first, so an unknown
 * one is a 404 (SUBJECT_NOT_FOUND) whatever the id: these generic routes claim only the
 * collections that were registered. Then the id must be a UUID (400 otherwise).
 */
@Injectable()
export class SubjectPipe implements PipeTransform<RawSubjectParams, Promise<SubjectRef>> {
  private readonly uuid = uuidPipe('id');

  constructor(private readonly registry: SubjectRegistry) {}

  async transform({ collection, id }: RawSubjectParams): Promise<SubjectRef> {
    const { type } = this.registry.byCollection(collection);
    await this.uuid.transform(id, { type: 'param', data: 'id' });
    return { type, id };
  }
}

const SubjectParams = createParamDecorator((_data: unknown, ctx: ExecutionContext): RawSubjectParams => {
  const { collection, id } = ctx.switchToHttp().getRequest<FastifyRequest<{ Params: RawSubjectParams }>>().params;
  return { collection, id };
});

/** The subject named by the route's `:collection/:id`. */
export const Subject = (): ParameterDecorator => SubjectParams(SubjectPipe);

/** Swagger for the two generic path parameters. */
export const ApiSubjectParams = (): MethodDecorator =>
  applyDecorators(
    ApiParam({ name: 'collection', description: 'What the subject is, as a URL segment: reports, comments, …', example: 'reports' }),
    ApiParam({ name: 'id', format: 'uuid', description: 'The subject' }),
  );
