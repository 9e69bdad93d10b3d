import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidationError } from '@app/common';

/** A UUID route parameter: anything else is a 400 naming the parameter, never a 500 from the database. */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => new ValidationError(`Invalid ${name}`, [{ field: name, messages: [`${name} must be a UUID`] }]),
    }),
  );
