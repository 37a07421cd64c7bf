// Montant total des cotisations des adhérents inscrits à au moins une activité.
const inscriptions = [
  { nom: 'Aline', age: 34, activites: ['yoga', 'poterie'] },
  { nom: 'Bruno', age: 17, activites: ['escalade'] },
  { nom: 'Chloé', age: 52, activites: [] },
  { nom: 'Djamel', age: 41, activites: ['poterie', 'escalade', 'chorale'] },
  { nom: 'Emma', age: 16, activites: ['yoga'] },
];

const tarif = (age) => (age < 18 ? 40 : 65);

function total(liste) {
  return liste
    .filter((p) => p.activites.length > 0)
    .map((p) => tarif(p.age) * p.activites.length)
    .reduce((somme, montant) => somme + montant, 0);
}

console.log(total(inscriptions));
