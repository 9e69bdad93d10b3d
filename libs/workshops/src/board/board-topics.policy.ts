import { Injectable } from '@nestjs/common';
import { ProvidesTopics, RealtimeActor, TopicDecision, TopicPolicy, TopicRequest } from '@app/realtime';
import { WorkshopBoardService } from './board.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `workshop-session:{id}`: the live board, for the session's facilitators and the participants
 * checked in at the door. `workshop-session:{id}:projector:{key}`: the same board, read-only, for
 * the room's screen — anyone holding the secret key the facilitator created (a new key revokes
 * the former one).
 */
@Injectable()
@ProvidesTopics('workshop-session:{id}', 'workshop-session:{id}:projector:{key}')
export class BoardTopicsPolicy implements TopicPolicy {
  constructor(private readonly board: WorkshopBoardService) {}

  async authorize(actor: RealtimeActor, { params }: TopicRequest): Promise<TopicDecision> {
    if (!UUID.test(params.id)) return { ok: false, code: 'BOARD_SESSION_NOT_FOUND', reason: 'No such session' };
    if (params.key !== undefined) {
      return (await this.board.projectorKeyMatches(params.id.toLowerCase(), params.key))
        ? { ok: true }
        : { ok: false, code: 'BOARD_PROJECTOR_KEY_INVALID', reason: 'This projector link is not (or no longer) valid' };
    }
    if (!actor) return { ok: false, code: 'UNAUTHENTICATED', reason: 'Sign in to join the board' };
    const role = await this.board.roleOf(params.id.toLowerCase(), actor.id, { fresh: true });
    if (!role) return { ok: false, code: 'BOARD_NOT_ON_BOARD', reason: "Only this session's facilitators and checked-in participants join its board" };
    return { ok: true };
  }
}
