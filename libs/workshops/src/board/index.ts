/** The live board's public surface (re-exported by the library's index). */
export * from './board.module';
export { WorkshopBoardService, boardTopic, projectorTopic, BOARD_EVENT_TYPE } from './board.service';
export type { BoardCommandAck, BoardSync } from './board.service';
export { BOARD_COMMANDS } from './board-commands.handler';
export * from './board.errors';
export * from './dto/board.dto';
export { BoardReplica, applyToView } from './board-client';
export type { BoardOutcomes } from './board-outcomes';
export type {
  BoardCommand,
  BoardPhase,
  BoardSettings,
  BoardView,
  BoardViewerExtras,
  ClusterView,
  IdeaView,
  PollView,
  PublicChange,
  TimerView,
} from './board.types';
export { BOARD_LIMITS, BOARD_PHASES } from './board.types';
