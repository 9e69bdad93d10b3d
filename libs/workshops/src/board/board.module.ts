import { Module } from '@nestjs/common';
import { RealtimePublisherModule } from '@app/realtime';
import { WorkshopsModule } from '../workshops.module';
import { BoardCommandsHandler } from './board-commands.handler';
import { BoardTopicsPolicy } from './board-topics.policy';
import { WorkshopBoardService } from './board.service';
import { BoardStore } from './board.store';

/**
 * The live board of workshop sessions: its topic policy and socket commands (found by the
 * realtime gateway's registries) and the service behind them. Imported by the API only.
 */
@Module({
  imports: [WorkshopsModule, RealtimePublisherModule],
  providers: [BoardStore, WorkshopBoardService, BoardTopicsPolicy, BoardCommandsHandler],
  exports: [WorkshopBoardService],
})
export class WorkshopBoardModule {}
