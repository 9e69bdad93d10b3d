import { DateTime } from 'luxon';
import type { CreateVenueDto, CreateWorkshopDto } from '@app/workshops';
import type { CreatePanelDto } from '@app/panels';
import type { CreateBudgetInput } from '@app/budgets';
import type { CreateSurveyInput, Question } from '@app/surveys';

/**
 * What the demo towns hold in the participation modules, so a newcomer signing in with the demo
 * accounts finds something in each: proposals (one supported), a participatory budget open for
 * votes, a citizens' panel recruiting, a survey open for answers and a workshop with a session
 * next week. Dates are relative to the day the seed runs.
 */
const DAY = 86_400_000;

export const DEMO_TOPICS = [
  { code: 'cadre-de-vie', nameFr: 'Cadre de vie', nameEn: 'Living environment' },
  { code: 'mobilite', nameFr: 'Mobilité', nameEn: 'Mobility' },
];

/** By the town's citizen (supported by its resident), then by its resident (no support yet: authors cannot support their own). */
export const DEMO_PROPOSALS = [
  {
    by: 'citizen' as const,
    supportedBy: 'resident' as const,
    topic: 'mobilite',
    title: 'Des arceaux vélo couverts devant la gare',
    body: 'Les vélos des navetteurs dorment sous la pluie. Des **arceaux couverts** côté parvis, une trentaine, suffiraient.\n\n- moins de vols\n- plus de trajets à vélo',
  },
  {
    by: 'resident' as const,
    supportedBy: null,
    topic: 'cadre-de-vie',
    title: 'Un composteur partagé au square',
    body: 'Un composteur de quartier, entretenu par des volontaires, pour les épluchures des immeubles sans jardin.',
  },
];

export function demoBudget(now: number): CreateBudgetInput {
  return {
    title: { fr: 'Budget participatif 2027', en: 'Participatory budget 2027' },
    description: { fr: 'Vous proposez, la ville étudie, vous votez : 200 000 € pour vos projets.', en: 'You propose, the town studies, you vote: €200,000 for your projects.' },
    amount: 200_000,
    currency: 'EUR',
    ballotRule: { kind: 'knapsack' },
    outcomeRule: 'greedy',
    proposingEndsAt: new Date(now + DAY),
    reviewingEndsAt: new Date(now + 2 * DAY),
    votingEndsAt: new Date(now + 30 * DAY),
  };
}

/** Proposed by the town's resident, put on the ballot by its staff. */
export const DEMO_BUDGET_PROJECTS = [
  { title: 'Jardin partagé rue des Postes', description: 'Des bacs potagers et un récupérateur d’eau de pluie, ouverts à tous.', cost: 45_000 },
  { title: 'Éclairage du passage de la Filature', description: 'Des lampadaires à détection de présence le long du passage piéton.', cost: 80_000 },
  { title: 'Aire de jeux inclusive', description: 'Des jeux accessibles aux enfants en fauteuil, au parc municipal.', cost: 120_000 },
  { title: 'Fontaines à eau dans les parcs', description: 'Quatre fontaines d’eau potable pour l’été.', cost: 30_000 },
];

export const DEMO_PANEL = {
  name: 'Panel citoyen sur la propreté',
  purpose: 'Vingt habitants tirés au sort proposent au conseil municipal des mesures pour des rues plus propres.',
  size: 20,
  termMonths: 6,
  householdRule: true,
  features: [
    {
      code: 'gender',
      label: 'Genre',
      values: [
        { code: 'f', label: 'Femme', min: 9, max: 11 },
        { code: 'm', label: 'Homme', min: 9, max: 11 },
      ],
    },
    {
      code: 'age',
      label: 'Âge',
      values: [
        { code: '16-34', label: '16 à 34 ans', min: 5, max: 8 },
        { code: '35-59', label: '35 à 59 ans', min: 6, max: 9 },
        { code: '60+', label: '60 ans et plus', min: 5, max: 8 },
      ],
    },
  ],
  consentVersion: '2027-01',
  consentText: 'J’accepte que mes réponses servent au tirage au sort du panel et soient effacées à sa fin.',
} as CreatePanelDto;

const SURVEY_QUESTIONS: Question[] = [
  {
    id: 'frequence',
    type: 'single_choice',
    label: 'À quelle fréquence utilisez-vous les parcs de la ville ?',
    required: true,
    options: [
      { code: 'semaine', label: 'Chaque semaine' },
      { code: 'mois', label: 'Chaque mois' },
      { code: 'rarement', label: 'Rarement' },
    ],
  },
  { id: 'satisfaction', type: 'scale', label: 'Êtes-vous satisfait de leur entretien ?', required: true, scale: '0-10' },
  { id: 'idees', type: 'long_text', label: 'Une idée pour les améliorer ?', required: false },
] as Question[];

export function demoSurvey(now: number): CreateSurveyInput {
  return {
    title: 'Vos parcs et jardins',
    description: 'Trois questions, deux minutes : aidez-nous à mieux entretenir les espaces verts.',
    questions: SURVEY_QUESTIONS,
    audience: { kind: 'residents' },
    anonymous: true,
    resultsPublic: true,
    opensAt: new Date(now - 60_000),
    closesAt: new Date(now + 21 * DAY),
  };
}

export const DEMO_VENUE = {
  name: 'Maison des associations',
  address: '72 rue Royale',
  rooms: [{ name: 'Salle du conseil de quartier', capacity: 30 }],
} as CreateVenueDto;

/** A workshop with one session a week from now, 18:00–20:00 on the town's clock. */
export function demoWorkshop(timezone: string, venue: { id: string; roomId: string }): CreateWorkshopDto {
  const start = DateTime.now().setZone(timezone).plus({ days: 7 }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
  const local = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm");
  return {
    title: { fr: 'Atelier : la place du marché demain', en: 'Workshop: the market square tomorrow' },
    description: { fr: 'Imaginons ensemble la place rénovée : circulation, ombre, bancs, marché.', en: 'Let us imagine the renovated square together: traffic, shade, benches, market.' },
    topic: 'urbanisme',
    format: 'in_person',
    sessions: [{ startsAt: local(start), endsAt: local(start.plus({ hours: 2 })), venueId: venue.id, roomId: venue.roomId, capacity: 25 }],
  } as CreateWorkshopDto;
}
