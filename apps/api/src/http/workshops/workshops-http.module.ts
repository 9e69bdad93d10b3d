import { Module } from '@nestjs/common';
import { WorkshopsModule } from '@app/workshops';
import { RegistrationsController } from './registrations.controller';
import { SessionsController } from './sessions.controller';
import { CalendarsController } from './calendars.controller';
import { VenuesController } from './venues.controller';
import { WorkshopsController } from './workshops.controller';

/** HTTP adapters of the workshops library (scheduling, registration, check-in). */
@Module({
  imports: [WorkshopsModule],
  controllers: [VenuesController, WorkshopsController, SessionsController, RegistrationsController, CalendarsController],
})
export class WorkshopsHttpModule {}
