import { ArgumentMetadata, ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationError } from '@app/common';

function flatten(errors: ClassValidatorError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own: FieldError[] = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return own.concat(flatten(e.children ?? [], field));
  });
}

/**
 * The one validation pipeline: unknown fields rejected, payloads turned into DTO instances, and
 * failures reported as 400 with the fields at fault.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const details = flatten(errors);
        const fields = [...new Set(details.map((d) => d.field))];
        return new ValidationError(`Invalid ${fields.join(', ') || 'input'}`, details);
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A missing body (no content, no content-type) reaches us as undefined; validate it as an
    // empty object so the client learns which fields are required, instead of a 500.
    if (metadata.type === 'body' && (value === undefined || value === null)) value = {};
    if (metadata.type === 'body' && (typeof value !== 'object' || Array.isArray(value)) && this.toValidate(metadata)) {
      throw new ValidationError('The request body must be a JSON object', [{ field: 'body', messages: ['must be a JSON object'] }]);
    }
    return super.transform(value, metadata);
  }
}
