import TestAgent from 'supertest/lib/agent';
import type { Session } from '../utils/sessions';
import { createSession } from '../utils/sessions';
import type { TestMunicipality } from '../factories/municipality.factory';

const DAY = 86_400_000;

/** Five questions of every kind, Q3 shown only when Q2 = "yes". */
export const QUESTIONS = [
  { id: 'q1', type: 'single_choice', label: 'Do you cycle?', required: true, options: [{ code: 'often', label: 'Often' }, { code: 'never', label: 'Never' }] },
  { id: 'q2', type: 'single_choice', label: 'Would you use a cycle lane?', required: true, options: [{ code: 'yes', label: 'Yes' }, { code: 'no', label: 'No' }] },
  { id: 'q3', type: 'multiple_choice', label: 'Which streets?', required: true, min: 1, max: 2, options: [{ code: 'gare', label: 'Rue de la Gare' }, { code: 'paix', label: 'Rue de la Paix' }, { code: 'quai', label: 'Quai' }], showIf: { question: 'q2', anyOf: ['yes'] } },
  { id: 'q4', type: 'scale', label: 'How safe do you feel?', required: true, scale: '0-10' },
  { id: 'q5', type: 'ranking', label: 'Priorities', required: false, options: [{ code: 'trees', label: 'Trees' }, { code: 'bikes', label: 'Bikes' }, { code: 'parking', label: 'Parking' }] },
  { id: 'q6', type: 'long_text', label: 'Anything else?', required: false },
];

export function surveyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    title: 'Cycling in town',
    description: 'Tell us how you move.',
    questions: QUESTIONS,
    audience: { kind: 'residents' },
    anonymous: false,
    opensAt: new Date(now - 60_000).toISOString(),
    closesAt: new Date(now + 7 * DAY).toISOString(),
    ...overrides,
  };
}

export async function createSurvey(http: TestAgent, staff: Session, slug: string, overrides: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const res = await staff.auth(http.post(`/api/v1/municipalities/${slug}/surveys`)).send(surveyBody(overrides));
  if (res.status !== 201) throw new Error(`create survey answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A new account made a verified resident of the town by its staff. */
export async function residentOf(http: TestAgent, town: TestMunicipality, staff: Session): Promise<Session> {
  const s = await createSession(http);
  await staff.auth(http.put(`/api/v1/municipalities/${town.slug}/residents/${s.user.id}`)).send({}).expect(201);
  return s;
}

export const fullAnswers = (overrides: Record<string, unknown> = {}) => ({ q1: 'often', q2: 'yes', q3: ['gare'], q4: 7, q5: ['bikes', 'trees'], ...overrides });
