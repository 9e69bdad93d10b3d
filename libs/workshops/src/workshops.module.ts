import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { WorkshopAccessService } from './access/workshop-access.service';
import { CheckInsService } from './registrations/check-ins.service';
import { FeedTokenEntity, RegistrationEntity } from './registrations/registration.entity';
import { RegistrationsService } from './registrations/registrations.service';
import { SeatOffers } from './registrations/seat-offers';
import { SessionScheduler } from './sessions/session-scheduler';
import { FacilitatorBookingEntity, WorkshopSessionEntity } from './sessions/session.entity';
import { RoomEntity, VenueEntity } from './venues/venue.entity';
import { VenuesService } from './venues/venues.service';
import { WorkshopEntity, WorkshopFacilitatorEntity } from './workshops/workshop.entity';
import { WorkshopsService } from './workshops/workshops.service';

const ENTITIES = [VenueEntity, RoomEntity, WorkshopEntity, WorkshopFacilitatorEntity, WorkshopSessionEntity, FacilitatorBookingEntity, RegistrationEntity, FeedTokenEntity];

/** Workshops: venues, scheduling, registration with waitlist offers, check-in. */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), IdentityModule],
  providers: [WorkshopAccessService, VenuesService, WorkshopsService, SessionScheduler, RegistrationsService, SeatOffers, CheckInsService],
  exports: [WorkshopAccessService, VenuesService, WorkshopsService, RegistrationsService, CheckInsService],
})
export class WorkshopsModule {}
