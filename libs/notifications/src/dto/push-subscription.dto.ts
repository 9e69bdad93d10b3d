import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PushSubscriptionView } from '../push/push-subscriptions.service';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The `keys` of a browser PushSubscription (PushSubscription.toJSON()). */
export class PushKeysDto {
  @ApiProperty({ description: "The browser's P-256 ECDH public key, base64url (65 bytes).", minLength: 80, maxLength: 100 })
  @IsString()
  @MinLength(80)
  @MaxLength(100)
  @Matches(BASE64URL, { message: 'p256dh must be base64url' })
  p256dh: string;

  @ApiProperty({ description: 'The auth secret, base64url (16 bytes).', minLength: 16, maxLength: 32 })
  @IsString()
  @MinLength(16)
  @MaxLength(32)
  @Matches(BASE64URL, { message: 'auth must be base64url' })
  auth: string;
}

export class CreatePushSubscriptionDto {
  @ApiProperty({ format: 'uri', maxLength: 2048, description: "The push service URL from the browser's subscription (https)." })
  @IsString()
  @MaxLength(2048)
  endpoint: string;

  @ApiProperty({ type: PushKeysDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys: PushKeysDto;
}

export class DeletePushSubscriptionDto {
  @ApiProperty({ format: 'uri', maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  endpoint: string;
}

export class PushSubscriptionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uri' })
  endpoint: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class PushKeyResponseDto {
  @ApiProperty({ type: String, nullable: true, description: 'VAPID public key (applicationServerKey); null when web push is off.' })
  publicKey: string | null;
}

export function toPushSubscriptionResponse(view: PushSubscriptionView): PushSubscriptionResponseDto {
  return { id: view.id, endpoint: view.endpoint, createdAt: view.createdAt };
}
