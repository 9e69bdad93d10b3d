import { dotsOn, ideaVisible } from './board-rules';
import { pollView } from './board-views';
import { BoardState } from './board.types';

/** What a session leaves on the workshop's page: never who wrote or voted what. */
export interface BoardOutcomes {
  sessionId: string;
  publishedAt: string;
  minutes: string;
  /** Visible notes with at least one dot, most dots first (ties: the earlier note first). */
  topIdeas: Array<{ id: string; text: string; dots: number; cluster: string | null }>;
  clusters: Array<{ id: string; title: string; ideas: Array<{ id: string; text: string; dots: number }> }>;
  /** Notes in no cluster. */
  unclustered: Array<{ id: string; text: string; dots: number }>;
  polls: Array<{ question: string; options: string[]; multiple: boolean; counts: number[]; voters: number }>;
  /** People who placed at least one dot. */
  voters: number;
}

export const TOP_IDEAS = 10;

export function outcomesOf(state: BoardState): Omit<BoardOutcomes, 'sessionId' | 'publishedAt' | 'minutes'> {
  const visible = [...state.ideas.values()].filter((i) => ideaVisible(state, i)).sort((a, b) => a.createdSeq - b.createdSeq);
  const item = (i: { id: string; text: string }) => ({ id: i.id, text: i.text, dots: dotsOn(state, i.id) });
  const clusters = [...state.clusters.values()]
    .filter((c) => !c.hidden)
    .sort((a, b) => a.createdSeq - b.createdSeq)
    .map((c) => ({ id: c.id, title: c.title, ideas: visible.filter((i) => i.clusterId === c.id).map(item) }));
  const topIdeas = visible
    .map((i) => ({ ...item(i), cluster: i.clusterId ? (state.clusters.get(i.clusterId)?.title ?? null) : null, createdSeq: i.createdSeq }))
    .filter((i) => i.dots > 0)
    .sort((a, b) => b.dots - a.dots || a.createdSeq - b.createdSeq)
    .slice(0, TOP_IDEAS)
    .map(({ createdSeq: _seq, ...i }) => i);
  const polls = [...state.polls.values()]
    .sort((a, b) => a.createdSeq - b.createdSeq)
    .map((p) => {
      const v = pollView(p);
      return { question: v.question, options: v.options, multiple: v.multiple, counts: v.counts, voters: v.voters };
    });
  return { topIdeas, clusters, unclustered: visible.filter((i) => i.clusterId === null).map(item), polls, voters: state.dotsByUser.size };
}
