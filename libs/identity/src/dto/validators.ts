import { areaGeometryProblem } from '@app/common';
import { registerDecorator, ValidationArguments, ValidationOptions, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/** Names of IANA zones Node knows (canonical ones; links such as "UTC" are checked separately). */
const KNOWN_TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone'));

const ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * A valid IANA zone, spelt as its canonical or linked name ("Europe/Paris", "UTC", "Etc/UTC").
 * ICU matches names case-insensitively; we refuse a canonical name in the wrong case
 * ("europe/paris") so what we store is what the tz database spells.
 */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !ZONE_NAME.test(value)) return false;
  if (KNOWN_TIME_ZONES.has(value)) return true;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  return resolved === value || resolved.toLowerCase() !== value.toLowerCase();
}

@ValidatorConstraint({ name: 'isIanaTimeZone' })
class IsIanaTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isIanaTimeZone(value);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an IANA time zone such as Europe/Paris`;
  }
}

export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({ target: target.constructor, propertyName: String(propertyName), options, validator: IsIanaTimeZoneConstraint });
}

@ValidatorConstraint({ name: 'isAreaGeometry' })
class IsAreaGeometryConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return areaGeometryProblem(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property}: ${areaGeometryProblem(args.value) ?? 'must be a GeoJSON Polygon or MultiPolygon'}`;
  }
}

/** A GeoJSON Polygon or MultiPolygon in WGS 84, bounded in size (see areaGeometryProblem). */
export function IsAreaGeometry(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({ target: target.constructor, propertyName: String(propertyName), options, validator: IsAreaGeometryConstraint });
}

/** Trims strings; leaves other values for the type validators to refuse. */
export const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** No control characters in names shown to people (they break mails, logs and layouts). */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/**
 * Query-string numbers: "12.5" becomes 12.5; an empty or repeated parameter stays as it came
 * so the number validators refuse it (Number('') would quietly be 0).
 */
export const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
