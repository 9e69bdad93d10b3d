import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@app/common';
import { REGISTRATION_STATUSES, RegistrationStatus } from '../registrations/registration.entity';
import type { MyRegistrationState } from '../registrations/my-registrations.service';
import { LocalizedTitleDto } from './workshop.dto';

const WHEN = ['upcoming', 'past'] as const;
const STATES = ['registered', 'waitlisted', 'offered', 'cancelled', 'attended'] as const;

export class MyRegistrationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: WHEN, default: 'upcoming', description: 'upcoming: sessions not over yet, soonest first; past: sessions over, latest first' })
  @IsOptional()
  @IsIn(WHEN)
  when?: (typeof WHEN)[number];

  @ApiPropertyOptional({ description: "Only this workshop's sessions (a workshop page asks for mine there)" })
  @IsOptional()
  @IsUUID()
  workshopId?: string;
}

export class MyRegistrationDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: STATES, description: 'The status, or attended once checked in at the door' }) state: MyRegistrationState;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status: RegistrationStatus;
  @ApiProperty({ nullable: true, type: Number, description: 'Place on the waitlist (1 = next), when waitlisted' }) waitlistPosition: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Until when the offered seat is held, when offered' }) offerExpiresAt: string | null;
  @ApiProperty({ nullable: true, type: String }) checkedInAt: string | null;
  @ApiProperty() sessionId: string;
  @ApiProperty({ enum: ['scheduled', 'cancelled'] }) sessionStatus: 'scheduled' | 'cancelled';
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ description: "On the town's clock (YYYY-MM-DDTHH:mm)" }) localStartsAt: string;
  @ApiProperty() localEndsAt: string;
  @ApiProperty() timezone: string;
  @ApiProperty() workshopId: string;
  @ApiProperty({ type: LocalizedTitleDto }) workshopTitle: LocalizedTitleDto;
}

export class MyRegistrationsPageDto {
  @ApiProperty({ type: [MyRegistrationDto] }) items: MyRegistrationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
