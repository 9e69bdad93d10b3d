import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { PanelsModule } from '@app/panels';
import { PanelDeadlinesConsumer } from './panel-deadlines.consumer';
import { PanelDeadlinesProcessor } from './panel-deadlines.processor';
import { PanelReplacementsConsumer } from './panel-replacements.consumer';

/** The panels library's background work: answer deadlines, term ends, replacement draws. */
@Module({
  imports: [PanelsModule, BullModule.registerQueue({ name: QUEUES.panelDeadlines })],
  providers: [PanelDeadlinesConsumer, PanelDeadlinesProcessor, PanelReplacementsConsumer],
})
export class PanelsWorkerModule {}
