import type { ReportKind, ReportStatus } from '@app/reports';

/**
 * The demo towns' reports: enough in every state for the map, the lists and the triage board to
 * show something on a first start — new ones waiting, some in hand, resolved, closed, rejected —
 * with photos (drawn at seed time, see demo-photos.ts) and conversations. French, as the towns are.
 */

/** Where a demo report ends up, reached through the staff's usual transitions. */
export type DemoStatus = Exclude<ReportStatus, 'rejected'> | 'rejected';

export interface DemoReport {
  category: 'voirie' | 'eclairage' | 'proprete' | 'espaces-verts';
  kind: ReportKind;
  description: string;
  address?: string;
  attributes?: Record<string, unknown>;
  /** Who files it: the town's resident or its (unverified) citizen. */
  by: 'resident' | 'citizen';
  anonymous?: boolean;
  status: DemoStatus;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  photos: number;
  /** In order; `staff` comments come from the town's staff member. */
  comments?: Array<{ by: 'resident' | 'citizen' | 'staff'; body: string }>;
  /** A public message from the city on the report's timeline. */
  publicUpdate?: string;
}

const litter = (waste_type: string) => ({ waste_type });

/** Each town files these; the statuses cover every one the board and the lists show. */
export const DEMO_REPORTS: DemoReport[] = [
  { category: 'voirie', kind: 'problem', description: 'Nid-de-poule profond au milieu de la chaussée, dangereux pour les vélos.', address: '12 rue Nationale', by: 'resident', status: 'new', photos: 2, comments: [{ by: 'citizen', body: 'Je confirme, j’ai failli tomber ce matin.' }] },
  { category: 'voirie', kind: 'problem', description: 'Pavés descellés sur le trottoir devant l’école.', address: 'Place de l’École', by: 'citizen', status: 'new', priority: 'high', photos: 1 },
  { category: 'eclairage', kind: 'problem', description: 'Lampadaire éteint depuis trois jours, la rue est très sombre le soir.', attributes: { lamp_number: 'L-2041' }, by: 'resident', status: 'new', photos: 1 },
  { category: 'proprete', kind: 'problem', description: 'Dépôt sauvage d’encombrants (matelas, chaises) au coin de la rue.', attributes: litter('bulky'), by: 'citizen', status: 'new', photos: 2, comments: [{ by: 'resident', body: 'Toujours là ce soir.' }] },
  { category: 'espaces-verts', kind: 'problem', description: 'Branche cassée pendue au-dessus de l’allée du parc.', by: 'resident', anonymous: true, status: 'new', priority: 'urgent', photos: 1 },
  { category: 'proprete', kind: 'problem', description: 'Tags sur le mur de la médiathèque.', attributes: litter('graffiti'), by: 'citizen', status: 'new', photos: 0 },
  { category: 'voirie', kind: 'problem', description: 'Marquage du passage piéton presque effacé.', by: 'resident', status: 'acknowledged', photos: 1, publicUpdate: 'Merci, le marquage est programmé avec la prochaine campagne de peinture.' },
  { category: 'eclairage', kind: 'problem', description: 'Lampadaire qui clignote toute la nuit.', attributes: { lamp_number: 'L-0877' }, by: 'citizen', status: 'acknowledged', photos: 0, comments: [{ by: 'staff', body: 'Signalement transmis au prestataire d’éclairage.' }] },
  { category: 'proprete', kind: 'problem', description: 'Poubelle publique qui déborde depuis le week-end.', attributes: litter('household'), by: 'resident', status: 'acknowledged', photos: 1 },
  { category: 'espaces-verts', kind: 'suggestion', description: 'Installer des bancs supplémentaires près de l’aire de jeux.', by: 'resident', status: 'acknowledged', photos: 0, comments: [{ by: 'citizen', body: 'Bonne idée, avec un peu d’ombre aussi !' }, { by: 'resident', body: 'Oui, les parents restent debout.' }] },
  { category: 'voirie', kind: 'problem', description: 'Affaissement de la chaussée près de la bouche d’égout.', by: 'citizen', status: 'in_progress', priority: 'high', photos: 2, publicUpdate: 'Une équipe intervient cette semaine.' },
  { category: 'eclairage', kind: 'problem', description: 'Mât d’éclairage penché après un accrochage.', attributes: { lamp_number: 'L-1130' }, by: 'resident', status: 'in_progress', photos: 1, comments: [{ by: 'staff', body: 'Le mât a été sécurisé, remplacement commandé.' }] },
  { category: 'proprete', kind: 'problem', description: 'Gravats abandonnés sur le parking.', attributes: litter('rubble'), by: 'citizen', status: 'in_progress', photos: 1 },
  { category: 'espaces-verts', kind: 'problem', description: 'Pelouse du square non tondue depuis des semaines.', by: 'resident', status: 'in_progress', photos: 0 },
  { category: 'voirie', kind: 'problem', description: 'Bordure de trottoir cassée, risque de chute.', by: 'resident', status: 'resolved', photos: 1, publicUpdate: 'La bordure a été remplacée. Merci pour votre signalement !' },
  { category: 'eclairage', kind: 'problem', description: 'Éclairage du passage souterrain en panne.', by: 'citizen', status: 'resolved', photos: 0, comments: [{ by: 'citizen', body: 'Réparé, merci !' }] },
  { category: 'proprete', kind: 'problem', description: 'Sacs d’ordures éventrés devant la boulangerie.', attributes: litter('household'), by: 'resident', status: 'resolved', photos: 1 },
  { category: 'espaces-verts', kind: 'problem', description: 'Arbre mort à abattre dans l’avenue.', by: 'citizen', status: 'resolved', photos: 1 },
  { category: 'voirie', kind: 'problem', description: 'Plaque d’égout bruyante au passage des voitures.', by: 'resident', status: 'closed', photos: 0 },
  { category: 'espaces-verts', kind: 'compliment', description: 'Merci pour les nouvelles plantations du jardin public, c’est magnifique.', by: 'resident', status: 'closed', photos: 1, comments: [{ by: 'staff', body: 'Merci, nous transmettons aux jardiniers !' }] },
  { category: 'proprete', kind: 'suggestion', description: 'Ajouter un cendrier devant la gare.', attributes: litter('household'), by: 'citizen', status: 'closed', photos: 0 },
  { category: 'voirie', kind: 'problem', description: 'Voiture ventouse garée depuis un mois.', by: 'citizen', status: 'rejected', photos: 0, publicUpdate: 'Le stationnement relève de la police municipale ; nous leur avons transmis.' },
  { category: 'eclairage', kind: 'problem', description: 'Feu tricolore en panne au carrefour.', by: 'resident', status: 'rejected', photos: 1 },
  { category: 'espaces-verts', kind: 'problem', description: 'Haie d’une propriété privée qui déborde sur le trottoir.', by: 'resident', status: 'new', photos: 1 },
];

/** The staff transitions that lead a problem (or a suggestion or compliment) from new to `status`. */
export function transitionsTo(kind: ReportKind, status: DemoStatus): ReportStatus[] {
  if (status === 'new') return [];
  if (status === 'rejected') return ['rejected'];
  if (kind !== 'problem') return status === 'closed' ? ['acknowledged', 'closed'] : ['acknowledged'];
  const path: ReportStatus[] = ['acknowledged', 'in_progress', 'resolved', 'closed'];
  return path.slice(0, path.indexOf(status) + 1);
}

/**
 * A point near the town's centre, spread over a few hundred metres by a fixed sequence, so every
 * run places report i at the same spot (inside the simplified boundary).
 */
export function demoPoint(center: { lng: number; lat: number }, i: number): { lng: number; lat: number } {
  const angle = i * 2.399963; // the golden angle: an even spiral
  const radius = 0.001 + 0.0003 * i;
  return { lng: Number((center.lng + radius * Math.cos(angle) * 1.5).toFixed(6)), lat: Number((center.lat + radius * Math.sin(angle)).toFixed(6)) };
}

/** Each demo town's centre (inside its boundary): the reports spiral out from it. */
export const DEMO_CENTRES: Record<string, { lng: number; lat: number }> = {
  lille: { lng: 3.0573, lat: 50.6292 },
  roubaix: { lng: 3.1746, lat: 50.6942 },
};
