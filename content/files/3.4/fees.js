// Total fees of the members registered for at least one activity.
const registrations = [
  { name: 'Aline', age: 34, activities: ['yoga', 'pottery'] },
  { name: 'Bruno', age: 17, activities: ['climbing'] },
  { name: 'Chloé', age: 52, activities: [] },
  { name: 'Djamel', age: 41, activities: ['pottery', 'climbing', 'choir'] },
  { name: 'Emma', age: 16, activities: ['yoga'] },
];

const fee = (age) => (age < 18 ? 40 : 65);

function total(list) {
  return list
    .filter((p) => p.activities.length > 0)
    .map((p) => fee(p.age) * p.activities.length)
    .reduce((sum, amount) => sum + amount, 0);
}

console.log(total(registrations));
