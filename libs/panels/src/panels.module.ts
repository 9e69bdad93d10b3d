import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { MemberLifecycleService } from './members/member-lifecycle.service';
import { PanelMemberNotificationRule } from './notifications/panel-notification.rules';
import { RepresentativenessService } from './members/representativeness.service';
import { ReplacementDrawsService } from './members/replacement-draws.service';
import { MemberRosterService } from './members/member-roster.service';
import { MyPanelsService } from './members/my-panels.service';
import { MemberTransitions } from './members/member-transitions';
import { PanelMemberEntity, PanelMemberHistoryEntity } from './members/panel-member.entity';
import { PanelMembersService } from './members/panel-members.service';
import { PanelEntity } from './panels/panel.entity';
import { PanelsService } from './panels/panels.service';
import { PanelsPersonalData } from './panels-personal-data';
import { PanelVolunteersAudience } from './notifications/panel-volunteers.audience';
import { PanelMembersAudience } from './notifications/panel-members.audience';
import { PoolMemberEntity } from './pool/pool-member.entity';
import { PoolService } from './pool/pool.service';
import { PanelSelectionEntity } from './selections/panel-selection.entity';
import { SelectionsService } from './selections/selections.service';

/** Citizens' panels: rules, recruitment (volunteers, imported invitation rounds), fair selection by lot, members. */
@Module({
  imports: [TypeOrmModule.forFeature([PanelEntity, PoolMemberEntity, PanelSelectionEntity, PanelMemberEntity, PanelMemberHistoryEntity]), IdentityModule],
  providers: [
    PanelsService, PoolService, SelectionsService, PanelsPersonalData, PanelMembersService, MemberTransitions, MemberLifecycleService, MemberRosterService, ReplacementDrawsService, RepresentativenessService, MyPanelsService,
    // Who hears of a draw (discovered by the notifications pipeline).
    PanelMemberNotificationRule,
    // Who an announcement to a panel's volunteers reaches (discovered by libs/notifications).
    PanelVolunteersAudience,
    PanelMembersAudience,
  ],
  exports: [PanelsService, PoolService, SelectionsService, PanelMembersService, MemberLifecycleService, MemberRosterService, ReplacementDrawsService, RepresentativenessService, MyPanelsService],
})
export class PanelsModule {}
