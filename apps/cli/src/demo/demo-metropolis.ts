import type { GeoPolygon } from '@app/common';
import type { Locale, MunicipalityRole } from '@app/identity';
import type { CreateCategoryDto } from '@app/reports';

/**
 * The demo metropolis: two neighbouring towns of the Lille area with simplified boundaries (a
 * dozen points each, roughly where the real ones are, not survey-grade), their report categories
 * and one account per role. Demo only: every account shares DEMO_PASSWORD, listed in README.md.
 */

/** Long and varied enough for the password policy; never use it outside a demo. */
export const DEMO_PASSWORD = 'Demo-civic-2026!';

/** `.example` is reserved (RFC 2606): mail to these addresses can never reach anyone. */
export const DEMO_EMAIL_DOMAIN = 'demo.civic.example';

export interface DemoAccount {
  email: string;
  displayName: string;
  locale: Locale;
  isPlatformAdmin?: boolean;
  /** Roles in the town that lists this account. */
  roles?: MunicipalityRole[];
  department?: string;
  /** Verified resident of the town that lists this account (by staff, at the desk). */
  resident?: boolean;
}

export interface DemoMunicipality {
  slug: string;
  name: string;
  timezone: string;
  locale: Locale;
  countryCode: string;
  boundary: GeoPolygon;
  accounts: DemoAccount[];
  categories: CreateCategoryDto[];
}

const email = (local: string) => `${local}@${DEMO_EMAIL_DOMAIN}`;

export const DEMO_PLATFORM_ADMIN: DemoAccount = {
  email: email('platform-admin'),
  displayName: 'Aline Moreau',
  locale: 'fr',
  isPlatformAdmin: true,
};

/** Report categories every demo town starts with (Open311 services). */
function categories(departments: { roads: string; lighting: string; cleanliness: string; parks: string }): CreateCategoryDto[] {
  return [
    {
      code: 'voirie',
      name: { fr: 'Voirie et trottoirs', en: 'Roads and pavements' },
      description: { fr: 'Nids-de-poule, pavés descellés, bordures abîmées.', en: 'Potholes, loose paving, damaged kerbs.' },
      department: departments.roads,
      keywords: ['nid-de-poule', 'trottoir', 'chaussée', 'pothole'],
      serviceLevels: {
        normal: { acknowledgeWithin: { amount: 2, unit: 'days' }, resolveWithin: { amount: 15, unit: 'days' } },
        urgent: { acknowledgeWithin: { amount: 4, unit: 'hours' }, resolveWithin: { amount: 2, unit: 'days' } },
      },
    },
    {
      code: 'eclairage',
      name: { fr: 'Éclairage public', en: 'Street lighting' },
      description: { fr: 'Lampadaire éteint, clignotant ou endommagé.', en: 'Street lamp out, flickering or damaged.' },
      department: departments.lighting,
      keywords: ['lampadaire', 'éclairage', 'streetlight'],
      attributes: [
        { code: 'lamp_number', datatype: 'string', required: false, description: 'Numéro inscrit sur le mât / Number on the pole', order: 1 },
      ],
      serviceLevels: { normal: { acknowledgeWithin: { amount: 2, unit: 'days' }, resolveWithin: { amount: 10, unit: 'days' } } },
    },
    {
      code: 'proprete',
      name: { fr: 'Propreté et dépôts sauvages', en: 'Litter and fly-tipping' },
      department: departments.cleanliness,
      keywords: ['déchets', 'dépôt sauvage', 'tags', 'litter'],
      attributes: [
        {
          code: 'waste_type',
          datatype: 'singlevaluelist',
          required: true,
          description: 'Type de déchets / Kind of waste',
          order: 1,
          values: [
            { key: 'household', name: 'Ordures ménagères / Household waste' },
            { key: 'bulky', name: 'Encombrants / Bulky items' },
            { key: 'rubble', name: 'Gravats / Rubble' },
            { key: 'graffiti', name: 'Tags / Graffiti' },
          ],
        },
      ],
      serviceLevels: { normal: { acknowledgeWithin: { amount: 1, unit: 'days' }, resolveWithin: { amount: 5, unit: 'days' } } },
    },
    {
      code: 'espaces-verts',
      name: { fr: 'Parcs, arbres et espaces verts', en: 'Parks, trees and green spaces' },
      department: departments.parks,
      keywords: ['arbre', 'parc', 'pelouse', 'tree'],
      serviceLevels: { normal: { acknowledgeWithin: { amount: 3, unit: 'days' }, resolveWithin: { amount: 30, unit: 'days' } } },
    },
  ];
}

export const DEMO_MUNICIPALITIES: DemoMunicipality[] = [
  {
    slug: 'lille',
    name: 'Lille',
    timezone: 'Europe/Paris',
    locale: 'fr',
    countryCode: 'FR',
    // Lille with Lomme and Hellemmes, from Lomme in the west to Hellemmes in the east.
    boundary: {
      type: 'Polygon',
      coordinates: [
        [
          [2.968, 50.633],
          [2.989, 50.642],
          [3.018, 50.653],
          [3.044, 50.659],
          [3.07, 50.656],
          [3.09, 50.647],
          [3.109, 50.636],
          [3.125, 50.625],
          [3.12, 50.613],
          [3.095, 50.604],
          [3.068, 50.596],
          [3.04, 50.599],
          [3.015, 50.608],
          [2.99, 50.618],
          [2.97, 50.625],
          [2.968, 50.633],
        ],
      ],
    },
    accounts: [
      { email: email('admin.lille'), displayName: 'Sophie Lambert', locale: 'fr', roles: ['admin'] },
      { email: email('staff.lille'), displayName: 'Karim Benali', locale: 'fr', roles: ['staff'], department: 'Voirie' },
      { email: email('facilitator.lille'), displayName: 'Julie Lefebvre', locale: 'fr', roles: ['facilitator'] },
      { email: email('resident.lille'), displayName: 'Thomas Dupont', locale: 'fr', resident: true },
      { email: email('citizen.lille'), displayName: 'Emma Wilson', locale: 'en' },
    ],
    categories: categories({ roads: 'Voirie', lighting: 'Éclairage public', cleanliness: 'Propreté', parks: 'Espaces verts' }),
  },
  {
    slug: 'roubaix',
    name: 'Roubaix',
    timezone: 'Europe/Paris',
    locale: 'fr',
    countryCode: 'FR',
    boundary: {
      type: 'Polygon',
      coordinates: [
        [
          [3.138, 50.688],
          [3.148, 50.702],
          [3.162, 50.712],
          [3.179, 50.716],
          [3.195, 50.71],
          [3.208, 50.7],
          [3.211, 50.688],
          [3.203, 50.676],
          [3.188, 50.67],
          [3.17, 50.668],
          [3.153, 50.672],
          [3.142, 50.679],
          [3.138, 50.688],
        ],
      ],
    },
    accounts: [
      { email: email('admin.roubaix'), displayName: 'Nadia Haddad', locale: 'fr', roles: ['admin'] },
      { email: email('staff.roubaix'), displayName: 'Pierre Vandenberghe', locale: 'fr', roles: ['staff'], department: 'Propreté' },
      { email: email('facilitator.roubaix'), displayName: 'Léa Martin', locale: 'fr', roles: ['facilitator'] },
      { email: email('resident.roubaix'), displayName: 'Mehdi Bouzid', locale: 'fr', resident: true },
      { email: email('citizen.roubaix'), displayName: 'Camille Petit', locale: 'fr' },
    ],
    categories: categories({ roads: 'Voirie', lighting: 'Éclairage', cleanliness: 'Propreté', parks: 'Parcs et jardins' }),
  },
];
