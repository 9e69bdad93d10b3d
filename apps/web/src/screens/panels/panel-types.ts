/**
 * The panels API's answers as these screens read them. The panels routes do not declare
 * response schemas in the OpenAPI document yet, so these are written by hand from libs/panels
 * (toPanelView, toVolunteerView, SelectionProbabilitiesView, SelectionView, PanelMemberView,
 * RepresentativenessReport).
 */
export type PanelStatus = 'recruiting' | 'pool_closed' | 'drawn';

export interface PanelFeatureValue {
  code: string;
  label: string;
  min: number;
  max: number;
}

export interface PanelFeature {
  code: string;
  label: string;
  values: PanelFeatureValue[];
}

export interface Panel {
  id: string;
  municipalityId: string;
  name: string;
  purpose: string | null;
  size: number;
  termMonths: number;
  householdRule: boolean;
  features: PanelFeature[];
  consentVersion: string;
  consentText: string;
  status: PanelStatus;
  poolHash: string | null;
  rulesHash: string | null;
  poolClosedAt: string | null;
}

export interface VolunteerProfile {
  id: string;
  panelId: string;
  features: Record<string, string>;
  address: string | null;
  consentVersion: string;
  consentedAt: string;
  contact: { email: boolean; post: boolean; phone?: string | null };
}

export interface SelectionProbabilities {
  algorithmVersion: string;
  poolHash: string;
  rulesHash: string;
  poolSize: number;
  minimumProbability: number;
  minimumProbabilityUpperBound: number;
  certifiedGap: number;
  unreachable: string[];
  panelsInSupport: number;
  probabilities: Array<{ id: string; probability: number }>;
}

export interface PanelSelection {
  id: string;
  kind: string;
  round: number;
  seed: string;
  poolHash: string;
  distributionHash: string;
  minimumProbability: number;
  members: string[];
  createdAt: string;
}

export type MemberStatus = 'selected' | 'confirmed' | 'active' | 'declined' | 'expired' | 'rotated_out' | 'withdrawn';

export interface PanelMember {
  id: string;
  selectionId: string;
  status: MemberStatus;
  hasAccount: boolean;
  features: Record<string, string>;
}

export interface QuotaStanding {
  feature: string;
  value: string;
  min: number;
  max: number;
  pool: number;
  seated: number;
  active: number;
  met: boolean;
}

export interface RepresentativenessReport {
  size: number;
  seated: number;
  active: number;
  quotas: QuotaStanding[];
}

/** A feature or value's label, else its code (labels are optional in the API). */
export const labelOf = (x: { code: string; label?: string | null }): string => x.label || x.code;

export const percent = (p: number, locale: string): string =>
  new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(p);
