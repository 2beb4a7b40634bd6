/**
 * A household member's id, derived from the keyed hash of the member's ID number: the same person
 * keeps the same id across corrected surveys, and a service holding only the hash (the social
 * insurance number is the ID number) can tell whether a number is this member's.
 */
export const memberIdOf = (mac: string) => `M${mac.replace(/[^0-9A-Za-z]/g, '').slice(0, 20)}`;
