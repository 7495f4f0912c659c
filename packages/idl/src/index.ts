/**
 * @shoal/idl: the Flounder interface language front end.
 * @packageDocumentation
 */
export type * from "./model.js";
export { FIRST_MESSAGE_NUMBER } from "./model.js";
export { lookupType, type ResolvedType, resolveType } from "./resolve.js";
