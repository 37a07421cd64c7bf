/** LTI 1.3 / LTI Advantage platform emulator for tests and the local demo LMS. */
export * from './claims.js';
export * from './constants.js';
export * from './cookie-jar.js';
export * from './failures.js';
export * from './forgery.js';
export * from './gradebook.js';
export * from './html.js';
export * from './jws.js';
export * from './keys.js';
export * from './launch-client.js';
export * from './paging.js';
export * from './platform-emulator.js';
export * from './security-matrix.js';
export * from './tool-messages.js';
