import { Module } from '@nestjs/common';
import { PanelsModule } from '@app/panels';

/**
 * Panels in the worker: no processor yet, but its providers must be loaded here for what the
 * worker discovers from it (the `panel.volunteers` audience announcements are fanned out to).
 */
@Module({ imports: [PanelsModule] })
export class PanelsWorkerModule {}
