// eslint-disable-next-line no-restricted-imports -- the one place that wraps it, naming the parameter
import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidationError } from '@app/common';

/** Parses a UUID named `name`; anything else is a 400 naming it (`IS_UUID`), never a 500 from the database. */
export const uuidPipe = (name: string): ParseUUIDPipe =>
  new ParseUUIDPipe({
    exceptionFactory: () => new ValidationError(`Invalid ${name}`, [{ field: name, code: 'IS_UUID', message: `${name} must be a UUID` }]),
  });

/** A UUID route parameter. */
export const UuidParam = (name: string): ParameterDecorator => Param(name, uuidPipe(name));
