import { BOARD_LIMITS, BOARD_PHASES, BoardCommand, BoardPhase } from './board.types';
import { invalidCommand } from './board.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

type Field = 'text' | 'title' | 'question' | 'uuid' | 'uuid?' | 'version' | 'phase' | 'dots' | 'seconds' | 'delta' | 'options' | 'boolean' | 'choices';

type SocketCommand = Exclude<BoardCommand['type'], 'board.close'>;

/** Each command's fields and their kinds; anything else in the body is refused. */
const SHAPES: Record<SocketCommand, Record<string, Field>> = {
  'idea.post': { text: 'text' },
  'idea.edit': { ideaId: 'uuid', text: 'text', version: 'version' },
  'idea.move': { ideaId: 'uuid', clusterId: 'uuid?', version: 'version' },
  'idea.hide': { ideaId: 'uuid' },
  'idea.show': { ideaId: 'uuid' },
  'cluster.create': { title: 'title' },
  'cluster.rename': { clusterId: 'uuid', title: 'title', version: 'version' },
  'cluster.merge': { fromId: 'uuid', intoId: 'uuid' },
  'cluster.hide': { clusterId: 'uuid' },
  'cluster.show': { clusterId: 'uuid' },
  'dot.add': { ideaId: 'uuid' },
  'dot.remove': { ideaId: 'uuid' },
  'votes.reveal': {},
  'phase.set': { phase: 'phase' },
  'settings.set': { dotsPerParticipant: 'dots', maxDotsPerIdea: 'dots' },
  'timer.start': { seconds: 'seconds' },
  'timer.pause': {},
  'timer.resume': {},
  'timer.add': { seconds: 'delta' },
  'timer.reset': {},
  'poll.open': { question: 'question', options: 'options', multiple: 'boolean' },
  'poll.answer': { pollId: 'uuid', choices: 'choices' },
  'poll.close': { pollId: 'uuid' },
};

export const BOARD_COMMAND_TYPES = Object.keys(SHAPES) as SocketCommand[];

function text(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string') throw invalidCommand(field, 'IS_STRING', `${field} must be a string`);
  // Control characters (other than line breaks) have no place on a sticky note.
  const clean = value.replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, '').trim();
  if (clean.length === 0) throw invalidCommand(field, 'REQUIRED', `${field} must not be empty`);
  if (clean.length > max) throw invalidCommand(field, 'MAX_LENGTH', `${field} must be at most ${max} characters`);
  return clean;
}

function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidCommand(field, 'BOARD_OUT_OF_RANGE', `${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function parseField(field: string, kind: Field, value: unknown): unknown {
  switch (kind) {
    case 'text':
      return text(field, value, BOARD_LIMITS.ideaText);
    case 'title':
      return text(field, value, BOARD_LIMITS.clusterTitle);
    case 'question':
      return text(field, value, BOARD_LIMITS.pollQuestion);
    case 'uuid?':
    case 'uuid':
      if (kind === 'uuid?' && value === null) return null;
      if (typeof value !== 'string' || !UUID.test(value)) throw invalidCommand(field, 'IS_UUID', `${field} must be an id`);
      return value.toLowerCase();
    case 'version':
      return integer(field, value, 0, Number.MAX_SAFE_INTEGER);
    case 'dots':
      return integer(field, value, 1, BOARD_LIMITS.maxDots);
    case 'seconds':
      return integer(field, value, 1, BOARD_LIMITS.maxTimerSeconds);
    case 'delta':
      if (value === 0) throw invalidCommand(field, 'BOARD_OUT_OF_RANGE', `${field} must not be 0`);
      return integer(field, value, -BOARD_LIMITS.maxTimerSeconds, BOARD_LIMITS.maxTimerSeconds);
    case 'phase':
      if (!BOARD_PHASES.includes(value as BoardPhase)) throw invalidCommand(field, 'IS_IN', `${field} must be one of ${BOARD_PHASES.join(', ')}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidCommand(field, 'IS_BOOLEAN', `${field} must be true or false`);
      return value;
    case 'options': {
      if (!Array.isArray(value) || value.length < 2 || value.length > BOARD_LIMITS.pollOptions) {
        throw invalidCommand(field, 'BOARD_ARRAY_SIZE', `${field} must list 2 to ${BOARD_LIMITS.pollOptions} options`);
      }
      const options = value.map((o, i) => text(`${field}.${i}`, o, BOARD_LIMITS.pollOption));
      if (new Set(options).size !== options.length) throw invalidCommand(field, 'ARRAY_UNIQUE', `${field} must not repeat an option`);
      return options;
    }
    case 'choices': {
      if (!Array.isArray(value) || value.length < 1 || value.length > BOARD_LIMITS.pollOptions) {
        throw invalidCommand(field, 'BOARD_ARRAY_SIZE', `${field} must list 1 to ${BOARD_LIMITS.pollOptions} option indexes`);
      }
      const choices = value.map((c, i) => integer(`${field}.${i}`, c, 0, BOARD_LIMITS.pollOptions - 1));
      if (new Set(choices).size !== choices.length) throw invalidCommand(field, 'ARRAY_UNIQUE', `${field} must not repeat an option`);
      return [...choices].sort((a, b) => a - b);
    }
  }
}

/** `{ sessionId, type, ...fields }` → the session and a well-formed command, or BOARD_INVALID_COMMAND naming the field. */
export function parseBoardCommand(body: unknown): { sessionId: string; command: BoardCommand } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidCommand('body', 'IS_OBJECT', 'expected an object { sessionId, type, … }');
  const { sessionId, type, ...rest } = body as Record<string, unknown>;
  const session = parseField('sessionId', 'uuid', sessionId) as string;
  if (typeof type !== 'string' || !Object.hasOwn(SHAPES, type)) throw invalidCommand('type', 'IS_IN', `type must be one of ${BOARD_COMMAND_TYPES.join(', ')}`);
  const shape = SHAPES[type as SocketCommand];
  const unknown = Object.keys(rest).filter((k) => !Object.hasOwn(shape, k));
  if (unknown.length) throw invalidCommand(unknown[0], 'UNKNOWN_FIELD', `unknown field(s) ${unknown.join(', ').slice(0, 100)}`);
  const command: Record<string, unknown> = { type };
  for (const [field, kind] of Object.entries(shape)) {
    if (!Object.hasOwn(rest, field)) throw invalidCommand(field, 'REQUIRED', `${field} is required`);
    command[field] = parseField(field, kind, rest[field]);
  }
  return { sessionId: session, command: command as BoardCommand };
}

/** `{ sessionId, since? }` of a `board:sync`. */
export function parseSyncBody(body: unknown): { sessionId: string; since: number | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidCommand('body', 'IS_OBJECT', 'expected an object { sessionId, since? }');
  const { sessionId, since, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw invalidCommand(unknown[0], 'UNKNOWN_FIELD', `unknown field(s) ${unknown.join(', ').slice(0, 100)}`);
  return {
    sessionId: parseField('sessionId', 'uuid', sessionId) as string,
    since: since === undefined || since === null ? null : integer('since', since, 0, Number.MAX_SAFE_INTEGER),
  };
}
