import { Module } from '@nestjs/common';
import { WorkshopBoardModule } from '@app/workshops';
import { BoardController } from './board.controller';

/** HTTP adapter of the workshops' live board (its socket side plugs into the realtime gateway). */
@Module({
  imports: [WorkshopBoardModule],
  controllers: [BoardController],
})
export class WorkshopBoardHttpModule {}
