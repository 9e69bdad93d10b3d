import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { MUNICIPALITY_ROLES, MunicipalityRole } from '../members/membership.entity';
import type { MembershipView } from '../members/memberships.service';
import { PageQueryDto } from './page.dto';
import { NO_CONTROL_CHARACTERS } from './validators';

export const DEPARTMENT_MAX_LENGTH = 100;

/** Trimmed; an empty department means none. */
const toDepartment = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

export class SetMemberRolesDto {
  @ApiProperty({
    enum: MUNICIPALITY_ROLES,
    isArray: true,
    maxItems: MUNICIPALITY_ROLES.length,
    uniqueItems: true,
    description: 'The roles the person holds in this municipality, replacing the previous set. Empty removes the membership.',
    example: ['staff'],
  })
  @IsArray()
  @ArrayMaxSize(MUNICIPALITY_ROLES.length)
  @ArrayUnique()
  @IsIn(MUNICIPALITY_ROLES, { each: true })
  roles: MunicipalityRole[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: DEPARTMENT_MAX_LENGTH,
    description: 'Service the person works in; omitted keeps the current one, null or empty clears it.',
    example: 'Voirie',
  })
  @IsOptional()
  @Transform(toDepartment)
  @ValidateIf((_o, value) => value !== null)
  @IsString()
  @MaxLength(DEPARTMENT_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'department must not contain control characters' })
  department?: string | null;
}

export class ListMembersQueryDto extends PageQueryDto {}

export class MembershipResponseDto {
  @ApiProperty({ format: 'uuid' })
  municipalityId: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ example: 'Camille Martin' })
  displayName: string;

  @ApiProperty({ enum: MUNICIPALITY_ROLES, isArray: true })
  roles: MunicipalityRole[];

  @ApiProperty({ type: String, nullable: true })
  department: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

export class MembershipPageDto {
  @ApiProperty({ type: [MembershipResponseDto] })
  items: MembershipResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export function toMembershipResponse(m: MembershipView): MembershipResponseDto {
  return {
    municipalityId: m.municipalityId,
    userId: m.userId,
    displayName: m.displayName,
    roles: m.roles,
    department: m.department,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}
