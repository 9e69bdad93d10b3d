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
  /** The population's share with this value (census), the target of weighted survey results; null if not given. */
  populationShare?: number | null;
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
  /** Days a drawn person has to answer; share of the seats redrawn when a term ends. */
  confirmationDays: number;
  rotationShare: number;
  /** 0 until the first term starts (every seat confirmed). */
  termNumber: number;
  termStartedAt: string | null;
  termEndsAt: string | null;
  /** The term has ended: a rotation draw is due. */
  rotationDue: boolean;
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
  /** The invitation's deadline: without an answer by then, the seat goes to a replacement draw. */
  respondBy: string;
  selectedAt: string;
  confirmedAt: string | null;
  activatedAt: string | null;
  endedAt: string | null;
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

/** Who answered the invitations, for one feature value (or overall). */
export interface ResponseRate {
  invited: number;
  accepted: number;
  declined: number;
  noAnswer: number;
  pending: number;
  /** accepted / answered; null while nobody has answered. */
  rate: number | null;
}

export interface RepresentativenessReport {
  size: number;
  termNumber: number;
  seated: number;
  active: number;
  quotas: QuotaStanding[];
  responseRates: Array<ResponseRate & { feature: string; value: string }>;
  overall: ResponseRate;
}

/** The answer of `POST …/pool/import`: rows imported, and each rejected row with why. */
export interface PoolImportReport {
  imported: number;
  rejected: Array<{ line: number; externalId: string | null; reasons: string[] }>;
}

/** A letter to print for a drawn imported resident who has no account yet. */
export interface InvitationLetter {
  memberId: string;
  externalId: string;
  code: string;
  respondBy: string;
}

/** The answer of a rotation (or replacement) draw. */
export interface RedrawOutcome {
  selectionId: string | null;
  drawn: number;
  vacancies: number;
}

/** A feature or value's label, else its code (labels are optional in the API). */
export const labelOf = (x: { code: string; label?: string | null }): string => x.label || x.code;

export const percent = (p: number, locale: string): string =>
  new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(p);
