import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export const MINUTES_MAX_LENGTH = 20_000;

export class PublishBoardOutcomesDto {
  @ApiProperty({ description: "The facilitator's minutes of the session (plain text)", maxLength: MINUTES_MAX_LENGTH, example: 'We heard 42 ideas; shade and benches came first.' })
  @IsString()
  @MaxLength(MINUTES_MAX_LENGTH)
  // No control characters other than line breaks and tabs.
  @Matches(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, { message: 'minutes must not contain control characters' })
  minutes: string;
}
