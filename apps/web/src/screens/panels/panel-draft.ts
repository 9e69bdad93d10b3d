import type { Panel } from './panel-types';

/**
 * A panel's rules as the editor holds them: numbers stay the text typed, so what the API
 * refuses (an empty size, a minimum over the maximum) comes back from it, named by field, and is
 * shown beside that field. The browser adds no rules of its own.
 */
export interface ValueDraft {
  code: string;
  label: string;
  min: string;
  max: string;
  /** The population's share (0–1), optional: blank leaves it out. */
  share: string;
}

export interface FeatureDraft {
  code: string;
  label: string;
  values: ValueDraft[];
}

export interface PanelDraft {
  name: string;
  purpose: string;
  size: string;
  termMonths: string;
  householdRule: boolean;
  confirmationDays: string;
  rotationShare: string;
  consentVersion: string;
  consentText: string;
  features: FeatureDraft[];
}

export const emptyValue = (): ValueDraft => ({ code: '', label: '', min: '0', max: '0', share: '' });
export const emptyFeature = (): FeatureDraft => ({ code: '', label: '', values: [emptyValue(), emptyValue()] });

export function emptyDraft(): PanelDraft {
  return {
    name: '',
    purpose: '',
    size: '',
    termMonths: '12',
    householdRule: true,
    confirmationDays: '14',
    rotationShare: '0.5',
    consentVersion: '',
    consentText: '',
    features: [emptyFeature()],
  };
}

export function draftOf(panel: Panel): PanelDraft {
  return {
    name: panel.name,
    purpose: panel.purpose ?? '',
    size: String(panel.size),
    termMonths: String(panel.termMonths),
    householdRule: panel.householdRule,
    confirmationDays: String(panel.confirmationDays),
    rotationShare: String(panel.rotationShare),
    consentVersion: panel.consentVersion,
    consentText: panel.consentText,
    features: panel.features.map((f) => ({
      code: f.code,
      label: f.label === f.code ? '' : f.label,
      values: f.values.map((v) => ({
        code: v.code,
        label: v.label === v.code ? '' : v.label,
        min: String(v.min),
        max: String(v.max),
        share: v.populationShare == null ? '' : String(v.populationShare),
      })),
    })),
  };
}

/** A typed number as JSON: blank or not a number → null, which the API names as the field at fault. */
const numberOf = (text: string): number | null => {
  const trimmed = text.trim().replace(',', '.');
  if (!trimmed) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
};

/** The create body (`CreatePanelDto`); labels left blank are left out (the API shows the code). */
export function bodyOf(draft: PanelDraft): Record<string, unknown> {
  return {
    name: draft.name.trim(),
    ...(draft.purpose.trim() ? { purpose: draft.purpose.trim() } : {}),
    size: numberOf(draft.size),
    termMonths: numberOf(draft.termMonths),
    householdRule: draft.householdRule,
    confirmationDays: numberOf(draft.confirmationDays),
    rotationShare: numberOf(draft.rotationShare),
    consentVersion: draft.consentVersion.trim(),
    consentText: draft.consentText,
    features: draft.features.map((f) => ({
      code: f.code.trim(),
      ...(f.label.trim() ? { label: f.label.trim() } : {}),
      values: f.values.map((v) => ({
        code: v.code.trim(),
        ...(v.label.trim() ? { label: v.label.trim() } : {}),
        min: numberOf(v.min),
        max: numberOf(v.max),
        ...(v.share.trim() ? { populationShare: numberOf(v.share) } : {}),
      })),
    })),
  };
}

/**
 * The update body: only the fields that changed, since the rules (size, features, household
 * rule) may not be sent at all once the pool is closed, and a new consent text needs a new version.
 */
export function changesOf(original: PanelDraft, draft: PanelDraft): Record<string, unknown> {
  const before = bodyOf(original);
  const after = bodyOf(draft);
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) changes[key] = after[key];
  }
  // A purpose emptied is sent as empty text (leaving it out would keep the old one).
  if (original.purpose.trim() && !draft.purpose.trim()) changes.purpose = '';
  return changes;
}
