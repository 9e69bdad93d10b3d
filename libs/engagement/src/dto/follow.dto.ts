import { ApiProperty } from '@nestjs/swagger';
import { FollowView } from '../follows/follows.service';

export class FollowResponseDto {
  @ApiProperty({ example: 'report' })
  subjectType: string;

  @ApiProperty({ type: String, nullable: true, example: 'reports', description: 'URL segment: /api/v1/{collection}/{subjectId}.' })
  collection: string | null;

  @ApiProperty({ format: 'uuid' })
  subjectId: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class FollowPageDto {
  @ApiProperty({ type: [FollowResponseDto] })
  items: FollowResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export class FollowStateDto {
  @ApiProperty({ description: 'Whether you follow this subject.' })
  following: boolean;
}

export function toFollowResponse(f: FollowView): FollowResponseDto {
  return { subjectType: f.subjectType, collection: f.collection, subjectId: f.subjectId, createdAt: f.createdAt };
}
