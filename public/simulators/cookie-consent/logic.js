/**
 * Cookie consent banner simulator: pure state and operations (no DOM).
 * Purposes come from the scenario: { id, required?, legitimateInterest?, vendors: [...] }.
 * Consent choices start off (no pre-ticked box); purposes based on legitimate interest start on
 * and can be objected to.
 */

export function createConsentState(scenario) {
  const purposes = scenario.purposes.map((purpose) => ({
    ...purpose,
    vendors: [...(purpose.vendors ?? [])],
  }));
  return {
    purposes,
    consent: Object.fromEntries(purposes.map((purpose) => [purpose.id, Boolean(purpose.required)])),
    objections: Object.fromEntries(
      purposes.filter((purpose) => purpose.legitimateInterest).map((purpose) => [purpose.id, false]),
    ),
    saved: false,
  };
}

function purposeOf(state, id) {
  const purpose = state.purposes.find((candidate) => candidate.id === id);
  if (!purpose) throw new RangeError(`unknown purpose ${id}`);
  return purpose;
}

export function setConsent(state, id, value) {
  const purpose = purposeOf(state, id);
  if (purpose.required) return state;
  return { ...state, consent: { ...state.consent, [id]: Boolean(value) } };
}

/** Objecting to a legitimate-interest purpose (value true) stops it. */
export function setObjection(state, id, value) {
  const purpose = purposeOf(state, id);
  if (!purpose.legitimateInterest) throw new RangeError(`${id} is not based on legitimate interest`);
  return { ...state, objections: { ...state.objections, [id]: Boolean(value) } };
}

export function acceptAll(state) {
  return {
    ...state,
    consent: Object.fromEntries(state.purposes.map((purpose) => [purpose.id, true])),
    objections: Object.fromEntries(Object.keys(state.objections).map((id) => [id, false])),
    saved: true,
  };
}

/** "Continue without accepting": every optional consent refused; legitimate interest untouched. */
export function refuseAll(state) {
  return {
    ...state,
    consent: Object.fromEntries(state.purposes.map((purpose) => [purpose.id, Boolean(purpose.required)])),
    saved: true,
  };
}

export function save(state) {
  return { ...state, saved: true };
}

export function reopen(state) {
  return { ...state, saved: false };
}

/** Is a purpose active (processing happens)? */
export function isActive(state, id) {
  const purpose = purposeOf(state, id);
  if (purpose.required) return true;
  if (purpose.legitimateInterest) return state.consent[id] || !state.objections[id];
  return state.consent[id];
}

/** Number of distinct vendors that receive data under the active purposes. */
export function activeVendorCount(state) {
  const vendors = new Set();
  for (const purpose of state.purposes) {
    if (isActive(state, purpose.id)) for (const vendor of purpose.vendors) vendors.add(vendor);
  }
  return vendors.size;
}

/**
 * The answer posted to the player: "consent:pending" until a choice is saved, then the optional
 * purposes in scenario order, "consent:analytics=on,ads=off" — a purpose based on legitimate
 * interest reads "off" only when both consent is refused and an objection is made.
 */
export function consentAnswer(state) {
  if (!state.saved) return 'consent:pending';
  const parts = state.purposes
    .filter((purpose) => !purpose.required)
    .map((purpose) => `${purpose.id}=${isActive(state, purpose.id) ? 'on' : 'off'}`);
  return `consent:${parts.join(',')}`;
}
