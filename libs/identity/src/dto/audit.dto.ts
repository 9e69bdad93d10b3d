import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { AuditEntryView } from '../audit/audit-log.service';
import { PageQueryDto } from './page.dto';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Exact action, e.g. member.roles_changed.', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ description: 'Exact target type, e.g. user, municipality, report.', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  targetType?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  targetId?: string;
}

export class PlatformAuditQueryDto extends AuditQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;
}

export class AuditEntryResponseDto {
  @ApiProperty({ description: 'Monotonic id (a decimal string).', example: '1042' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the system or an erased account.' })
  actorId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  municipalityId: string | null;

  @ApiProperty({ example: 'member.roles_changed' })
  action: string;

  @ApiProperty({ example: 'user' })
  targetType: string;

  @ApiProperty()
  targetId: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'State before the action.' })
  before: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'State after the action.' })
  after: unknown;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryResponseDto] })
  items: AuditEntryResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page.' })
  nextCursor: string | null;
}

export function toAuditEntryResponse(e: AuditEntryView): AuditEntryResponseDto {
  return { ...e };
}
