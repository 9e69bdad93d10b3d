import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { WorkshopAccessService } from './access/workshop-access.service';
import { CheckInsService } from './registrations/check-ins.service';
import { FeedTokenEntity, RegistrationEntity } from './registrations/registration.entity';
import { RegistrationsService } from './registrations/registrations.service';
import { MyRegistrationsService } from './registrations/my-registrations.service';
import { SeatOffers } from './registrations/seat-offers';
import { SessionScheduler } from './sessions/session-scheduler';
import { SessionsService } from './sessions/sessions.service';
import { SessionRemindersService } from './sessions/session-reminders.service';
import { OfferExpiryService } from './registrations/offer-expiry.service';
import { WORKSHOP_NOTIFICATION_RULES } from './notifications/workshop-notification-rules';
import { FacilitatorBookingEntity, WorkshopSessionEntity } from './sessions/session.entity';
import { RoomEntity, VenueEntity } from './venues/venue.entity';
import { VenuesService } from './venues/venues.service';
import { WorkshopEntity, WorkshopFacilitatorEntity } from './workshops/workshop.entity';
import { WorkshopsService } from './workshops/workshops.service';
import { WorkshopSubjectProvider } from './workshops/workshop-subject.provider';
import { SessionListingService } from './listing/session-listing.service';
import { CalendarFeedsService } from './calendar/calendar-feeds.service';
import { DoorCodesService } from './registrations/door-codes.service';
import { WorkshopsPersonalData } from './workshops-personal-data';
import { SessionAttendeesAudience } from './notifications/session-attendees.audience';
import { WorkshopIdeasService } from './ideas/workshop-ideas.service';

const ENTITIES = [VenueEntity, RoomEntity, WorkshopEntity, WorkshopFacilitatorEntity, WorkshopSessionEntity, FacilitatorBookingEntity, RegistrationEntity, FeedTokenEntity];

/** Workshops: venues, scheduling, registration with waitlist offers, check-in. */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), IdentityModule],
  providers: [WorkshopAccessService, VenuesService, WorkshopsService, SessionScheduler, SessionsService, RegistrationsService, MyRegistrationsService, SeatOffers, CheckInsService, SessionRemindersService, OfferExpiryService, SessionListingService, CalendarFeedsService, DoorCodesService, WorkshopIdeasService,
    // Comments, follows, flags and photos on workshops (discovered by engagement and media).
    WorkshopSubjectProvider,
    // Export and erasure of registrations (discovered by identity's personal data service).
    WorkshopsPersonalData,
    // Who hears of what (discovered by the notifications pipeline).
    ...WORKSHOP_NOTIFICATION_RULES,
    // Who an announcement to a session's registered and waiting people reaches (discovered by libs/notifications).
    SessionAttendeesAudience],
  exports: [SessionListingService, CalendarFeedsService, DoorCodesService, SessionRemindersService, OfferExpiryService, WorkshopAccessService, VenuesService, WorkshopsService, SessionsService, RegistrationsService, MyRegistrationsService, CheckInsService, WorkshopIdeasService],
})
export class WorkshopsModule {}
