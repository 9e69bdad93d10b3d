import { Injectable } from '@nestjs/common';
import { PanelMembersService } from '@app/panels';

/** A panel as surveys need it: its town and its features' weighting targets. */
export interface RosterPanel {
  id: string;
  municipalityId: string;
  /** targetShare: the population share of a value (libs/panels: the admin's, else the quota band's middle), normalised per feature. */
  features: Array<{ code: string; values: Array<{ code: string; targetShare: number }> }>;
}

/**
 * What surveys need from panels, through libs/panels' exported PanelMembersService only: the
 * panel's strata, whether someone is an active member now (and their feature values, kept with
 * their answers for cross-tabs and weighting), and who the active members are (reminders).
 */
@Injectable()
export class PanelRoster {
  constructor(private readonly members: PanelMembersService) {}

  async panel(panelId: string): Promise<RosterPanel> {
    const strata = await this.members.strata(panelId);
    return { id: strata.panelId, municipalityId: strata.municipalityId, features: strata.features };
  }

  /** The member's feature values, or null when they are not an active member of the panel. */
  async activeMember(panelId: string, userId: string): Promise<{ features: Record<string, string> } | null> {
    if (!(await this.members.isActiveMember(panelId, userId))) return null;
    const features = await this.members.memberFeatures(panelId, [userId]);
    return { features: features.get(userId) ?? {} };
  }

  async activeMemberIds(panelId: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.members.activeMemberUserIds(panelId, { cursor, limit: 1000 });
      ids.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }
}
