import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { MUNICIPALITY_ROLES, MunicipalityRole } from '../members/membership.entity';
import type { PersonFound, ResidentView } from '../members/people-directory.service';
import { EMAIL_MAX_LENGTH, normalizeEmail } from './auth.dto';
import { PageQueryDto } from './page.dto';

export class FindPersonDto {
  @ApiProperty({ maxLength: EMAIL_MAX_LENGTH, example: 'camille@example.org', description: 'The exact address (case and surrounding spaces do not matter).' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value) : value))
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  @IsEmail()
  email: string;
}

export class PersonFoundResponseDto {
  @ApiProperty({ format: 'uuid', description: 'To grant roles (PUT members/:userId) or verify residency (PUT residents/:userId).' })
  id: string;

  @ApiProperty({ example: 'Camille Martin' })
  displayName: string;

  @ApiProperty({ enum: MUNICIPALITY_ROLES, isArray: true, description: 'Roles in this municipality.' })
  roles: MunicipalityRole[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When they became a verified resident here, or null.' })
  residentSince: Date | null;
}

export class ListResidentsQueryDto extends PageQueryDto {}

export class ResidentResponseDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ example: 'Camille Martin' })
  displayName: string;

  @ApiProperty({ enum: ['code', 'staff'] })
  method: 'code' | 'staff';

  @ApiProperty({ type: String, format: 'date-time' })
  verifiedAt: Date;
}

export class ResidentPageDto {
  @ApiProperty({ type: [ResidentResponseDto] })
  items: ResidentResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export function toPersonFoundResponse(p: PersonFound): PersonFoundResponseDto {
  return { id: p.id, displayName: p.displayName, roles: p.roles, residentSince: p.residentSince };
}

export function toResidentResponse(r: ResidentView): ResidentResponseDto {
  return { userId: r.userId, displayName: r.displayName, method: r.method, verifiedAt: r.verifiedAt };
}
