import { Injectable } from '@nestjs/common';
import { PanelsService, PoolService } from '@app/panels';

/** A panel as surveys need it: its town and its features' quotas (weighting targets). */
export interface RosterPanel {
  id: string;
  municipalityId: string;
  features: Array<{ code: string; values: Array<{ code: string; min: number; max: number }> }>;
}

/**
 * What surveys need from panels, through libs/panels' exported services only: the panel, whether
 * someone is an active member (and their feature values, kept with their answers for cross-tabs
 * and weighting), and who the members are (for reminders).
 */
export abstract class PanelRoster {
  abstract panel(panelId: string): Promise<RosterPanel>;
  /** The member's feature values, or null when they are not an active member of the panel. */
  abstract activeMember(panelId: string, userId: string): Promise<{ features: Record<string, string> } | null>;
  abstract activeMemberIds(panelId: string): Promise<string[]>;
}

/**
 * PROVISIONAL, until panel member states (issue 16, branch panel-members) land on main: a
 * resident who volunteered for the panel counts as its member. Replace by
 * PanelMembersService.isActiveMember and its members' feature values when they do.
 */
@Injectable()
export class VolunteerPanelRoster extends PanelRoster {
  constructor(
    private readonly panels: PanelsService,
    private readonly pool: PoolService,
  ) {
    super();
  }

  async panel(panelId: string): Promise<RosterPanel> {
    const p = await this.panels.get(panelId);
    return { id: p.id, municipalityId: p.municipalityId, features: p.features };
  }

  async activeMember(panelId: string, userId: string): Promise<{ features: Record<string, string> } | null> {
    try {
      const profile = await this.pool.mine({ id: userId, isPlatformAdmin: false, memberships: {} }, panelId);
      return { features: profile.features };
    } catch (error) {
      if ((error as { code?: string }).code === 'VOLUNTEER_NOT_FOUND') return null;
      throw error;
    }
  }

  /** Not available from libs/panels yet: panel surveys send no reminders until member states land. */
  async activeMemberIds(): Promise<string[]> {
    return [];
  }
}
