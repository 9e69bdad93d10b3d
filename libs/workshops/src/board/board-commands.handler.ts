import { Injectable } from '@nestjs/common';
import { ConnectionState, HandlesRealtimeCommands, RealtimeCommandHandler } from '@app/realtime';
import { WorkshopBoardService } from './board.service';

export const BOARD_COMMANDS = { command: 'board', sync: 'board:sync' } as const;

/**
 * The board's messages on the live channel: `board` `{sessionId, type, …}` (a change) and
 * `board:sync` `{sessionId, since?}` (the board, or what changed since). The projector's
 * connection may sync the board whose projector topic it was let into.
 */
@Injectable()
@HandlesRealtimeCommands(BOARD_COMMANDS.command, BOARD_COMMANDS.sync)
export class BoardCommandsHandler implements RealtimeCommandHandler {
  constructor(private readonly board: WorkshopBoardService) {}

  async handle(command: string, connection: ConnectionState, body: unknown): Promise<object> {
    if (command === BOARD_COMMANDS.command) return this.board.command(connection.user, body);
    const projectorOf = (sessionId: string) => Object.keys(connection.topics).some((t) => t.startsWith(`workshop-session:${sessionId}:projector:`));
    return this.board.sync(connection.user, projectorOf, body);
  }
}
