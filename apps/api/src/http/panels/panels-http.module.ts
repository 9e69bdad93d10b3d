import { Module } from '@nestjs/common';
import { PanelsModule } from '@app/panels';
import { MyPanelsController } from './my-panels.controller';
import { PanelMembersController } from './panel-members.controller';
import { PanelsController } from './panels.controller';
import { PoolController } from './pool.controller';
import { SelectionsController } from './selections.controller';

/** HTTP adapters of the panels library. */
@Module({
  imports: [PanelsModule],
  controllers: [PanelsController, PoolController, SelectionsController, PanelMembersController, MyPanelsController],
})
export class PanelsHttpModule {}
