import type { Schemas } from '../../api/client';

/**
 * The panels API's answers, from the OpenAPI document (libs/panels/src/dto/*-response.dto.ts):
 * a changed answer breaks this app's build (`npm run web:api-types`, then the type check).
 */
export type PanelStatus = Schemas['PanelStatus'];
export type Panel = Schemas['PanelResponseDto'];
export type PanelFeature = Schemas['PanelFeatureResponseDto'];
export type PanelFeatureValue = Schemas['PanelFeatureValueResponseDto'];
export type VolunteerProfile = Schemas['VolunteerResponseDto'];
export type SelectionProbabilities = Schemas['SelectionProbabilitiesResponseDto'];
export type PanelSelection = Schemas['SelectionResponseDto'];
export type MemberStatus = Schemas['PanelMemberStatus'];
export type PanelMember = Schemas['PanelMemberResponseDto'];
export type MemberHistoryEntry = Schemas['MemberHistoryEntryDto'];
export type QuotaStanding = Schemas['QuotaStandingDto'];
/** Who answered the invitations, for one feature value (or overall). */
export type ResponseRate = Schemas['ResponseRateDto'];
export type RepresentativenessReport = Schemas['RepresentativenessReportDto'];
/** The answer of `POST …/pool/import`: rows imported, and each rejected row with why. */
export type PoolImportReport = Schemas['PoolImportReportDto'];
/** A letter to print for a drawn imported resident who has no account yet. */
export type InvitationLetter = Schemas['InvitationLetterDto'];
/** The answer of a rotation (or replacement) draw. */
export type RedrawOutcome = Schemas['RedrawOutcomeDto'];
/** A panel of "my panels": one I volunteered for or hold a seat on. */
export type MyPanel = Schemas['MyPanelDto'];

/** A feature or value's label, else its code (labels are optional in the API). */
export const labelOf = (x: { code: string; label?: string | null }): string => x.label || x.code;

export const percent = (p: number, locale: string): string =>
  new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(p);
