import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** What a reporter may still change while their report is new. */
export class EditReportDto {
  @ApiProperty({ minLength: 3, maxLength: 5000, description: 'The new description (the previous one is kept for staff)', example: 'Deep pothole in front of number 14' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(5000)
  description: string;
}

export class WithdrawReportDto {
  @ApiPropertyOptional({ maxLength: 1000, description: 'Why (shown in the public timeline)', example: 'Fixed by a neighbour' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
