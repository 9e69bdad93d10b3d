import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError as ClassValidatorError } from 'class-validator';
import { Open311Error } from './open311.errors';

type Plain = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The spec: "A null parameter should be treated as equivalent to a non-declared parameter", so an
 * empty value is dropped before validation (`lat=` is no latitude, not latitude 0).
 */
export function withoutEmpty(input: unknown): Plain {
  const out: Plain = {};
  if (!isPlainObject(input)) return out;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null || value === '') continue;
    out[key] = value;
  }
  return out;
}

/**
 * Filters "can be declared multiple times, comma delimited": `status=open&status=closed` arrives
 * as an array, which we read as "open,closed".
 */
export function joinRepeated(input: Plain, keys: readonly string[]): Plain {
  const out = { ...input };
  for (const key of keys) {
    const value = out[key];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value.join(',');
  }
  return out;
}

/**
 * The attribute answers of a POST, as `{code: value | value[]}`. Form bodies arrive parsed by
 * the extended (qs) parser: `attribute[size]=s&attribute[sides][]=n` is `{attribute: {size: 's',
 * sides: ['n']}}`. JSON bodies may send the same object, or flat `"attribute[size]"` keys.
 * Numbers and booleans (JSON) are read as their text, like a form would send them.
 */
export function collectAttributes(input: Plain): Plain {
  const out: Plain = {};
  const put = (code: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    out[code] = Array.isArray(value) ? value.map(asText) : asText(value);
  };
  if (isPlainObject(input.attribute)) for (const [code, value] of Object.entries(input.attribute)) put(code, value);
  for (const [key, value] of Object.entries(input)) {
    const flat = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (flat) put(flat[1], flat[2] && !Array.isArray(value) ? [value] : value);
  }
  return out;
}

function asText(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/**
 * Validates Open311 parameters against a DTO: unknown parameters are ignored (clients send
 * extensions), every problem becomes one spec error entry.
 */
export function validateOpen311<T extends object>(cls: ClassConstructor<T>, input: Plain): T {
  const dto = plainToInstance(cls, input);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: true, validationError: { target: false, value: false } });
  if (errors.length) throw new Open311Error(400, flatten(errors));
  return dto;
}

function flatten(errors: ClassValidatorError[]): string[] {
  return errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...flatten(e.children ?? [])]);
}
