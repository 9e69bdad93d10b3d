import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MEMBER_STATUSES, MemberStatus } from '../members/panel-member.entity';

export class RedeemInvitationDto {
  @ApiProperty({ description: 'The code printed on the invitation letter (dashes and case ignored)', example: 'ABCD-EFGH-JKMN', maxLength: 40 })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  code: string;
}

export class RotatePanelDto {
  @ApiProperty({ description: 'A new seed revealed in public for the rotation draw', example: '2-5-6-1-3-3', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  seed: string;
}

export class MemberListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MEMBER_STATUSES })
  @IsOptional()
  @IsIn(MEMBER_STATUSES as unknown as string[])
  status?: MemberStatus;
}
