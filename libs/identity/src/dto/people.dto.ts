import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { MUNICIPALITY_ROLES, MunicipalityRole } from '../members/membership.entity';
import type { PersonFound, ResidentMatch, ResidentView } from '../members/people-directory.service';
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

export class SearchResidentsDto {
  @ApiProperty({ minLength: 3, maxLength: 100, example: 'martin', description: 'A fragment of the display name (accents and case aside) or of the address; surrounding spaces do not count.' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(3)
  @MaxLength(100)
  q: string;
}

export class ResidentMatchDto {
  @ApiProperty({ format: 'uuid', description: 'For a paper ballot (POST /budgets/:id/paper-ballots residentId).' })
  id: string;

  @ApiProperty({ example: 'Camille Martin' })
  displayName: string;
}

export class ResidentMatchListDto {
  @ApiProperty({ type: [ResidentMatchDto], description: 'At most 10, by name.' })
  items: ResidentMatchDto[];

  @ApiProperty({ description: 'More residents match: type more of the name or address.' })
  more: boolean;
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

export function toResidentMatchList(found: { items: ResidentMatch[]; more: boolean }): ResidentMatchListDto {
  return { items: found.items.map((r) => ({ id: r.id, displayName: r.displayName })), more: found.more };
}
