import type { FieldError } from '@app/common';
import type { Quota } from '../selection/selection.types';
import type { PanelFeature } from './panel.entity';
import { panelFieldError } from './panel-field-errors';

/** What is wrong with a set of features and quotas beyond their DTO shape; [] when nothing. */
export function rulesProblems(size: number, features: PanelFeature[]): FieldError[] {
  const problems: FieldError[] = [];
  const codes = new Set<string>();
  features.forEach((feature, f) => {
    if (codes.has(feature.code)) problems.push(panelFieldError(`features.${f}.code`, 'FEATURE_CODE_DUPLICATE'));
    if (['external_id', 'household'].includes(feature.code)) problems.push(panelFieldError(`features.${f}.code`, 'FEATURE_CODE_RESERVED'));
    codes.add(feature.code);
    const values = new Set<string>();
    feature.values.forEach((value, v) => {
      if (values.has(value.code)) problems.push(panelFieldError(`features.${f}.values.${v}.code`, 'VALUE_CODE_DUPLICATE'));
      values.add(value.code);
      if (value.min > value.max) problems.push(panelFieldError(`features.${f}.values.${v}.min`, 'QUOTA_MIN_OVER_MAX'));
    });
    const minSum = feature.values.reduce((s, v) => s + v.min, 0);
    const maxSum = feature.values.reduce((s, v) => s + v.max, 0);
    if (minSum > size) problems.push(panelFieldError(`features.${f}.values`, 'QUOTA_MINIMUMS_OVER_SIZE', { sum: minSum, size }));
    if (maxSum < size) problems.push(panelFieldError(`features.${f}.values`, 'QUOTA_MAXIMUMS_UNDER_SIZE', { sum: maxSum, size }));
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
    if (typeof value !== 'string' || value === '') problems.push(panelFieldError(`${prefix}.${feature.code}`, 'FEATURE_VALUE_REQUIRED'));
    else if (!feature.values.some((v) => v.code === value)) {
      problems.push(panelFieldError(`${prefix}.${feature.code}`, 'FEATURE_VALUE_UNKNOWN', { value: value.slice(0, 100) }));
    }
  }
  for (const key of Object.keys(given)) {
    if (!features.some((f) => f.code === key)) problems.push(panelFieldError(`${prefix}.${key.slice(0, 60)}`, 'NOT_A_PANEL_FEATURE'));
  }
  return problems;
}
