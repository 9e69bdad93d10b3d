import { Injectable } from '@nestjs/common';
import { TransactionService } from '@app/common';
import { Actor } from '@app/identity';
import * as QRCode from 'qrcode';
import { isUuid } from '../ids';
import { RegistrationNotFoundError } from '../workshops.errors';
import { RegistrationEntity } from './registration.entity';

/**
 * The QR code of a registration's door code, drawn by the `qrcode` package. It encodes the code
 * alone (what the facilitator's scanner sends to the check-in route), for its holder only.
 */
@Injectable()
export class DoorCodesService {
  constructor(private readonly tx: TransactionService) {}

  async svg(actor: Actor, registrationId: string): Promise<string> {
    return QRCode.toString(await this.code(actor, registrationId), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  async png(actor: Actor, registrationId: string): Promise<Buffer> {
    return QRCode.toBuffer(await this.code(actor, registrationId), { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 });
  }

  private async code(actor: Actor, registrationId: string): Promise<string> {
    if (!isUuid(registrationId)) throw new RegistrationNotFoundError();
    const r = await this.tx.manager.findOne(RegistrationEntity, { where: { id: registrationId }, select: { id: true, userId: true, code: true, status: true } });
    // Not yours, or no longer a place: the same 404.
    if (!r || r.userId !== actor.id || r.status === 'cancelled') throw new RegistrationNotFoundError();
    return r.code;
  }
}
