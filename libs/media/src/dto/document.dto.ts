import { ApiProperty } from '@nestjs/swagger';
import { ACCEPTED_DOCUMENT_TYPES } from '../documents/document-pipeline';

export class DocumentResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'plan-du-quartier.pdf', description: 'The name it downloads under: cleaned, with the extension of its real type' })
  fileName: string;

  @ApiProperty({ enum: ACCEPTED_DOCUMENT_TYPES, description: 'Type detected from the uploaded bytes' })
  mimeType: string;

  @ApiProperty({ example: 482133 })
  bytes: number;

  @ApiProperty({ format: 'uri', description: 'Downloads the file (Content-Disposition: attachment)' })
  url: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
