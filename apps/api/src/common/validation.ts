import { ArgumentMetadata, ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationError } from '@app/common';
import { getMetadataStorage } from 'class-validator';
import { DECORATORS } from '@nestjs/swagger';

/** class-validator's constraint names that get a code of their own rather than their UPPER_SNAKE name. */
const CODE_BY_CONSTRAINT: Record<string, string> = {
  whitelistValidation: 'UNKNOWN_FIELD',
};

/** `maxLength` → `MAX_LENGTH`, `isISO8601` → `IS_ISO8601`, `isISO31661Alpha2` → `IS_ISO31661_ALPHA2`. */
export function fieldCodeOf(constraint: string): string {
  return CODE_BY_CONSTRAINT[constraint] ?? constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The constraint's arguments by the names the message catalogue uses. */
function paramsOf(constraint: string, args: unknown[] | undefined): Record<string, unknown> {
  const [first, second] = args ?? [];
  switch (constraint) {
    case 'maxLength':
    case 'max':
    case 'arrayMaxSize':
      return { max: first };
    case 'minLength':
    case 'min':
    case 'arrayMinSize':
      return { min: first };
    case 'length':
      return { min: first, max: second };
    case 'isIn':
      return { values: first };
    case 'isEnum':
      return { values: Array.isArray(second) ? second : Object.values(first as object) };
    default:
      return {};
  }
}

/** The arguments each constraint of a DTO property was declared with (`@MaxLength(80)` → [80]). */
function constraintArgs(target: object | undefined, property: string): Map<string, unknown[]> {
  const args = new Map<string, unknown[]>();
  if (!target) return args;
  const storage = getMetadataStorage();
  for (const meta of storage.getTargetValidationMetadatas(target.constructor, '', true, false)) {
    if (meta.propertyName !== property) continue;
    const name = meta.constraintCls ? storage.getTargetValidatorConstraints(meta.constraintCls)[0]?.name : meta.type;
    if (name && !args.has(name)) args.set(name, meta.constraints);
  }
  return args;
}

/**
 * class-validator's errors as field errors: one per failed constraint, its code from the
 * constraint's name (or the DTO's `context: { code }`), its English text class-validator's.
 */
export function toFieldErrors(errors: ClassValidatorError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const args = e.constraints ? constraintArgs(e.target, e.property) : new Map<string, unknown[]>();
    const own: FieldError[] = Object.entries(e.constraints ?? {}).map(([constraint, message]) => {
      const contextCode = (e.contexts?.[constraint] as { code?: unknown } | undefined)?.code;
      const code = typeof contextCode === 'string' ? contextCode : fieldCodeOf(constraint);
      return { field, code, message, params: paramsOf(constraint, args.get(constraint)) };
    });
    return own.concat(toFieldErrors(e.children ?? [], field));
  });
}

/**
 * The one validation pipeline: unknown fields rejected, payloads turned into DTO instances, and
 * failures reported as 400 with one `{field, code, message}` per problem.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      // The target is read to find each constraint's arguments, and never leaves the pipe.
      validationError: { target: true, value: false },
      exceptionFactory: (errors) => {
        const details = toFieldErrors(errors);
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
      throw new ValidationError('The request body must be a JSON object', [
        { field: 'body', code: 'BODY_NOT_OBJECT', message: 'the request body must be a JSON object' },
      ]);
    }
    const dto = await super.transform(value, metadata);
    const nulls = this.toValidate(metadata) ? unexpectedNulls(dto) : [];
    if (nulls.length > 0) throw new ValidationError(`Invalid ${nulls.map((n) => n.field).join(', ')}`, nulls);
    return dto;
  }
}

/** Whether the DTO documents the property as taking null (`@ApiProperty({ nullable: true })`). */
function acceptsNull(dto: object, property: string): boolean {
  const documented = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, Object.getPrototypeOf(dto), property) as { nullable?: boolean } | undefined;
  return documented?.nullable === true;
}

/**
 * `@IsOptional()` lets null through as well as undefined, and null then reached NOT NULL
 * columns (a 500) or wiped values. A null is taken only where the DTO documents the property as
 * nullable (`@ApiProperty({ nullable: true })`, which also tells clients); elsewhere it is a 400
 * NOT_NULL naming the field. Nested DTOs (objects and arrays of them) are checked the same way.
 */
export function unexpectedNulls(dto: unknown, parent = ''): FieldError[] {
  if (dto === null || typeof dto !== 'object') return [];
  if (Array.isArray(dto)) return dto.flatMap((item, i) => unexpectedNulls(item, parent ? `${parent}.${i}` : String(i)));
  const proto = Object.getPrototypeOf(dto);
  if (proto === Object.prototype || proto === null) return []; // free-form data (attributes, GeoJSON), not a DTO
  return Object.entries(dto).flatMap(([property, value]) => {
    const field = parent ? `${parent}.${property}` : property;
    if (value === null) {
      return acceptsNull(dto, property) ? [] : [{ field, code: 'NOT_NULL', message: `${field} must not be null; leave it out to keep it unchanged` }];
    }
    return unexpectedNulls(value, field);
  });
}
