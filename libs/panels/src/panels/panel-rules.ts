import type { FieldError } from '@app/common';
import type { Quota } from '../selection/selection.types';
import type { PanelFeature } from './panel.entity';

/** What is wrong with a set of features and quotas beyond their DTO shape; [] when nothing. */
export function rulesProblems(size: number, features: PanelFeature[]): FieldError[] {
  const problems: FieldError[] = [];
  const codes = new Set<string>();
  features.forEach((feature, f) => {
    if (codes.has(feature.code)) problems.push({ field: `features.${f}.code`, code: 'INVALID', message: 'feature codes must be unique' });
    if (['external_id', 'household'].includes(feature.code)) problems.push({ field: `features.${f}.code`, code: 'INVALID', message: 'reserved CSV column name' });
    codes.add(feature.code);
    const values = new Set<string>();
    feature.values.forEach((value, v) => {
      if (values.has(value.code)) problems.push({ field: `features.${f}.values.${v}.code`, code: 'INVALID', message: 'value codes must be unique within a feature' });
      values.add(value.code);
      if (value.min > value.max) problems.push({ field: `features.${f}.values.${v}.min`, code: 'INVALID', message: 'min must not exceed max' });
    });
    const minSum = feature.values.reduce((s, v) => s + v.min, 0);
    const maxSum = feature.values.reduce((s, v) => s + v.max, 0);
    if (minSum > size) problems.push({ field: `features.${f}.values`, code: 'INVALID', message: `the minimums add up to ${minSum}, more than the ${size} seats` });
    if (maxSum < size) problems.push({ field: `features.${f}.values`, code: 'INVALID', message: `the maximums add up to ${maxSum}, fewer than the ${size} seats` });
  });
  return problems;
}

export function quotasOf(features: PanelFeature[]): Quota[] {
  return features.flatMap((f) => f.values.map((v) => ({ feature: f.code, value: v.code, min: v.min, max: v.max })));
}

/** Problems of one person's feature values against the panel's features; [] when valid. */
export function featureValueProblems(features: PanelFeature[], given: Record<string, unknown>, prefix = 'features'): FieldError[] {
  const problems: FieldError[] = [];
  for (const feature of features) {
    const value = given[feature.code];
    if (typeof value !== 'string' || value === '') problems.push({ field: `${prefix}.${feature.code}`, code: 'INVALID', message: 'a value is required' });
    else if (!feature.values.some((v) => v.code === value)) {
      problems.push({ field: `${prefix}.${feature.code}`, code: 'INVALID', message: `unknown value "${value.slice(0, 100)}"` });
    }
  }
  for (const key of Object.keys(given)) {
    if (!features.some((f) => f.code === key)) problems.push({ field: `${prefix}.${key.slice(0, 60)}`, code: 'INVALID', message: 'not a feature of this panel' });
  }
  return problems;
}
