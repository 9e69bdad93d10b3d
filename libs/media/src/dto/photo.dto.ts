import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ACCEPTED_IMAGE_TYPES } from '../images/image-pipeline';
import { ATTACHMENT_SIZES, AttachmentSize } from '../attachments.service';

export class PhotoResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ACCEPTED_IMAGE_TYPES, description: 'Type of the full image, as detected from the uploaded bytes' })
  mimeType: string;

  @ApiProperty({ example: 2560, description: 'Width of the full image after orientation and capping' })
  width: number;

  @ApiProperty({ example: 1920 })
  height: number;

  @ApiProperty({ format: 'uri', description: 'The full image, without any metadata' })
  url: string;

  @ApiProperty({ format: 'uri', description: 'A WebP thumbnail, at most 320 px on its longest side' })
  thumbnailUrl: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class PhotoQueryDto {
  @ApiPropertyOptional({ enum: ATTACHMENT_SIZES, default: 'full' })
  @IsOptional()
  @IsIn(ATTACHMENT_SIZES)
  size?: AttachmentSize;
}
