/**
 * Messages of the proposal answers' later tools (publishing drafted answers at once, marking an
 * accepted proposal implemented), of turning a workshop note into a proposal and of the triage
 * panel's later fields (category, department, a refused claim); spread into en.ts / fr.ts.
 */
export const proposalStaffEn = {
  'answers.pick': 'Select “{title}” for publishing',
  'answers.bulkTitle': 'Publish several drafted answers',
  'answers.bulkHint': 'Tick the proposals whose drafted answer is ready: each is published on its own.',
  'answers.bulkPublish': 'Publish the {count} drafted answer(s)',
  'answers.bulkDone': '{count} answer(s) published.',
  'answers.bulkFailed': '“{title}”: {message}',
  'answers.acceptedTitle': 'Accepted: to carry out',
  'answers.noneAccepted': 'No accepted proposal waits to be carried out.',
  'answers.implement': 'Mark “{title}” implemented',
  'answers.implemented': '“{title}” is marked implemented.',
  'workshopIdea.make': 'Make it a proposal',
  'workshopIdea.title': 'Title of the proposal',
  'workshopIdea.topic': 'Topic',
  'workshopIdea.body': 'More about it (optional, Markdown)',
  'workshopIdea.create': 'Create the draft',
  'workshopIdea.cancel': 'Cancel',
  'workshopIdea.noTopics': 'This town has no proposal topics yet.',
  'workshopIdea.created': 'Your draft proposal is ready:',
  'workshopIdea.open': 'open the draft “{title}”',
  'triage.category': 'Category',
  'triage.department': 'Department',
  'triage.claimRefused': '{name} is on it (your claim was refused): a change of yours may cross theirs.',
};

export const proposalStaffFr: Record<keyof typeof proposalStaffEn, string> = {
  'answers.pick': 'Sélectionner « {title} » pour publication',
  'answers.bulkTitle': 'Publier plusieurs réponses préparées',
  'answers.bulkHint': 'Cochez les propositions dont la réponse préparée est prête : chacune est publiée séparément.',
  'answers.bulkPublish': 'Publier les {count} réponse(s) préparée(s)',
  'answers.bulkDone': '{count} réponse(s) publiée(s).',
  'answers.bulkFailed': '« {title} » : {message}',
  'answers.acceptedTitle': 'Acceptées : à réaliser',
  'answers.noneAccepted': 'Aucune proposition acceptée n’attend d’être réalisée.',
  'answers.implement': 'Marquer « {title} » comme réalisée',
  'answers.implemented': '« {title} » est marquée comme réalisée.',
  'workshopIdea.make': 'En faire une proposition',
  'workshopIdea.title': 'Titre de la proposition',
  'workshopIdea.topic': 'Thème',
  'workshopIdea.body': 'Précisions (facultatif, Markdown)',
  'workshopIdea.create': 'Créer le brouillon',
  'workshopIdea.cancel': 'Annuler',
  'workshopIdea.noTopics': 'Cette ville n’a pas encore de thèmes de propositions.',
  'workshopIdea.created': 'Votre brouillon de proposition est prêt :',
  'workshopIdea.open': 'ouvrir le brouillon « {title} »',
  'triage.category': 'Catégorie',
  'triage.department': 'Service',
  'triage.claimRefused': '{name} s’en occupe (votre prise en charge a été refusée) : un changement de votre part peut croiser le sien.',
};
