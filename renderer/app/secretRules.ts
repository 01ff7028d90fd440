// The rules for new secrets, checked in the form before a call so the person
// hears at once what is wrong. They mirror newPasswordSchema and newPinSchema in
// shared/contract.ts (importing those would pull zod into the renderer); the
// core checks again, and it alone decides.
export const MIN_PASSWORD_LENGTH = 10;
export const NEW_PIN = /^[0-9]{6,12}$/;
export const MAX_PIN_LENGTH = 12;
