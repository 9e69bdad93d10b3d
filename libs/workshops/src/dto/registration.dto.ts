import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { REGISTRATION_STATUSES, RegistrationStatus } from '../registrations/registration.entity';
import { SINGLE_LINE } from './venue.dto';

/** Check-in at the door: the code shown by the person (typed or scanned), or a walk-in's name. */
export class CheckInDto {
  @ApiPropertyOptional({ description: 'The registration code (as typed or read from the QR code)', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9-]+$/, { message: 'code must be letters and digits' })
  code?: string;

  @ApiPropertyOptional({ description: "A walk-in's name, when there is no registration", maxLength: 120 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: 'walkInName must be one line of text' })
  walkInName?: string;
}

export class RegistrationResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() sessionId: string;
  @ApiProperty({ nullable: true, type: String }) userId: string | null;
  @ApiProperty({ nullable: true, type: String }) walkInName: string | null;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status: RegistrationStatus;
  @ApiProperty({ nullable: true, type: Number, description: 'Place on the waitlist (1 = next), when waitlisted' }) waitlistPosition: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Shown to the person and to the facilitators only' }) code: string | null;
  @ApiProperty({ nullable: true, type: String }) offerExpiresAt: string | null;
  @ApiProperty({ nullable: true, type: String }) checkedInAt: string | null;
  @ApiProperty() createdAt: string;
}

export class CheckInResponseDto extends RegistrationResponseDto {
  @ApiProperty({ description: 'True when this request recorded the check-in; false when it had already been recorded' }) counted: boolean;
}

export class RosterEntryDto extends RegistrationResponseDto {
  @ApiProperty({ nullable: true, type: String, description: "The person's display name (a walk-in's name as given); facilitators and staff only" }) displayName: string | null;
}
