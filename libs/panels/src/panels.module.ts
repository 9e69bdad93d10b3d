import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { PanelEntity } from './panels/panel.entity';
import { PanelsService } from './panels/panels.service';
import { PanelsPersonalData } from './panels-personal-data';
import { PoolMemberEntity } from './pool/pool-member.entity';
import { PoolService } from './pool/pool.service';
import { PanelSelectionEntity } from './selections/panel-selection.entity';
import { SelectionsService } from './selections/selections.service';

/** Citizens' panels: rules, recruitment (volunteers, imported invitation rounds), fair selection by lot. */
@Module({
  imports: [TypeOrmModule.forFeature([PanelEntity, PoolMemberEntity, PanelSelectionEntity]), IdentityModule],
  providers: [PanelsService, PoolService, SelectionsService, PanelsPersonalData],
  exports: [PanelsService, PoolService, SelectionsService],
})
export class PanelsModule {}
