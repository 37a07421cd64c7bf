/**
 * Privacy settings of a fictional social network: pure state and operations (no DOM).
 */

/** From the widest to the narrowest audience. */
export const AUDIENCES = Object.freeze(['public', 'friendsOfFriends', 'friends', 'onlyMe']);
export const LOCATION_OPTIONS = Object.freeze(['always', 'whileUsing', 'never']);
export const VIEWERS = Object.freeze(['public', 'friendOfFriend', 'friend']);

/** Every setting the panel knows, by section, with its kind. */
export const SETTINGS = Object.freeze({
  email: { section: 'profile', kind: 'audience' },
  phone: { section: 'profile', kind: 'audience' },
  birthday: { section: 'profile', kind: 'audience' },
  hometown: { section: 'profile', kind: 'audience' },
  friendsList: { section: 'profile', kind: 'audience' },
  defaultAudience: { section: 'posts', kind: 'audience' },
  tagReview: { section: 'posts', kind: 'toggle' },
  searchIndexing: { section: 'posts', kind: 'toggle' },
  locationSharing: { section: 'location', kind: 'choice', options: LOCATION_OPTIONS },
  locationHistory: { section: 'location', kind: 'toggle' },
  adsActivity: { section: 'ads', kind: 'toggle' },
  adsPartners: { section: 'ads', kind: 'toggle' },
  adsProfileInfo: { section: 'ads', kind: 'toggle' },
});

export const SECTIONS = Object.freeze(['profile', 'posts', 'location', 'ads', 'apps']);

export function createPrivacyState(scenario) {
  const settings = {};
  for (const [id, value] of Object.entries(scenario.settings ?? {})) {
    if (!Object.hasOwn(SETTINGS, id)) throw new RangeError(`unknown setting ${id}`);
    settings[id] = value;
  }
  return {
    settings,
    profile: { ...(scenario.profile ?? {}) },
    posts: (scenario.posts ?? []).map((post) => ({ ...post })),
    apps: (scenario.apps ?? []).map((app) => ({ ...app, permissions: [...app.permissions] })),
  };
}

function validValue(id, value) {
  const setting = SETTINGS[id];
  if (setting.kind === 'audience') return AUDIENCES.includes(value);
  if (setting.kind === 'toggle') return typeof value === 'boolean';
  return setting.options.includes(value);
}

export function setSetting(state, id, value) {
  if (!Object.hasOwn(state.settings, id)) throw new RangeError(`setting ${id} is not in this scenario`);
  if (!validValue(id, value)) throw new RangeError(`invalid value for ${id}`);
  return { ...state, settings: { ...state.settings, [id]: value } };
}

export function setPostAudience(state, postId, audience) {
  if (!AUDIENCES.includes(audience)) throw new RangeError('invalid audience');
  if (!state.posts.some((post) => post.id === postId)) throw new RangeError(`unknown post ${postId}`);
  return { ...state, posts: state.posts.map((post) => (post.id === postId ? { ...post, audience } : post)) };
}

/** Applies the default audience to every past post, as "limit past posts" does. */
export function limitPastPosts(state, audience) {
  if (!AUDIENCES.includes(audience)) throw new RangeError('invalid audience');
  const rank = AUDIENCES.indexOf(audience);
  return {
    ...state,
    posts: state.posts.map((post) =>
      AUDIENCES.indexOf(post.audience) < rank ? { ...post, audience } : post,
    ),
  };
}

export function removeApp(state, appId) {
  if (!state.apps.some((app) => app.id === appId)) throw new RangeError(`unknown app ${appId}`);
  return { ...state, apps: state.apps.filter((app) => app.id !== appId) };
}

/** Can this kind of viewer see something shared with that audience? */
export function canSee(viewer, audience) {
  if (audience === 'public') return true;
  if (audience === 'friendsOfFriends') return viewer === 'friendOfFriend' || viewer === 'friend';
  if (audience === 'friends') return viewer === 'friend';
  return false;
}

/** What a viewer sees: { profile: [setting ids], posts: [post ids] }. */
export function visibleTo(state, viewer) {
  const profile = Object.keys(state.settings).filter(
    (id) => SETTINGS[id].section === 'profile' && canSee(viewer, state.settings[id]),
  );
  const posts = state.posts.filter((post) => canSee(viewer, post.audience)).map((post) => post.id);
  return { profile, posts };
}

/**
 * The answer posted to the player: the reported keys in order, e.g.
 * "phone=onlyMe;post:p2=friends;apps=quiz,weather;tagReview=on". Toggles read on/off; apps lists
 * the remaining app ids, sorted ('none' when empty).
 */
export function privacyAnswer(state, report = []) {
  return report
    .map((key) => {
      if (key === 'apps') {
        const ids = state.apps.map((app) => app.id).sort();
        return `apps=${ids.length ? ids.join(',') : 'none'}`;
      }
      if (key.startsWith('post:')) {
        const post = state.posts.find((candidate) => candidate.id === key.slice(5));
        return `${key}=${post ? post.audience : 'deleted'}`;
      }
      const value = state.settings[key];
      return `${key}=${typeof value === 'boolean' ? (value ? 'on' : 'off') : value}`;
    })
    .join(';');
}
