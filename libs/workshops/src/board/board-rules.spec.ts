import { randomUUID } from 'node:crypto';
import { applyToView, refundOwnDots } from './board-client';
import { parseBoardCommand } from './board-commands';
import { BoardError } from './board.errors';
import { decide, emptyBoard } from './board-rules';
import { BoardActor, BoardCommand, BoardState, BoardView } from './board.types';
import { applyAndDescribe, toBoardView, viewerExtras } from './board-views';

const SESSION = '7d0f1a52-3f0e-4a59-9d7e-0c1c7a0b0c11';
const fac: BoardActor = { userId: 'f0000000-0000-4000-8000-000000000001', role: 'facilitator' };
const ann: BoardActor = { userId: 'a0000000-0000-4000-8000-000000000002', role: 'participant' };
const bob: BoardActor = { userId: 'b0000000-0000-4000-8000-000000000003', role: 'participant' };

let clock = Date.parse('2026-12-06T10:00:00Z');
function run(state: BoardState, actor: BoardActor, command: BoardCommand) {
  const body = decide(state, actor, command, { now: clock, newId: randomUUID });
  return applyAndDescribe(state, { ...body, seq: state.seq + 1, at: clock, actorId: actor.userId });
}
function refusal(state: BoardState, actor: BoardActor, command: BoardCommand): string {
  const seq = state.seq;
  try {
    decide(state, actor, command, { now: clock, newId: randomUUID });
  } catch (error) {
    expect(state.seq).toBe(seq);
    return (error as BoardError).code;
  }
  throw new Error(`${command.type} was accepted`);
}
const post = (s: BoardState, actor: BoardActor, text: string) => {
  const change = run(s, actor, { type: 'idea.post', text });
  return (change as { idea: { id: string } }).idea.id;
};

describe('board commands (shape)', () => {
  it('accepts well-formed commands and trims text', () => {
    expect(parseBoardCommand({ sessionId: SESSION, type: 'idea.post', text: '  More benches \u0007 ' })).toEqual({ sessionId: SESSION, command: { type: 'idea.post', text: 'More benches' } });
    expect(parseBoardCommand({ sessionId: SESSION, type: 'poll.answer', pollId: SESSION, choices: [2, 0] }).command).toEqual({ type: 'poll.answer', pollId: SESSION, choices: [0, 2] });
  });

  it.each([
    [{ sessionId: 'x', type: 'idea.post', text: 'a' }, 'sessionId'],
    [{ sessionId: SESSION, type: 'idea.delete', ideaId: SESSION }, 'type'],
    [{ sessionId: SESSION, type: 'idea.post', text: 'x'.repeat(281) }, 'text'],
    [{ sessionId: SESSION, type: 'idea.post', text: '   ' }, 'text'],
    [{ sessionId: SESSION, type: 'idea.post', text: 'a', extra: 1 }, 'extra'],
    [{ sessionId: SESSION, type: 'idea.edit', ideaId: SESSION, text: 'a' }, 'version'],
    [{ sessionId: SESSION, type: 'timer.start', seconds: 0 }, 'seconds'],
    [{ sessionId: SESSION, type: 'poll.open', question: 'Q', options: ['a'], multiple: false }, 'options'],
    [{ sessionId: SESSION, type: 'poll.answer', pollId: SESSION, choices: [1, 1] }, 'choices'],
    ['idea', 'body'],
    [{ sessionId: SESSION, type: 'constructor' }, 'type'],
  ])('refuses %j naming %s', (body, field) => {
    try {
      parseBoardCommand(body);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(BoardError);
      expect((error as BoardError).fieldErrors[0].field).toBe(field);
    }
  });
});

describe('board rules', () => {
  it('moves through the phases one step at a time, facilitators only', () => {
    const s = emptyBoard(SESSION);
    expect(refusal(s, ann, { type: 'phase.set', phase: 'cluster' })).toBe('BOARD_FACILITATOR_ONLY');
    expect(refusal(s, fac, { type: 'phase.set', phase: 'vote' })).toBe('BOARD_WRONG_PHASE');
    run(s, fac, { type: 'phase.set', phase: 'cluster' });
    run(s, fac, { type: 'phase.set', phase: 'collect' });
    expect(s.phase).toBe('collect');
    expect(s.seq).toBe(2);
  });

  it('lets participants post in collect only and edit their own notes, refusing stale versions', () => {
    const s = emptyBoard(SESSION);
    const id = post(s, ann, 'Shade on the square');
    expect(refusal(s, bob, { type: 'idea.edit', ideaId: id, text: 'mine now', version: 1 })).toBe('BOARD_NOT_AUTHOR');
    run(s, ann, { type: 'idea.edit', ideaId: id, text: 'Trees on the square', version: 1 });
    // The facilitator started from version 1 too: refused, told the current note.
    try {
      decide(s, fac, { type: 'idea.edit', ideaId: id, text: 'Trees', version: 1 }, { now: clock, newId: randomUUID });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toMatchObject({ code: 'BOARD_STALE_VERSION', meta: { current: { id, text: 'Trees on the square', version: 2 } } });
    }
    expect(refusal(s, ann, { type: 'idea.edit', ideaId: randomUUID(), text: 'x', version: 1 })).toBe('BOARD_IDEA_NOT_FOUND');
    run(s, fac, { type: 'phase.set', phase: 'cluster' });
    expect(refusal(s, ann, { type: 'idea.post', text: 'late' })).toBe('BOARD_WRONG_PHASE');
    post(s, fac, 'A facilitator may still add one');
  });

  it('spreads N dots, at most m per note, on visible notes, in the vote phase', () => {
    const s = emptyBoard(SESSION);
    const a = post(s, ann, 'A');
    const b = post(s, bob, 'B');
    run(s, fac, { type: 'settings.set', dotsPerParticipant: 3, maxDotsPerIdea: 2 });
    expect(refusal(s, ann, { type: 'dot.add', ideaId: a })).toBe('BOARD_WRONG_PHASE');
    run(s, fac, { type: 'phase.set', phase: 'cluster' });
    run(s, fac, { type: 'phase.set', phase: 'vote' });
    run(s, ann, { type: 'dot.add', ideaId: a });
    run(s, ann, { type: 'dot.add', ideaId: a });
    expect(refusal(s, ann, { type: 'dot.add', ideaId: a })).toBe('BOARD_IDEA_DOT_LIMIT');
    run(s, ann, { type: 'dot.add', ideaId: b });
    expect(refusal(s, ann, { type: 'dot.add', ideaId: b })).toBe('BOARD_DOTS_EXHAUSTED');
    expect(refusal(s, bob, { type: 'dot.remove', ideaId: a })).toBe('BOARD_NO_DOT_THERE');
    expect(refusal(s, ann, { type: 'dot.add', ideaId: randomUUID() })).toBe('BOARD_IDEA_NOT_FOUND');
    run(s, ann, { type: 'dot.remove', ideaId: b });
    expect(viewerExtras(s, ann).myDots).toEqual({ [a]: 2 });
    // Hidden until revealed: viewers only see the progress.
    expect(toBoardView(s).ideas.map((i) => i.dots)).toEqual([null, null]);
    expect(toBoardView(s).dotsCast).toBe(2);
    expect(refusal(s, ann, { type: 'votes.reveal' })).toBe('BOARD_FACILITATOR_ONLY');
    const revealed = run(s, fac, { type: 'votes.reveal' });
    expect(revealed).toMatchObject({ kind: 'votes.revealed', totals: { [a]: 2, [b]: 0 } });
    expect(refusal(s, fac, { type: 'votes.reveal' })).toBe('BOARD_ALREADY_REVEALED');
    // Hiding a note gives its dots back.
    run(s, fac, { type: 'idea.hide', ideaId: a });
    expect(viewerExtras(s, ann).myDots).toEqual({});
    expect(refusal(s, ann, { type: 'dot.add', ideaId: a })).toBe('BOARD_IDEA_NOT_FOUND');
  });

  it('runs a countdown on the server clock: start, pause, add time, resume', () => {
    const s = emptyBoard(SESSION);
    expect(refusal(s, fac, { type: 'timer.pause' })).toBe('BOARD_TIMER_STATE');
    run(s, fac, { type: 'timer.start', seconds: 300 });
    expect(s.timer).toEqual({ status: 'running', endsAt: clock + 300_000, remainingMs: null });
    clock += 60_000;
    run(s, fac, { type: 'timer.pause' });
    expect(s.timer).toEqual({ status: 'paused', endsAt: null, remainingMs: 240_000 });
    run(s, fac, { type: 'timer.add', seconds: 60 });
    clock += 5_000;
    const change = run(s, fac, { type: 'timer.resume' });
    expect(change).toMatchObject({ kind: 'timer.changed', timer: { status: 'running', endsAt: new Date(clock + 300_000).toISOString() } });
    expect(refusal(s, ann, { type: 'timer.add', seconds: 30 })).toBe('BOARD_FACILITATOR_ONLY');
  });

  it('opens polls with live counts, one answer per person (replaced), closes them', () => {
    const s = emptyBoard(SESSION);
    const opened = run(s, fac, { type: 'poll.open', question: 'When?', options: ['Morning', 'Evening'], multiple: false }) as { poll: { id: string } };
    const pollId = opened.poll.id;
    expect(refusal(s, ann, { type: 'poll.answer', pollId, choices: [0, 1] })).toBe('BOARD_INVALID_COMMAND');
    expect(refusal(s, ann, { type: 'poll.answer', pollId, choices: [5] })).toBe('BOARD_INVALID_COMMAND');
    run(s, ann, { type: 'poll.answer', pollId, choices: [0] });
    run(s, bob, { type: 'poll.answer', pollId, choices: [0] });
    expect(run(s, ann, { type: 'poll.answer', pollId, choices: [1] })).toMatchObject({ kind: 'poll.answered', counts: [1, 1], voters: 2 });
    expect(refusal(s, ann, { type: 'poll.close', pollId })).toBe('BOARD_FACILITATOR_ONLY');
    run(s, fac, { type: 'poll.close', pollId });
    expect(refusal(s, bob, { type: 'poll.answer', pollId, choices: [1] })).toBe('BOARD_POLL_CLOSED');
  });

  it('refuses everything once closed', () => {
    const s = emptyBoard(SESSION);
    s.closed = true;
    expect(refusal(s, ann, { type: 'idea.post', text: 'x' })).toBe('BOARD_CLOSED');
  });
});

describe('what clients see', () => {
  it('a client applying the broadcasts to its snapshot always holds the board the server would send now', () => {
    const s = emptyBoard(SESSION);
    const early: BoardView = toBoardView(s);
    const actors = [fac, ann, bob, { userId: randomUUID(), role: 'participant' as const }];
    let seed = 17;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[rand(xs.length)] : undefined);
    let late: BoardView | null = null;
    let applied = 0;
    for (let step = 0; step < 3000; step++) {
      const actor = actors[rand(actors.length)];
      const ideas = [...s.ideas.values()];
      const clusters = [...s.clusters.values()];
      const polls = [...s.polls.values()];
      const idea = pick(ideas);
      const cluster = pick(clusters);
      const poll = pick(polls);
      const candidates: Array<BoardCommand | null> = [
        { type: 'idea.post', text: `idea ${step}` },
        idea ? { type: 'idea.edit', ideaId: idea.id, text: `edit ${step}`, version: rand(3) ? idea.version : 0 } : null,
        idea ? { type: 'idea.move', ideaId: idea.id, clusterId: cluster && rand(4) ? cluster.id : null, version: idea.version } : null,
        idea ? { type: rand(2) ? 'idea.hide' : 'idea.show', ideaId: idea.id } : null,
        { type: 'cluster.create', title: `cluster ${step}` },
        cluster ? { type: 'cluster.rename', clusterId: cluster.id, title: `renamed ${step}`, version: cluster.version } : null,
        cluster && clusters.length > 1 && !rand(4) ? { type: 'cluster.merge', fromId: cluster.id, intoId: pick(clusters)!.id } : null,
        cluster && !rand(3) ? { type: rand(2) ? 'cluster.hide' : 'cluster.show', clusterId: cluster.id } : null,
        idea ? { type: 'dot.add', ideaId: idea.id } : null,
        idea ? { type: 'dot.remove', ideaId: idea.id } : null,
        idea ? { type: 'dot.add', ideaId: idea.id } : null,
        rand(10) ? null : { type: 'phase.set', phase: (['collect', 'cluster', 'vote', 'results'] as const)[rand(4)] },
        rand(20) ? null : { type: 'votes.reveal' },
        { type: 'timer.start', seconds: 1 + rand(600) },
        { type: rand(2) ? 'timer.pause' : 'timer.resume' },
        rand(10) ? null : { type: 'poll.open', question: `q ${step}`, options: ['a', 'b', 'c'], multiple: rand(2) === 0 },
        poll ? { type: 'poll.answer', pollId: poll.id, choices: poll.multiple ? [0, 2] : [rand(3)] } : null,
        poll && !rand(8) ? { type: 'poll.close', pollId: poll.id } : null,
      ];
      const command = pick(candidates.filter((c): c is BoardCommand => c !== null))!;
      let change;
      try {
        change = run(s, actor, command);
      } catch (error) {
        if (!(error instanceof BoardError)) throw error;
        continue;
      }
      applied++;
      expect(applyToView(early, change)).toBe('applied');
      expect(applyToView(early, change)).toBe('old');
      if (step === 1500) late = toBoardView(s);
      if (late && late.seq < change.seq) expect(applyToView(late, change)).toBe('applied');
      if (step % 250 === 0) expect(early).toEqual(toBoardView(s));
    }
    expect(applied).toBeGreaterThan(500);
    expect(early).toEqual(toBoardView(s));
    expect(late).toEqual(toBoardView(s));
  });

  it('says when a change was missed', () => {
    const s = emptyBoard(SESSION);
    const view = toBoardView(s);
    run(s, ann, { type: 'idea.post', text: 'one' });
    const second = run(s, ann, { type: 'idea.post', text: 'two' });
    expect(applyToView(view, second)).toBe('gap');
    expect(view.seq).toBe(0);
  });

  it("keeps a viewer's own dots right when a note goes away, without broadcasting anyone's vote", () => {
    const s = emptyBoard(SESSION);
    const a = post(s, ann, 'A');
    const c = (run(s, fac, { type: 'cluster.create', title: 'C' }) as { cluster: { id: string } }).cluster.id;
    run(s, fac, { type: 'idea.move', ideaId: a, clusterId: c, version: s.ideas.get(a)!.version });
    run(s, fac, { type: 'phase.set', phase: 'cluster' });
    run(s, fac, { type: 'phase.set', phase: 'vote' });
    const view = toBoardView(s);
    const myDots: Record<string, number> = {};
    const dot = run(s, ann, { type: 'dot.add', ideaId: a });
    expect(dot).toEqual({ kind: 'dots', dotsCast: 1, seq: dot.seq, at: dot.at });
    applyToView(view, dot);
    myDots[a] = 1;
    const hidden = run(s, fac, { type: 'cluster.hide', clusterId: c });
    applyToView(view, hidden);
    refundOwnDots(myDots, view, hidden);
    expect(myDots).toEqual(viewerExtras(s, ann).myDots);
    expect(view).toEqual(toBoardView(s));
  });
});
